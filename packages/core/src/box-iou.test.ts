import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../test-utils/fixtures.js';
import { boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './box-iou.js';
import { DTypeError, ShapeError } from './errors.js';
import { float32ToFloat16Array } from './float16.js';
import { type IouKind, pairReference } from './internal/box-iou-kernels.js';
import { Tensor, tensor } from './tensor.js';

interface BoxIouCase {
  a: number[][];
  b: number[][];
  iou: number[][];
  giou: number[][];
  diou: number[][];
  ciou: number[][];
}

const golden = readGoldenJson<{ cases: { box_iou: BoxIouCase } }>('ops.json').cases.box_iou;
const a = Float32Array.from(flattenNested(golden.a).data);
const b = Float32Array.from(flattenNested(golden.b).data);

const FUNCTIONS = [
  ['iou', boxIou],
  ['giou', generalizedBoxIou],
  ['diou', distanceBoxIou],
  ['ciou', completeBoxIou],
] as const;

describe('IoU family against torchvision (ops.json box_iou)', () => {
  it('has the expected golden sizes', () => {
    expect(a.length).toBe(20 * 4);
    expect(b.length).toBe(30 * 4);
  });

  for (const [key, fn] of FUNCTIONS) {
    it(`${fn.name} matches torchvision to 1e-5 (Float32Array in, Float32Array [20*30] out)`, () => {
      const out = fn(a, b);
      expect(out).toBeInstanceOf(Float32Array);
      expect(out.length).toBe(600);
      expect(maxAbsDiff(out, flattenNested(golden[key]).data)).toBeLessThan(1e-5);
    });

    it(`${fn.name} returns a float32 [20, 30] Tensor for tensor input`, () => {
      const out = fn(tensor(a, [20, 4]), tensor(b, [30, 4]));
      expect(out).toBeInstanceOf(Tensor);
      expect(out.dtype).toBe('float32');
      expect(out.shape).toEqual([20, 30]);
      expect(maxAbsDiff(out.data, flattenNested(golden[key]).data)).toBeLessThan(1e-5);
    });

    it(`${fn.name} is transposed when the arguments are swapped`, () => {
      const ab = fn(a, b);
      const ba = fn(b, a);
      let maxDiff = 0;
      for (let i = 0; i < 20; i++) {
        for (let j = 0; j < 30; j++) maxDiff = Math.max(maxDiff, Math.abs(ab[i * 30 + j]! - ba[j * 20 + i]!));
      }
      expect(maxDiff).toBeLessThan(1e-6);
    });
  }

  it('accepts mixed inputs (a tensor and a Float32Array give a tensor), Float64Array and other tensor dtypes', () => {
    const expected = flattenNested(golden.iou).data;
    const mixed = boxIou(a, tensor(b, [30, 4]));
    expect(mixed).toBeInstanceOf(Tensor);
    expect(mixed.shape).toEqual([20, 30]);
    expect(maxAbsDiff(boxIou(Float64Array.from(a), Float64Array.from(b)), expected)).toBeLessThan(1e-5);
    const half = boxIou(new Tensor('float16', [20, 4], float32ToFloat16Array(a)), tensor(b, [30, 4]));
    expect(maxAbsDiff(half.data, expected)).toBeLessThan(5e-3); // float16 rounds the coordinates
    const ints = new Tensor('int32', [2, 4], Int32Array.from([0, 0, 10, 10, 5, 5, 15, 15]));
    expect(Array.from(boxIou(ints, ints).data)).toEqual([1, Math.fround(25 / 175), Math.fround(25 / 175), 1]);
    const big = new Tensor('int64', [1, 4], BigInt64Array.from([0n, 0n, 4n, 2n]));
    expect(Array.from(boxIou(big, Float32Array.from([0, 0, 2, 2])).data)).toEqual([0.5]);
  });
});

describe('IoU family on hand-computed cases', () => {
  const unit = Float32Array.from([0, 0, 2, 2]);
  const shifted = Float32Array.from([1, 1, 3, 3]);
  const far = Float32Array.from([4, 0, 6, 2]);

  it('boxIou: identical 1, overlap 1/7, disjoint 0', () => {
    expect(boxIou(unit, unit)[0]).toBe(1);
    expect(boxIou(unit, shifted)[0]).toBeCloseTo(1 / 7, 7);
    expect(boxIou(unit, far)[0]).toBe(0);
  });

  it('generalizedBoxIou: disjoint boxes are penalised by the empty part of the enclosing box', () => {
    // Enclosing box [0,0,6,2] has area 12, union 8: 0 - (12 - 8) / 12.
    expect(generalizedBoxIou(unit, far)[0]).toBeCloseTo(-1 / 3, 7);
    // Overlap: iou 1/7, enclosing [0,0,3,3] area 9, union 7.
    expect(generalizedBoxIou(unit, shifted)[0]).toBeCloseTo(1 / 7 - 2 / 9, 7);
  });

  it('distanceBoxIou: centre distance over enclosing diagonal (eps 1e-7 by default, settable)', () => {
    // Centres (1,1) and (5,1): d^2 = 16; enclosing [0,0,6,2]: c^2 = 40.
    expect(distanceBoxIou(unit, far)[0]).toBeCloseTo(-16 / 40, 7);
    const withEps = distanceBoxIou(unit, far, { eps: 10 })[0]!;
    expect(withEps).toBeCloseTo(-16 / 50, 7);
  });

  it('completeBoxIou: equals DIoU for equal aspect ratios and subtracts alpha * v otherwise', () => {
    expect(completeBoxIou(unit, far)[0]).toBeCloseTo(distanceBoxIou(unit, far)[0]!, 7);
    const wide = Float32Array.from([0, 0, 4, 2]);
    // iou 4/8 = 0.5; centres (1,1), (2,1): d^2 1; enclosing [0,0,4,2]: c^2 20.
    const v = (4 / Math.PI ** 2) * (Math.atan(1) - Math.atan(2)) ** 2;
    const alpha = v / (1 - 0.5 + v + 1e-7);
    expect(completeBoxIou(unit, wide)[0]).toBeCloseTo(0.5 - 1 / (20 + 1e-7) - alpha * v, 6);
  });
});

describe('IoU family: special values and empty inputs', () => {
  it('NaN in a box makes its whole row (or column) NaN and leaves the others alone', () => {
    const withNaN = Float32Array.from([0, 0, 2, 2, 0, Number.NaN, 2, 2]);
    const other = Float32Array.from([0, 0, 2, 2, 1, 1, 3, 3]);
    for (const fn of [boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou]) {
      const out = fn(withNaN, other);
      expect(Number.isNaN(out[0]!)).toBe(false);
      expect(Number.isNaN(out[1]!)).toBe(false);
      expect(Number.isNaN(out[2]!)).toBe(true);
      expect(Number.isNaN(out[3]!)).toBe(true);
      const swapped = fn(other, withNaN);
      expect([swapped[1], swapped[3]].every(Number.isNaN)).toBe(true);
      expect([swapped[0], swapped[2]].some(Number.isNaN)).toBe(false);
    }
  });

  it('an infinitely large box has IoU 0 with a finite box, and two of them give NaN (inf - inf)', () => {
    const huge = Float32Array.from([0, 0, Number.POSITIVE_INFINITY, 10]);
    expect(boxIou(huge, Float32Array.from([0, 0, 5, 10]))[0]).toBe(0);
    expect(Number.isNaN(boxIou(huge, huge)[0]!)).toBe(true);
  });

  it('two zero-area boxes give NaN IoU (0 / 0), as torchvision', () => {
    const point = Float32Array.from([1, 1, 1, 1]);
    expect(Number.isNaN(boxIou(point, point)[0]!)).toBe(true);
    expect(boxIou(point, Float32Array.from([0, 0, 2, 2]))[0]).toBe(0);
  });

  it('N = 0 or M = 0 gives an empty result of the right shape', () => {
    const none = new Float32Array(0);
    const two = Float32Array.from([0, 0, 1, 1, 0, 0, 2, 2]);
    for (const fn of [boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou]) {
      expect(fn(none, two).length).toBe(0);
      expect(fn(two, none).length).toBe(0);
      expect(fn(tensor(none, [0, 4]), tensor(two, [2, 4])).shape).toEqual([0, 2]);
      expect(fn(tensor(two, [2, 4]), tensor(none, [0, 4])).shape).toEqual([2, 0]);
    }
  });
});

describe('IoU family: bad input', () => {
  const ok = Float32Array.from([0, 0, 1, 1]);

  it('rejects a length that is not a multiple of 4, naming the argument', () => {
    expect(() => boxIou(new Float32Array(6), ok)).toThrow(ShapeError);
    expect(() => boxIou(new Float32Array(6), ok)).toThrow(/boxIou: a: .*multiple of 4\), got length 6/);
    expect(() => generalizedBoxIou(ok, new Float32Array(3))).toThrow(/generalizedBoxIou: b: .*got length 3/);
  });

  it('rejects tensors of the wrong rank or last dimension, and bool tensors', () => {
    expect(() => boxIou(tensor(new Float32Array(8), [8]), ok)).toThrow(ShapeError);
    expect(() => boxIou(tensor(new Float32Array(8), [8]), ok)).toThrow(/shape \[N, 4\], got shape \[8\]/);
    expect(() => boxIou(ok, tensor(new Float32Array(10), [2, 5]))).toThrow(/boxIou: b: .*got shape \[2, 5\]/);
    expect(() => boxIou(tensor(new Float32Array(8), [1, 2, 4]), ok)).toThrow(ShapeError);
    expect(() => boxIou(new Tensor('bool', [1, 4], new Uint8Array(4)), ok)).toThrow(DTypeError);
  });

  it('rejects values that are not typed arrays or tensors, and other typed arrays, with a TypeError', () => {
    expect(() => boxIou([0, 0, 1, 1] as unknown as Float32Array, ok)).toThrow(TypeError);
    expect(() => boxIou([0, 0, 1, 1] as unknown as Float32Array, ok)).toThrow(/Float32Array.from/);
    expect(() => boxIou(ok, null as unknown as Float32Array)).toThrow(/boxIou: b: .*got null/);
    expect(() => boxIou(new Int32Array(4) as unknown as Float32Array, ok)).toThrow(/Int32Array\(4\)/);
  });

  it('rejects a bad eps', () => {
    expect(() => distanceBoxIou(ok, ok, { eps: -1 })).toThrow(RangeError);
    expect(() => completeBoxIou(ok, ok, { eps: Number.NaN })).toThrow(/options.eps: expected a finite number >= 0/);
    expect(() => completeBoxIou(ok, ok, 1e-7 as unknown as { eps: number })).toThrow(TypeError);
  });
});

