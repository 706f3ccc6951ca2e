import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this file holding pnpm-workspace.yaml. Found by walking up, so it is
 * the same from the sources (src/...) and from the bundled CLI (dist/striate-bench.js).
 */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('striate-bench: cannot find the repository root (pnpm-workspace.yaml)');
    dir = parent;
  }
  return dir;
}

/** `../shared/<folder>` beside the repository, unless the environment variable names another place. */
export function sharedDir(envName: 'STRIATE_DATA' | 'STRIATE_MODELS', folder: 'data' | 'models'): string {
  return process.env[envName] ?? resolve(repoRoot(), '..', 'shared', folder);
}
