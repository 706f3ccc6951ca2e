/**
 * The checks that fail a run: accuracy at or above its floor (bench/accuracy-floors.json, set from measured values),
 * backends of the same weights within a tolerance of the reference backend, and the NMS peers keeping what striate
 * keeps. A floor missing for a subset is reported as not checked (ok undefined), never passed silently.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccuracyMetric, CaseResult, CheckResult } from '../report/schema.js';
import { repoRoot } from '../shared-dirs.js';
import { ACCURACY_TASKS } from './tasks.js';

export interface FloorsFile {
  /** Largest allowed |value - reference value| per metric. */
  tolerance: Record<AccuracyMetric, number>;
  /** By `<model> <dataset>@<images>`: the lowest accepted value of each named number. */
  floors: Record<string, Record<string, number>>;
}

/** bench/accuracy-floors.json, or the file named by `STRIATE_BENCH_FLOORS`. */
export function floorsPath(): string {
  return process.env.STRIATE_BENCH_FLOORS ?? join(repoRoot(), 'bench', 'accuracy-floors.json');
}

export function readFloors(path = floorsPath()): FloorsFile {
  if (!existsSync(path)) throw new Error(`accuracy floors: ${path} does not exist`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<FloorsFile>;
  if (typeof json.tolerance !== 'object' || typeof json.floors !== 'object' || !json.tolerance || !json.floors) {
    throw new Error(`accuracy floors: ${path}: expected { tolerance: {...}, floors: {...} }`);
  }
  return json as FloorsFile;
}

/** The floors key of a case's accuracy: `<model> <dataset>@<images>`. */
export const floorKey = (c: CaseResult): string => `${c.model} ${c.accuracy!.dataset}@${c.accuracy!.images}`;

const fmt = (x: number): string => x.toFixed(4);

export function runChecks(cases: readonly CaseResult[], floors: FloorsFile): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of cases) {
    const where = `${c.model} ${c.backend}/${c.device}`;
    const task = ACCURACY_TASKS[c.model];
    if (task && c.status === 'error') {
      out.push({ kind: 'floor', subject: where, ok: false, detail: `the case failed: ${c.error}` });
      continue;
    }
    if (c.accuracySkipped) {
      out.push({ kind: 'floor', subject: where, ok: undefined, detail: `accuracy skipped: ${c.accuracySkipped}` });
      continue;
    }
    const a = c.accuracy;
    if (!a) continue;
    const key = floorKey(c);
    const floor = floors.floors[key];
    for (const [name, value] of Object.entries(a.values)) {
      const subject = `${where} ${a.dataset}@${a.images} ${name}`;
      const min = floor?.[name];
      if (min === undefined) {
        out.push({
          kind: 'floor',
          subject,
          ok: undefined,
          detail: `no floor for '${key}' ${name} in accuracy-floors.json`,
        });
      } else {
        out.push({
          kind: 'floor',
          subject,
          ok: value >= min,
          detail: `${fmt(value)} ${value >= min ? '>=' : '<'} floor ${fmt(min)}`,
        });
      }
      const tol = floors.tolerance[a.metric];
      if (a.reference === undefined || `${c.backend}/${c.device}` === a.reference) continue;
      const d = a.diff?.[name];
      if (d === undefined) {
        out.push({
          kind: 'agreement',
          subject,
          ok: undefined,
          detail: `reference ${a.reference} did not measure it in this run`,
        });
      } else {
        out.push({
          kind: 'agreement',
          subject,
          ok: Math.abs(d) <= tol,
          detail: `differs from ${a.reference} by ${d.toExponential(2)} (tolerance ${tol})`,
        });
      }
    }
    for (const p of c.nms?.peers ?? []) {
      out.push({
        kind: 'nms-keep',
        subject: `${where} NMS on ${c.nms!.image} vs ${p.name}`,
        ok: p.sameKeep,
        detail: p.sameKeep ? `same ${c.nms!.kept} boxes kept` : `keep lists differ (striate kept ${c.nms!.kept})`,
      });
    }
  }
  return out;
}

/** Fills `accuracy.reference` and `accuracy.diff` from the reference case of the same model in the same run. */
export function addDiffs(cases: CaseResult[]): void {
  for (const c of cases) {
    const a = c.accuracy;
    if (!a) continue;
    const ref = cases.find(
      (r) => r.model === c.model && r.batch === c.batch && `${r.backend}/${r.device}` === a.reference && r.accuracy,
    );
    if (!ref?.accuracy) continue;
    a.diff = Object.fromEntries(Object.entries(a.values).map(([k, v]) => [k, v - (ref.accuracy!.values[k] ?? NaN)]));
  }
}
