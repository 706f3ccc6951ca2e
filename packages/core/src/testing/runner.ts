import type { Backend, CompiledModel } from '../backend.js';
import { describeValue } from '../errors.js';
import { referenceBackend } from '../reference/backend.js';
import type { ConformanceCase } from './case.js';
import { CONFORMANCE_CASES } from './cases.js';
import { compareTensors } from './compare.js';
import { type Tolerance, toleranceFor } from './tolerance.js';

/** A case a backend is known to fail, with why: listed in the results (status 'known-gap'), never run. */
export interface KnownGap {
  /** A case id, or a pattern over ids. */
  readonly id: string | RegExp;
  readonly reason: string;
}

export interface ConformanceOptions {
  /** Which cases to run: an id substring, a pattern over ids, or a predicate. Default: all. */
  readonly filter?: string | RegExp | ((c: ConformanceCase) => boolean);
  /** Cases this backend is known to fail (see `KnownGap`). */
  readonly knownGaps?: readonly KnownGap[];
  /** The cases (default: `CONFORMANCE_CASES`). */
  readonly cases?: readonly ConformanceCase[];
  /** Multiplies every tolerance (e.g. 10 for a GPU whose math is looser); default 1. */
  readonly toleranceScale?: number;
  /** The oracle (default: `referenceBackend` on 'cpu'). */
  readonly reference?: Backend;
}

export type ConformanceStatus = 'pass' | 'fail' | 'error' | 'known-gap';

export interface ConformanceResult {
  readonly id: string;
  readonly op: string;
  readonly status: ConformanceStatus;
  /** Why it failed, the error, or the known gap's reason; empty for a pass. */
  readonly message: string;
  /** Largest |backend - reference| over all outputs (NaN when not compared). */
  readonly maxAbsDiff: number;
  readonly tolerance?: Tolerance;
  /** What the backend reports it ran (`CompiledModel.providers`). */
  readonly providers: readonly string[];
  readonly ms: number;
}

function matches(pattern: string | RegExp, id: string): boolean {
  return typeof pattern === 'string' ? id === pattern || id.includes(pattern) : pattern.test(id);
}

/** The cases a filter selects, in order. */
export function selectCases(options: ConformanceOptions = {}): ConformanceCase[] {
  const cases = options.cases ?? CONFORMANCE_CASES;
  const f = options.filter;
  if (f === undefined) return [...cases];
  if (typeof f === 'function') return cases.filter(f);
  if (typeof f === 'string' || f instanceof RegExp) return cases.filter((c) => matches(f, c.id));
  throw new TypeError(`options.filter: expected a string, a RegExp or a function, got ${describeValue(f)}`);
}

/** The known gap covering a case, if any. */
export function knownGapOf(c: ConformanceCase, gaps: readonly KnownGap[] = []): KnownGap | undefined {
  return gaps.find((g) => matches(g.id, c.id));
}

/** Runs one case on `backend`/`device` and on the reference, and compares every output. */
export async function runCase(
  backend: Backend,
  device: string,
  c: ConformanceCase,
  options: ConformanceOptions = {},
): Promise<ConformanceResult> {
  const start = performance.now();
  const gap = knownGapOf(c, options.knownGaps);
  const base = { id: c.id, op: c.op };
  if (gap) return { ...base, status: 'known-gap', message: gap.reason, maxAbsDiff: Number.NaN, providers: [], ms: 0 };
  const scale = options.toleranceScale ?? 1;
  let model: CompiledModel | undefined;
  let ref: CompiledModel | undefined;
  let providers: readonly string[] = [];
  try {
    const { graph, feeds } = c.build();
    ref = await (options.reference ?? referenceBackend).compile(graph, { device: 'cpu' });
    const expected = await ref.run(feeds);
    model = await backend.compile(graph, { device });
    providers = model.providers;
    const actual = await model.run(feeds);
    let maxAbsDiff = 0;
    const problems: string[] = [];
    let tolerance: Tolerance | undefined;
    for (const out of graph.outputs) {
      const e = expected[out.name]!;
      const a = actual[out.name];
      if (!a) {
        problems.push(`${out.name}: missing from the backend's outputs`);
        continue;
      }
      const t = toleranceFor(c.op, e.dtype);
      tolerance = { atol: t.atol * scale, rtol: t.rtol * scale };
      const r = compareTensors(a, e, tolerance, out.name);
      maxAbsDiff = Math.max(maxAbsDiff, r.maxAbsDiff);
      if (Number.isNaN(r.maxAbsDiff)) maxAbsDiff = Number.NaN;
      if (!r.ok) problems.push(r.message);
    }
    const status = problems.length === 0 ? 'pass' : 'fail';
    const ms = performance.now() - start;
    return {
      ...base,
      status,
      message: problems.join('; '),
      maxAbsDiff,
      providers,
      ms,
      ...(tolerance ? { tolerance } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...base, status: 'error', message, maxAbsDiff: Number.NaN, providers, ms: performance.now() - start };
  } finally {
    await model?.dispose();
    await ref?.dispose();
  }
}

/**
 * Runs the conformance cases on one backend and device against the reference backend, one case at a time, and
 * returns one result per selected case (known gaps included, with their reason).
 */
export async function runConformance(
  backend: Backend,
  device: string,
  options: ConformanceOptions = {},
): Promise<ConformanceResult[]> {
  if (typeof backend !== 'object' || backend === null || typeof backend.compile !== 'function') {
    throw new TypeError(`backend: expected a Backend, got ${describeValue(backend)}`);
  }
  if (typeof device !== 'string') throw new TypeError(`device: expected a string, got ${describeValue(device)}`);
  const results: ConformanceResult[] = [];
  for (const c of selectCases(options)) results.push(await runCase(backend, device, c, options));
  return results;
}
