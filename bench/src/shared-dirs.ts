import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest folder above this file holding pnpm-workspace.yaml. Found by walking up, so it is
 * the same from the sources (src/...) and from the bundled CLI (dist/striate-bench.js).
 */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('striate-bench: cannot find the repository root (pnpm-workspace.yaml)');
    dir = parent;
  }
  return dir;
}

/** The embedded sample (the --quick image subsets and the small models): `bench/fixtures/sample/<folder>`. */
export function sampleDir(folder: 'data' | 'models'): string {
  return resolve(repoRoot(), 'bench', 'fixtures', 'sample', folder);
}

/** Where a shared folder comes from: the environment variable, `../shared` beside the repository, or the sample. */
export type FolderSource = 'env' | 'shared' | 'sample';

export interface ResolvedFolder {
  dir: string;
  source: FolderSource;
}

/**
 * The folder named by the environment variable when it is set; else `../shared/<folder>` beside the repository when
 * it exists; else the embedded sample (bench/fixtures/sample/<folder>). A missing file then fails where it is read,
 * naming its path.
 */
export function resolveShared(envName: 'STRIATE_DATA' | 'STRIATE_MODELS', folder: 'data' | 'models'): ResolvedFolder {
  return resolveSharedFrom(repoRoot(), process.env[envName], folder);
}

/** `resolveShared` for a given repository root and value of the environment variable. */
export function resolveSharedFrom(
  root: string,
  envValue: string | undefined,
  folder: 'data' | 'models',
): ResolvedFolder {
  if (envValue) return { dir: envValue, source: 'env' };
  const shared = resolve(root, '..', 'shared', folder);
  if (existsSync(shared)) return { dir: shared, source: 'shared' };
  return { dir: resolve(root, 'bench', 'fixtures', 'sample', folder), source: 'sample' };
}

/** `resolveShared(...).dir`. */
export function sharedDir(envName: 'STRIATE_DATA' | 'STRIATE_MODELS', folder: 'data' | 'models'): string {
  return resolveShared(envName, folder).dir;
}
