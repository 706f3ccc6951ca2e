import { describe, expect, it } from 'vitest';
import type { Backend, CompiledModel } from '../backend.js';
import { OP_TYPES } from '../graph.js';
import { referenceBackend } from '../reference/backend.js';
import { Tensor } from '../tensor.js';
import {
  CONFORMANCE_CASES,
  compareTensors,
  describeConformance,
  FLOAT32_TOLERANCES,
  runConformance,
  selectCases,
  type TestApi,
  toleranceFor,
} from './index.js';

/** The reference backend with every float output of `op`-cases shifted by `delta` (a backend with a bug). */
function shiftedBackend(delta: number): Backend {
  return {
    name: 'shifted',
    devices: referenceBackend.devices,
    async compile(graph, options) {
      const inner = await referenceBackend.compile(graph, options);
      const model: CompiledModel = {
        inputNames: inner.inputNames,
        outputNames: inner.outputNames,
        providers: ['shifted'],
        async run(feeds) {
          const out = await inner.run(feeds);
          for (const [k, t] of Object.entries(out)) {
            if (t.dtype === 'float32')
              out[k] = new Tensor(
                'float32',
                t.shape,
                (t.data as Float32Array).map((v) => v + delta),
              );
          }
          return out;
        },
        dispose: () => inner.dispose(),
        [Symbol.dispose]: () => inner.dispose(),
      };
      return model;
    },
  };
}

describe('conformance cases', () => {
  it('cover every IR op', () => {
    const covered = new Set(CONFORMANCE_CASES.map((c) => c.op));
    expect(OP_TYPES.filter((op) => !covered.has(op))).toEqual([]);
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(OP_TYPES.length * 2);
  });

  it('have unique ids prefixed by their op', () => {
    const ids = CONFORMANCE_CASES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONFORMANCE_CASES) expect(c.id.startsWith(`${c.op}/`), c.id).toBe(true);
  });

  it('build the same graph and seeded feeds every time, with the op under test in the graph', () => {
    for (const c of CONFORMANCE_CASES) {
      const a = c.build();
      const b = c.build();
      expect(
        a.graph.nodes.some((n) => n.op === c.op),
        c.id,
      ).toBe(true);
      for (const [name, t] of Object.entries(a.feeds)) expect(b.feeds[name]!.data, `${c.id} ${name}`).toEqual(t.data);
    }
  });

  it('have a float32 tolerance for every op; integers compare exactly', () => {
    for (const op of OP_TYPES) expect(FLOAT32_TOLERANCES[op], op).toBeDefined();
    expect(toleranceFor('Conv', 'int64')).toEqual({ atol: 0, rtol: 0 });
    expect(toleranceFor('Conv', 'float16').rtol).toBeGreaterThan(toleranceFor('Conv', 'float32').rtol);
  });
});

