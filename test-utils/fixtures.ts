/**
 * Where the shared real data, models and reference values are: `STRIATE_DATA`, `STRIATE_MODELS`,
 * `STRIATE_GOLDEN`, defaulting to `../shared/{data,models,golden}` beside the repository. A missing folder is an
 * error that says how to fix it, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sharedDir(envName: string, folder: string): string {
  const dir = process.env[envName] ?? resolve(repoRoot, '..', 'shared', folder);
  if (!existsSync(dir)) {
    throw new Error(
      `${envName}: folder ${dir} does not exist. Put the shared ${folder} there or set ${envName} to its location.`,
    );
  }
  return dir;
}

export const goldenDir = (): string => sharedDir('STRIATE_GOLDEN', 'golden');
export const dataDir = (): string => sharedDir('STRIATE_DATA', 'data');
export const modelsDir = (): string => sharedDir('STRIATE_MODELS', 'models');

/** Parses a JSON file under the golden folder, e.g. `readGoldenJson('ops.json')`. */
export function readGoldenJson<T = unknown>(relPath: string): T {
  return JSON.parse(readFileSync(join(goldenDir(), relPath), 'utf8')) as T;
}

/** Reads a file under the golden folder as bytes. */
export function readGoldenBytes(relPath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(goldenDir(), relPath)));
}

/** Flattens nested number arrays (the goldens' tensors) row-major, returning data and shape. */
export function flattenNested(value: unknown): { data: number[]; shape: number[] } {
  const shape: number[] = [];
  let cur = value;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const data: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else data.push(Number(v));
  };
  walk(value);
  return { data, shape };
}

/** Largest absolute difference between two equally long arrays (throws on a length mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    if (d > m) m = d;
  }
  return m;
}
