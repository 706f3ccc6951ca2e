/** The `striate-bench` commands. Each returns what it printed to stdout, so tests can call them directly. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { COCO_STAT_NAMES, evaluateCoco } from '@striate/detection';
import { importOnnx } from '@striate/onnx';
import { detectorMap, loadDecoder } from '../accuracy/detector-map.js';
import { findBackend } from '../matrix/backends.js';
import { runMatrix } from '../matrix/run-matrix.js';
import { checkCounts, dataLine, toMarkdown } from '../report/markdown.js';
import { accuracyChart, latencyChart } from '../report/svg.js';
import type { EvalArgs, MapArgs, RunArgs } from './args.js';
import { UsageError } from './args.js';

function readJson(option: string, path: string): unknown {
  if (!existsSync(path)) throw new UsageError(`--${option}: file ${path} does not exist`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--${option}: ${path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function evalCommand(a: EvalArgs): string {
  const { stats } = evaluateCoco({ gt: readJson('gt', a.gt), dt: readJson('dt', a.dt), iouType: a.iouType });
  if (a.json) return `${JSON.stringify({ stats })}\n`;
  return `${COCO_STAT_NAMES.map((n, i) => `${n.padEnd(60)} ${stats[i]!.toFixed(3)}`).join('\n')}\n`;
}

export async function mapCommand(a: MapArgs): Promise<string> {
  const spec = findBackend(a.backend);
  const device = a.device ?? spec.devices[0]!;
  if (!spec.devices.includes(device)) {
    throw new UsageError(`--device: ${a.backend} has devices ${spec.devices.join(', ')}, got '${device}'`);
  }
  if (!existsSync(a.model)) throw new UsageError(`--model: file ${a.model} does not exist`);
  const decoder = loadDecoder(a.decoder);
  const gt = readJson('gt', a.gt);
  const bytes = new Uint8Array(readFileSync(a.model));
  const backend = spec.backend as typeof spec.backend & { compileOnnx?: (b: Uint8Array, o: object) => Promise<never> };
  const model = backend.compileOnnx
    ? await backend.compileOnnx(bytes, { device })
    : await spec.backend.compile(importOnnx(bytes), { device });
  try {
    const { stats } = await detectorMap(model, decoder, a.images, gt);
    const out = { stats, backend: spec.name, device, providers: [...model.providers] };
    if (a.json) return `${JSON.stringify(out)}\n`;
    return `${spec.name}/${device} (${out.providers.join(', ')}): mAP ${stats[0]!.toFixed(4)}, mAP50 ${stats[1]!.toFixed(4)}\n`;
  } finally {
    await model.dispose();
  }
}

/** A progress line on stderr: rewritten in place on a terminal, one line per case otherwise. */
export function progressLine(index: number, total: number, label: string, elapsedS: number): string {
  const width = 20;
  const filled = total === 0 ? width : Math.round((index / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${index}/${total} ${elapsedS.toFixed(0)}s ${label}`;
}

/** A run whose checks failed (an accuracy below its floor, backends disagreeing, an NMS peer keeping other boxes). */
export class ChecksFailedError extends Error {
  override readonly name = 'ChecksFailedError';
  /** What the run printed (the Markdown report); the CLI still writes it, then exits 1. */
  readonly output: string;
  constructor(message: string, output: string) {
    super(message);
    this.output = output;
  }
}

/**
 * Runs the matrix, writes the reports and returns the Markdown; throws `ChecksFailedError` (after writing them)
 * when a check failed.
 */
export async function runCommand(a: RunArgs, argv: readonly string[]): Promise<string> {
  const t0 = performance.now();
  const tty = process.stderr.isTTY;
  const report = await runMatrix({
    quick: a.quick,
    ...(a.backends ? { backends: a.backends } : {}),
    ...(a.models ? { models: a.models } : {}),
    command: `striate-bench ${argv.join(' ')}`,
    onProgress(i, n, label) {
      const line = progressLine(i, n, label, (performance.now() - t0) / 1000);
      process.stderr.write(tty ? `\r\x1b[K${line}${i === n ? '\n' : ''}` : `${line}\n`);
    },
  });
  const md = toMarkdown(report);
  if (a.json) write(a.json, `${JSON.stringify(report, null, 2)}\n`);
  if (a.md) write(a.md, md);
  if (a.svg) {
    write(a.svg, latencyChart(report));
    const acc = accuracyChart(report);
    if (acc) write(`${a.svg.replace(/\.svg$/, '')}-accuracy.svg`, acc);
  }
  const n = checkCounts(report.checks);
  process.stderr.write(
    `${dataLine(report)}\nchecks: ${n.passed} passed, ${n.failed} failed, ${n.unchecked} not checked\n`,
  );
  for (const c of report.checks.filter((x) => x.ok === undefined)) {
    process.stderr.write(`  not checked: ${c.kind} ${c.subject}: ${c.detail}\n`);
  }
  const failed = report.checks.filter((x) => x.ok === false);
  if (failed.length > 0) {
    throw new ChecksFailedError(
      `${failed.length} check(s) failed:\n${failed.map((c) => `  ${c.kind} ${c.subject}: ${c.detail}`).join('\n')}`,
      md,
    );
  }
  return md;
}
