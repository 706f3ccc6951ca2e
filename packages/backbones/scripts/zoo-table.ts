/**
 * Writes the zoo table of README.md (between the zoo-table markers) from the registry: parameters counted and
 * FLOPs (2 x multiply-adds of Conv/Gemm/MatMul) measured on the traced graph at each model's default input size.
 * `--check` exits 1 when the README is out of date instead of writing it.
 *
 * Run: `pnpm --filter @striate/backbones run zoo-table`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTable, zooTable } from '../src/internal/zoo-table.js';

const readmePath = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = withTable(readme, zooTable());
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md zoo table is out of date: run pnpm --filter @striate/backbones run zoo-table');
    process.exit(1);
  }
  console.log('README.md zoo table is up to date');
} else {
  writeFileSync(readmePath, next);
  console.log(`wrote the zoo table of ${readmePath}`);
}