describe('IoU family: the branch-free kernels agree with the pair-by-pair reference', () => {
  /** Boxes with awkward cases mixed in: inverted, zero-width, identical, touching, far from the origin. */
  function awkwardBoxes(n: number, seed: number): Float32Array {
    let s = seed;
    const next = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const out = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const offset = i % 7 === 0 ? 1e6 : 0;
      const x = offset + 100 * next();
      const y = 100 * next();
      let w = 60 * next();
      let h = 60 * next();
      if (i % 5 === 1) w = -w; // inverted: negative area, as torchvision allows
      if (i % 9 === 2) h = 0;
      out.set([x, y, x + w, y + h], 4 * i);
    }
    out.set([10, 10, 20, 20, 20, 10, 30, 20], 0); // touching edges
    out.set([10, 10, 20, 20], 8); // identical to box 0
    return out;
  }

  const kinds: [IouKind, (x: Float32Array, y: Float32Array) => Float32Array][] = [
    ['iou', boxIou],
    ['giou', generalizedBoxIou],
    ['diou', distanceBoxIou],
    ['ciou', completeBoxIou],
  ];
  const a = awkwardBoxes(40, 3);
  const b = awkwardBoxes(50, 4);

  for (const [kind, fn] of kinds) {
    it(`${kind}: fast path equals the reference (same NaN positions, values to 1e-6)`, () => {
      const out = fn(a, b);
      let checked = 0;
      for (let i = 0; i < 40; i++) {
        for (let j = 0; j < 50; j++) {
          const ref = Math.fround(pairReference(kind, a, 4 * i, b, 4 * j, 1e-7));
          const got = out[i * 50 + j]!;
          if (!Number.isFinite(ref))
            expect(got).toBe(ref); // NaN or +-Infinity (e.g. GIoU of zero-area boxes)
          else expect(Math.abs(got - ref)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref)));
          checked++;
        }
      }
      expect(checked).toBe(2000);
    });

    it(`${kind}: a NaN box elsewhere (reference path) leaves the finite pairs unchanged`, () => {
      const fast = fn(a, b);
      const withNaN = new Float32Array([...b, Number.NaN, 0, 1, 1]);
      const slow = fn(a, withNaN);
      for (let i = 0; i < 40; i++) {
        for (let j = 0; j < 50; j++) {
          const x = fast[i * 50 + j]!;
          const y = slow[i * 51 + j]!;
          if (!Number.isFinite(x)) expect(y).toBe(x);
          else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(x)));
        }
        expect(slow[i * 51 + 50]).toBeNaN();
      }
    });
  }
});