describe('runConformance', () => {
  it('passes every case on the reference backend itself (every case compiles and runs)', async () => {
    const results = await runConformance(referenceBackend, 'cpu');
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(results.every((r) => r.maxAbsDiff === 0)).toBe(true);
  });

  it('fails a backend whose outputs are off, naming the element and the difference', async () => {
    const [r] = await runConformance(shiftedBackend(1e-3), 'cpu', { filter: 'Conv/3x3 pad 1' });
    expect(r!.status).toBe('fail');
    expect(r!.message).toMatch(/outside atol .* first at flat index 0/);
    expect(r!.maxAbsDiff).toBeCloseTo(1e-3, 6);
    expect(r!.providers).toEqual(['shifted']);
  });

  it('scales tolerances, reports errors and lists known gaps without running them', async () => {
    const [loose] = await runConformance(shiftedBackend(1e-6), 'cpu', { filter: 'Relu/', toleranceScale: 1e6 });
    expect(loose!.status).toBe('fail'); // Relu is exact: scaling 0 stays 0
    const [conv] = await runConformance(shiftedBackend(1e-6), 'cpu', { filter: 'Conv/3x3 pad 1', toleranceScale: 10 });
    expect(conv!.status).toBe('pass');
    const bad = await runConformance(referenceBackend, 'gpu', { filter: 'Relu/' });
    expect(bad[0]!.status).toBe('error');
    expect(bad[0]!.message).toMatch(/options\.device/);
    const gaps = await runConformance(shiftedBackend(1), 'cpu', {
      filter: /^Conv\//,
      knownGaps: [{ id: /^Conv\//, reason: 'not implemented' }],
    });
    expect(gaps.length).toBeGreaterThan(5);
    expect(gaps.every((r) => r.status === 'known-gap' && r.message === 'not implemented')).toBe(true);
  });

  it('validates its arguments', async () => {
    await expect(runConformance({} as Backend, 'cpu')).rejects.toThrow(TypeError);
    await expect(runConformance(referenceBackend, 3 as never)).rejects.toThrow(/device/);
    expect(() => selectCases({ filter: 3 as never })).toThrow(TypeError);
    expect(selectCases({ filter: (c) => c.op === 'Split' }).map((c) => c.op)).toEqual(['Split', 'Split']);
  });
});

describe('compareTensors', () => {
  const t = (v: number[]) => new Tensor('float32', [v.length], Float32Array.from(v));
  it('matches NaN with NaN and infinities exactly', () => {
    expect(
      compareTensors(t([Number.NaN, Number.POSITIVE_INFINITY]), t([Number.NaN, Number.POSITIVE_INFINITY]), {
        atol: 0,
        rtol: 0,
      }).ok,
    ).toBe(true);
    expect(compareTensors(t([Number.NaN]), t([0]), { atol: 1, rtol: 1 }).ok).toBe(false);
    expect(compareTensors(t([Number.NEGATIVE_INFINITY]), t([Number.POSITIVE_INFINITY]), { atol: 1, rtol: 1 }).ok).toBe(
      false,
    );
  });
  it('uses atol + rtol * |expected| and reports shape and dtype mismatches', () => {
    expect(compareTensors(t([10.0009]), t([10]), { atol: 0, rtol: 1e-4 }).ok).toBe(true);
    expect(compareTensors(t([10.0011]), t([10]), { atol: 0, rtol: 1e-4 }).ok).toBe(false);
    expect(compareTensors(t([1, 2]), t([1]), { atol: 1, rtol: 1 }).message).toMatch(/shape \[2\], expected \[1\]/);
    expect(compareTensors(t([1]).cast('int32'), t([1]), { atol: 1, rtol: 1 }).message).toMatch(/dtype int32/);
  });
});

describe('describeConformance', () => {
  it('declares one test per case plus the known-gap check, through the functions it is given', async () => {
    const names: string[] = [];
    const tests: (() => Promise<void> | void)[] = [];
    const failures: string[] = [];
    const api: TestApi = {
      describe: (_name, fn) => fn(),
      it: (name, fn) => {
        names.push(name);
        tests.push(fn);
      },
      expect: (actual, message) => ({
        toBe: (e) => void (actual === e || failures.push(message ?? '')),
        toEqual: (e) => void (JSON.stringify(actual) === JSON.stringify(e) || failures.push(message ?? '')),
      }),
    };
    describeConformance(api, shiftedBackend(1), 'cpu', {
      filter: /^(Relu|Split)\//,
      knownGaps: [
        { id: 'Relu/NCHW', reason: 'broken on purpose' },
        { id: 'Nope/none', reason: 'stale' },
      ],
    });
    expect(names).toEqual([
      'every known gap names an existing case and gives a reason',
      'Split/sizes [2,3] on axis 1',
      'Split/3 equal parts on axis -1',
    ]);
    for (const fn of tests) await fn();
    expect(failures.length).toBe(3); // the stale gap, and both Split cases (outputs shifted by 1)
  });
});
