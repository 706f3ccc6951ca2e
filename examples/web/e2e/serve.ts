/** Builds the page with Vite's API into a temporary folder and serves it with `vite preview` on a free port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Served {
  url: string;
  buildMs: number;
  close(): Promise<void>;
}

export async function buildAndServe(): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'striate-web-'));
  const t0 = performance.now();
  await build({ root: WEB_ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const buildMs = performance.now() - t0;
  const server = await preview({
    root: WEB_ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') {
    throw new Error(`vite preview: expected a TCP address, got ${JSON.stringify(address)}`);
  }
  return {
    url: `http://127.0.0.1:${address.port}/`,
    buildMs,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
