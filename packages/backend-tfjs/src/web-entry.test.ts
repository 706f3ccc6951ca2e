import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * The `./web` entry must bundle for a browser: esbuild with `platform: 'browser'` (the `browser` condition picks
 * `internal/runtime-web.ts` for `#runtime-platform`), tfjs and @striate/core bundled in as a page's bundler would.
 */
const here = import.meta.dirname;
const nodeOnly = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

async function bundleForBrowser(entry: string, conditions: string[]) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions,
    metafile: true,
    logLevel: 'silent',
    outdir: 'out',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  const text = result.outputFiles.map((f) => f.text).join('\n');
  return { inputs, imports, text };
}

function expectBrowserSafe({ inputs, imports, text }: Awaited<ReturnType<typeof bundleForBrowser>>): void {
  expect(imports.filter((p) => nodeOnly.has(p) || p.startsWith('node:'))).toEqual([]);
  expect(text).not.toMatch(/from\s*["']node:|import\(["']node:|require\(["']node:/);
  for (const nodeSide of ['runtime-node.ts', 'fs-io-handler.ts', 'checkpoint.ts', 'mnist.ts']) {
    expect(inputs.filter((i) => i.endsWith(nodeSide))).toEqual([]);
  }
  // Dawn's `webgpu` package (dawn.node) must not be reachable either.
  expect(inputs.filter((i) => /node_modules\/(\.pnpm\/webgpu@[^/]+\/node_modules\/)?webgpu\//.test(i))).toEqual([]);
  expect(inputs.some((i) => i.includes('tfjs-backend-wasm'))).toBe(true);
}

describe('the ./web entry point bundles for a browser with no Node built-in', () => {
  it('src/web.ts (sources, as Vite builds the demo)', async () => {
    const bundle = await bundleForBrowser(join(here, 'web.ts'), ['@striate/source']);
    expect(bundle.inputs.some((i) => i.endsWith('internal/runtime-web.ts'))).toBe(true);
    expectBrowserSafe(bundle);
  });

  it('dist/web.js (what is published; run `pnpm --filter @striate/backend-tfjs build` first)', async () => {
    const dist = join(here, '../dist/web.js');
    expect(existsSync(dist), `${dist} does not exist: build the package first`).toBe(true);
    expectBrowserSafe(await bundleForBrowser(dist, []));
  });

  it('the Node entry still carries the Node side (the control for the two checks above)', async () => {
    const result = await esbuild.build({
      entryPoints: [join(here, 'index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      conditions: ['@striate/source'],
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      outdir: 'out',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.endsWith('internal/runtime-node.ts'))).toBe(true);
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toContain('node:module');
    expect(imports).toContain('webgpu');
  });
});
