/**
 * Runs every `src/**\/*.bench.ts` of the package in the current directory, one after the other.
 *
 * A bench file default-exports a function that returns a configured tinybench `Bench` (tasks added, not run),
 * and may export `report(bench)` to print what the table does not show (e.g. the ratio to a peer measured in the
 * same run). Warm-up is explicit (tinybench's warmup iterations); each task keeps a sink so work is not optimised
 * away.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench } from 'tinybench';

interface BenchModule {
  default: () => Bench | Promise<Bench>;
  report?: (bench: Bench) => void;
}

function findBenchFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findBenchFiles(p));
    else if (entry.name.endsWith('.bench.ts')) out.push(p);
  }
  return out.sort();
}

const root = resolve(process.cwd(), 'src');
const filter = process.argv[2];
const files = findBenchFiles(root).filter((f) => !filter || f.includes(filter));
if (files.length === 0) {
  console.log(`no *.bench.ts files under ${root}${filter ? ` matching ${filter}` : ''}`);
}
for (const file of files) {
  const mod = (await import(pathToFileURL(file).href)) as BenchModule;
  const bench = await mod.default();
  console.log(`\n# ${relative(process.cwd(), file)} — ${bench.name ?? ''}`);
  await bench.run();
  console.table(bench.table());
  mod.report?.(bench);
}
