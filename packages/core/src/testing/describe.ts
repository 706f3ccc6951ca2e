import type { Backend } from '../backend.js';
import { CONFORMANCE_CASES } from './cases.js';
import { type ConformanceOptions, knownGapOf, runCase, selectCases } from './runner.js';

/** The parts of a test framework the suite needs (vitest's or jest's `describe`, `it`, `expect` fit). */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void> | void, timeout?: number): void;
  expect(actual: unknown, message?: string): { toBe(expected: unknown): void; toEqual(expected: unknown): void };
}

export interface DescribeConformanceOptions extends ConformanceOptions {
  /** Per-case timeout in ms (default 30 s). */
  readonly timeout?: number;
}

/**
 * Declares the conformance suite as tests: one test per selected case (compiled on `backend`/`device` and on the
 * reference, outputs compared with the op's tolerance), plus one that checks every known gap names a real case.
 * Known gaps are printed with their reasons, not run. The test functions are passed in, so core never imports a
 * test framework.
 */
export function describeConformance(
  api: TestApi,
  backend: Backend,
  device: string,
  options: DescribeConformanceOptions = {},
): void {
  const gaps = options.knownGaps ?? [];
  const selected = selectCases(options);
  api.describe(`conformance: ${backend.name} on ${device}`, () => {
    const gapped = (options.cases ?? CONFORMANCE_CASES).filter((c) => knownGapOf(c, gaps));
    if (gapped.length > 0) {
      console.warn(
        `[conformance] ${backend.name}/${device}: ${gapped.length} known gap(s), not run (listed whatever the filter):\n` +
          gapped.map((c) => `  - ${c.id}: ${knownGapOf(c, gaps)!.reason}`).join('\n'),
      );
    }
    api.it('every known gap names an existing case and gives a reason', () => {
      const all = options.cases ?? CONFORMANCE_CASES;
      const stale = gaps.filter((g) => !all.some((c) => knownGapOf(c, [g])) || g.reason.trim() === '');
      api
        .expect(
          stale.map((g) => String(g.id)),
          'known gaps that match no case or have no reason',
        )
        .toEqual([]);
    });
    for (const c of selected) {
      if (knownGapOf(c, gaps)) continue;
      api.it(
        c.id,
        async () => {
          const r = await runCase(backend, device, c, options);
          api.expect(r.status, `${c.id} on ${backend.name}/${device}: ${r.message}`).toBe('pass');
        },
        options.timeout ?? 30_000,
      );
    }
  });
}
