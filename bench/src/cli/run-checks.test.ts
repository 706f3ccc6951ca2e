/**
 * `striate-bench run` fails (exit 1) when a check fails, after writing the reports: BlazeFace on tfjs wasm (tfjs
 * alone: its WebGPU is not probed, and the reference backend ort-node/cpu is not in the run).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFloors } from '../accuracy/checks.js';
import type { BenchReport } from '../report/schema.js';
import { sampleDir } from '../shared-dirs.js';
import { main } from './main.js';

describe('striate-bench run checks', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.STRIATE_BENCH_FLOORS;
    delete process.env.STRIATE_DATA;
  });

  it('exits 1 naming the failed floor, and still writes the report and prints the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'striate-checks-'));
    const floors = readFloors();
    floors.floors['blazeface widerface-val200@8']!.easy = 0.9; // measured 0.4827
    writeFileSync(join(dir, 'floors.json'), JSON.stringify(floors));
    process.env.STRIATE_BENCH_FLOORS = join(dir, 'floors.json');
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    const json = join(dir, 'r.json');
    const code = await main(['run', '--quick', '--backends', 'tfjs', '--models', 'blazeface', '--json', json]);
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(err).toContain('striate-bench: 1 check(s) failed:');
    expect(err).toContain('floor blazeface tfjs/wasm widerface-val200@8 easy: 0.4827 < floor 0.9000');
    expect(err).toContain('not checked: agreement blazeface tfjs/wasm widerface-val200@8 easy');
    expect(out).toContain('- **FAILED** floor: blazeface tfjs/wasm widerface-val200@8 easy');
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.checks.filter((c) => c.ok === false)).toHaveLength(1);
    expect(report.cases.map((c) => `${c.backend}/${c.device}`)).toEqual(['tfjs/wasm']);
  }, 120_000);

  it('on the embedded sample, reports WIDER FACE as not available (not checked) and passes', async () => {
    process.env.STRIATE_DATA = sampleDir('data');
    const dir = mkdtempSync(join(tmpdir(), 'striate-sample-'));
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    const json = join(dir, 'r.json');
    const code = await main(['run', '--quick', '--backends', 'ort-node', '--models', 'blazeface', '--json', json]);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(err).toContain(
      'not checked: floor blazeface ort-node/cpu: accuracy skipped: not available: WIDER FACE is not redistributable',
    );
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    const c = report.cases[0]!;
    expect([c.status, c.accuracy, c.accuracySkipped?.slice(0, 14)]).toEqual(['ok', undefined, 'not available:']);
    expect(c.latency!.p50Ms).toBeGreaterThan(0); // the speed row still runs
    expect(c.nms?.image).toBe('000000000139.jpg'); // the NMS stage on a COCO image of the sample
  }, 120_000);
});
