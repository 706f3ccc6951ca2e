import { describe, expect, it } from 'vitest';
import { portableLog, Rng } from './rng.js';

const take = (r: Rng, n: number): number[] => Array.from({ length: n }, () => r.nextUint32());

function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length) };
}

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
}

describe('Rng: the generator and its seeding', () => {
  it('is xoshiro128** 1.1: the published sequence from state [1, 2, 3, 4]', () => {
    // The reference vector of xoshiro128starstar.c 1.1 (also rand_xoshiro's test vector).
    const r = Rng.fromState({ s: [1, 2, 3, 4], spare: null });
    expect(take(r, 10)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('seeds through SplitMix64: the state holds its first two outputs, low word first', () => {
    // SplitMix64's published first outputs for seed 1234567.
    const outputs = [6457827717110365317n, 3203168211198807973n];
    const words = outputs.flatMap((z) => [Number(z & 0xffffffffn), Number(z >> 32n)]);
    expect(new Rng(1234567).getState()).toEqual({ s: words, spare: null });
    expect(new Rng(1234567n).getState()).toEqual(new Rng(1234567).getState());
  });

  it('gives fixed known answers for seed 42 (regression; cross-checked against a C implementation)', () => {
    const r = new Rng(42);
    expect(r.getState().s).toEqual([803958421, 3184996902, 2993090819, 686809907]);
    expect(take(r, 6)).toEqual([1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222]);
    expect([r.uniform(), r.uniform(), r.uniform(), r.uniform()]).toEqual([
      0.6846020186141416, 0.8306474885481525, 0.7362412159731277, 0.8058046439859193,
    ]);
    expect([r.normal(), r.normal(), r.normal(), r.normal()]).toEqual([
      -1.2702293384078625, 0.04703141914017045, 0.6696344567041526, -1.4464419819159082,
    ]);
  });

  it('gives fixed known answers for the integer, permutation and array helpers (seed 2024)', () => {
    const r = new Rng(2024);
    expect(Array.from({ length: 8 }, () => r.integers(0, 10))).toEqual([4, 3, 8, 1, 8, 6, 1, 3]);
    expect(Array.from(new Rng(2024).permutation(10))).toEqual([0, 5, 7, 8, 1, 2, 3, 9, 6, 4]);
    expect(Array.from(new Rng(2024).uniformArray(4, -1, 1))).toEqual([
      -0.7410203814506531, 0.569447934627533, 0.4760350286960602, 0.6702165007591248,
    ]);
    expect(Array.from(new Rng(2024).normalArray(4))).toEqual([
      -0.4125945568084717, 0.3170643150806427, 0.5126368999481201, 0.7217487096786499,
    ]);
  });

  it('reproduces a stream for the same seed and gives different streams for different seeds', () => {
    expect(take(new Rng(7), 100)).toEqual(take(new Rng(7), 100));
    const a = take(new Rng(7), 100);
    const b = take(new Rng(8), 100);
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(2);
    // Seeds that differ only above bit 31 or only in bigint range still give different streams.
    expect(take(new Rng(2 ** 40), 4)).not.toEqual(take(new Rng(0), 4));
    expect(take(new Rng(2n ** 64n - 1n), 4)).not.toEqual(take(new Rng(2 ** 53 - 1), 4));
  });

  it('refuses bad seeds and bad states', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
    expect(() => new Rng(2 ** 53)).toThrow(/seed: expected an integer in \[0, 2\^53\)/);
    expect(() => new Rng(2n ** 64n)).toThrow(RangeError);
    expect(() => new Rng(-1n)).toThrow(RangeError);
    expect(() => new Rng('1' as unknown as number)).toThrow(TypeError);
    expect(() => Rng.fromState({ s: [0, 0, 0, 0], spare: null })).toThrow(/all-zero/);
    expect(() => Rng.fromState({ s: [1, 2, 3] as unknown as [number, number, number, number], spare: null })).toThrow(
      TypeError,
    );
    expect(() => Rng.fromState({ s: [1, 2, 3, 2 ** 32], spare: null })).toThrow(/state.s\[3\]/);
    expect(() => Rng.fromState({ s: [1, 2, 3, 4], spare: Number.NaN })).toThrow(/state.spare/);
  });
});

describe('Rng: state, clone, jump and fork', () => {
  it('getState/fromState and clone restore the stream exactly, including a cached normal', () => {
    const r = new Rng(3);
    r.normal(); // leaves the second value of the pair cached
    const saved = JSON.parse(JSON.stringify(r.getState()));
    const copy = r.clone();
    const expected = [r.normal(), r.normal(), r.uniform(), r.nextUint32()];
    const restored = Rng.fromState(saved);
    expect([restored.normal(), restored.normal(), restored.uniform(), restored.nextUint32()]).toEqual(expected);
    expect([copy.normal(), copy.normal(), copy.uniform(), copy.nextUint32()]).toEqual(expected);
  });

  it('jump() advances by exactly 2^64 steps (checked against the transition matrix over GF(2))', () => {
    // xoshiro's state transition is linear over GF(2)^128; build its matrix column by column, square it 64 times
    // to get M^(2^64) and apply that to a state.
    type Vec = Uint32Array;
    const step = (v: Vec): Vec => {
      const r = Rng.fromState({ s: [v[0]!, v[1]!, v[2]!, v[3]!], spare: null });
      r.nextUint32();
      return Uint32Array.from(r.getState().s);
    };
    const apply = (cols: Vec[], v: Vec): Vec => {
      const out = new Uint32Array(4);
      for (let i = 0; i < 128; i++) {
        if ((v[i >> 5]! >>> (i & 31)) & 1) for (let w = 0; w < 4; w++) out[w]! ^= cols[i]![w]!;
      }
      return out;
    };
    let m: Vec[] = [];
    for (let i = 0; i < 128; i++) {
      const e = new Uint32Array(4);
      e[i >> 5] = 2 ** (i & 31);
      m.push(step(e));
    }
    for (let k = 0; k < 64; k++) m = m.map((col) => apply(m, col));

    const r = new Rng(99);
    const before = Uint32Array.from(r.getState().s);
    r.jump();
    expect(r.getState().s).toEqual(Array.from(apply(m, before)));
  });

  it('fork() hands the current stream to the child and moves the parent 2^64 draws on', () => {
    const parent = new Rng(5);
    const reference = parent.clone();
    const child = parent.fork();
    expect(take(child, 20)).toEqual(take(reference, 20));
    const jumped = new Rng(5);
    jumped.jump();
    expect(take(parent, 20)).toEqual(take(jumped, 20));
    // Two forks in a row give different streams.
    const p = new Rng(6);
    expect(take(p.fork(), 10)).not.toEqual(take(p.fork(), 10));
  });
});

describe('Rng: uniform floats', () => {
  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(11);
    const xs = Array.from({ length: 100_000 }, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(std - Math.sqrt(1 / 12))).toBeLessThan(0.003);
    const bins = new Array<number>(20).fill(0);
    for (const x of xs) bins[Math.floor(x * 20)]!++;
    expect(chiSquare(bins)).toBeLessThan(43.8); // chi-square, 19 dof, p = 0.001
  });

  it('uniform(low, high) scales and never returns high, even for an interval one ulp wide', () => {
    const r = new Rng(12);
    for (let i = 0; i < 1000; i++) {
      const v = r.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
    }
    const low = 1;
    const high = 1 + 2 ** -52;
    for (let i = 0; i < 100; i++) expect(r.uniform(low, high)).toBe(low);
  });

  it('uniformArray gives float32 values inside [low, high), never the float32 rounding of high', () => {
    const r = new Rng(13);
    const xs = r.uniformArray(200_000, 0, 1);
    expect(xs).toBeInstanceOf(Float32Array);
    let max = 0;
    for (const x of xs) max = Math.max(max, x);
    expect(max).toBeLessThan(1);
    // 0.1 is not a float32; fround(0.1) > 0.1, so no value may be it.
    const ys = r.uniformArray(10_000, 0.0999999, 0.1);
    for (const y of ys) expect(y >= 0.0999999 && y < 0.1).toBe(true);
    expect(() => r.uniformArray(1, 0.1, 0.1 + 1e-12)).toThrow(/no float32 value/);
    expect(r.uniformArray(0)).toEqual(new Float32Array(0));
  });

  it('refuses bad bounds and counts', () => {
    const r = new Rng(0);
    expect(() => r.uniform(1, 1)).toThrow(/expected low < high, got low=1, high=1/);
    expect(() => r.uniform(2, 1)).toThrow(RangeError);
    expect(() => r.uniform(0, Number.POSITIVE_INFINITY)).toThrow(/high must be finite/);
    expect(() => r.uniform(Number.NaN, 1)).toThrow(/low must be finite/);
    expect(() => r.uniform(-Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(/overflows/);
    expect(() => r.uniformArray(-1)).toThrow(/n must be an integer/);
    expect(() => r.uniformArray(2.5)).toThrow(RangeError);
  });
});

describe('Rng: normals', () => {
  it('100k normals have the requested mean and std, and the normal shape', () => {
    const r = new Rng(21);
    const xs = r.normalArray(100_000, 2, 3);
    const { mean, std } = meanStd(xs);
    expect(Math.abs(mean - 2)).toBeLessThan(0.05); // standard error 0.0095
    expect(Math.abs(std - 3)).toBeLessThan(0.03); // standard error 0.0067
    let within1 = 0;
    let within2 = 0;
    for (const x of xs) {
      const z = Math.abs((x - 2) / 3);
      if (z < 1) within1++;
      if (z < 2) within2++;
    }
    expect(Math.abs(within1 / xs.length - 0.682689)).toBeLessThan(0.006);
    expect(Math.abs(within2 / xs.length - 0.9545)).toBeLessThan(0.003); // 0.682689, 0.954500: Phi(k) - Phi(-k)
  });

  it('scalar normal() agrees with normalArray for the same seed', () => {
    const r = new Rng(22);
    const scalar = Array.from({ length: 7 }, () => Math.fround(r.normal(1, 0.5)));
    expect(Array.from(new Rng(22).normalArray(7, 1, 0.5))).toEqual(scalar);
  });

  it('std = 0 gives the mean; bad parameters throw', () => {
    const r = new Rng(23);
    expect(Array.from(r.normalArray(3, 4, 0))).toEqual([4, 4, 4]);
    expect(() => r.normal(0, -1)).toThrow(/std must be a finite number >= 0, got -1/);
    expect(() => r.normal(Number.NaN, 1)).toThrow(/mean must be finite/);
    expect(() => r.normalArray(3, 0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('normalIn draws only inside [low, high] and gives up on an interval with no mass', () => {
    const r = new Rng(24);
    const xs = Array.from({ length: 20_000 }, () => r.normalIn(0, 1, -0.5, 2));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-0.5);
    expect(Math.max(...xs)).toBeLessThanOrEqual(2);
    // The truncated normal on [-0.5, 2] has mean (phi(-0.5) - phi(2)) / (Phi(2) - Phi(-0.5)) = 0.44574.
    expect(Math.abs(meanStd(xs).mean - 0.4457)).toBeLessThan(0.012);
    expect(() => r.normalIn(0, 1, 40, 41)).toThrow(/too little of the distribution/);
    expect(() => r.normalIn(0, 1, 1, 0)).toThrow(/expected finite low <= high/);
  });

  it('portableLog is bit-identical to fdlibm (V8 uses fdlibm for Math.log)', () => {
    const r = new Rng(25);
    const cases = [1, 2, 0.5, Math.E, 1 + 2 ** -52, 1 - 2 ** -53, 1 + 2 ** -21, 5e-324, 2.2250738585072014e-308];
    for (let i = 0; i < 20_000; i++) cases.push(2 ** r.integers(-1074, 1024) * (1 + r.uniform()));
    for (let i = 0; i < 5_000; i++) cases.push(r.uniform(), 1 + r.uniform(-1e-5, 1e-5));
    const mismatches = cases.filter((x) => !Object.is(portableLog(x), Math.log(x)));
    expect(mismatches).toEqual([]);
    expect(portableLog(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(portableLog(-0)).toBe(Number.NEGATIVE_INFINITY);
    expect(portableLog(-1)).toBeNaN();
    expect(portableLog(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(portableLog(Number.NaN)).toBeNaN();
  });
});

describe('Rng: integers, shuffle, permutation', () => {
  it('integers(low, high) covers [low, high) evenly', () => {
    const r = new Rng(31);
    const counts = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 50_000; i++) {
      const v = r.integers(-3, 7);
      if (Number.isInteger(v) && v >= -3 && v < 7) counts[v + 3]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(chiSquare(counts)).toBeLessThan(27.9); // 9 dof, p = 0.001
  });

  it('has no modulo bias for ranges that do not divide 2^32 or 2^53', () => {
    // With x % range, the values below 2^32 - range (resp. 2^53 - range) would come up twice as often: a third of
    // the range would take half of the draws.
    const r = new Rng(32);
    const n = 30_000;
    let low32 = 0;
    let low53 = 0;
    for (let i = 0; i < n; i++) {
      if (r.integers(0, 3 * 2 ** 30) < 2 ** 30) low32++;
      if (r.integers(0, 3 * 2 ** 51) < 2 ** 51) low53++;
    }
    expect(Math.abs(low32 / n - 1 / 3)).toBeLessThan(0.015);
    expect(Math.abs(low53 / n - 1 / 3)).toBeLessThan(0.015);
  });

  it('handles the extreme ranges', () => {
    const r = new Rng(33);
    expect(r.integers(5, 6)).toBe(5);
    const big = r.integers(-(2 ** 52), 2 ** 52);
    expect(Number.isSafeInteger(big) && big >= -(2 ** 52) && big < 2 ** 52).toBe(true);
    const v = r.integers(Number.MAX_SAFE_INTEGER - 3, Number.MAX_SAFE_INTEGER);
    expect(v).toBeGreaterThanOrEqual(Number.MAX_SAFE_INTEGER - 3);
    expect(() => r.integers(0, 0)).toThrow(/expected low < high/);
    expect(() => r.integers(0.5, 3)).toThrow(/low must be a safe integer, got 0.5/);
    expect(() => r.integers(0, 2 ** 53)).toThrow(/high must be a safe integer/);
    expect(() => r.integers(-(2 ** 52) - 1, 2 ** 52)).toThrow(/at most 2\^53/);
  });

  it('shuffle permutes arrays and typed arrays in place and returns them', () => {
    const r = new Rng(34);
    const arr = Array.from({ length: 50 }, (_, i) => `item${i}`);
    const original = [...arr];
    expect(r.shuffle(arr)).toBe(arr);
    expect([...arr].sort()).toEqual([...original].sort());
    expect(arr).not.toEqual(original);
    const typed = Float64Array.from({ length: 100 }, (_, i) => i);
    r.shuffle(typed);
    expect(Array.from(typed).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(r.shuffle([])).toEqual([]);
    expect(r.shuffle([1])).toEqual([1]);
    expect(() => r.shuffle('abc' as unknown as unknown[])).toThrow(TypeError);
    expect(() => r.shuffle(new DataView(new ArrayBuffer(4)) as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('all 24 orders of 4 items come up equally often', () => {
    const r = new Rng(35);
    const counts = new Map<string, number>();
    for (let i = 0; i < 48_000; i++) {
      const key = r.permutation(4).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    expect(chiSquare([...counts.values()])).toBeLessThan(49.7); // 23 dof, p = 0.001
  });

  it('permutation(n) is an Int32Array holding 0..n-1 once each', () => {
    const p = new Rng(36).permutation(1000);
    expect(p).toBeInstanceOf(Int32Array);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new Rng(36).permutation(0)).toEqual(new Int32Array(0));
    expect(() => new Rng(36).permutation(-2)).toThrow(/permutation: n must be an integer/);
  });
});
