import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../test-utils/fixtures.js';
import { DataError, ShapeError } from './errors.js';
import { float32ToFloat16Array } from './float16.js';
import { masksToBoxes } from './masks-to-boxes.js';
import { Tensor, tensor } from './tensor.js';

const golden = readGoldenJson<{ cases: { masks_to_boxes: { masks: number[][][]; boxes: number[][] } } }>('ops.json')
  .cases.masks_to_boxes;
const { data: maskValues, shape: maskShape } = flattenNested(golden.masks);
const expected = flattenNested(golden.boxes).data;

describe('masksToBoxes against torchvision (ops.json masks_to_boxes)', () => {
  it('has three 20x30 masks', () => {
    expect(maskShape).toEqual([3, 20, 30]);
  });

  it('matches for every mask dtype', () => {
    const asBool = new Tensor('bool', maskShape, Uint8Array.from(maskValues));
    const cases: Tensor[] = [
      asBool,
      new Tensor('uint8', maskShape, Uint8Array.from(maskValues)),
      new Tensor('float32', maskShape, Float32Array.from(maskValues)),
      new Tensor('float16', maskShape, float32ToFloat16Array(maskValues)),
      new Tensor('int32', maskShape, Int32Array.from(maskValues)),
      new Tensor('int64', maskShape, BigInt64Array.from(maskValues, BigInt)),
    ];
    for (const masks of cases) {
      const out = masksToBoxes(masks);
      expect(out).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(out, expected)).toBe(0);
    }
  });
});

describe('masksToBoxes semantics', () => {
  it('uses inclusive pixel indices (a single pixel gives x1 = x2, y1 = y2) and any nonzero value', () => {
    const data = new Float32Array(2 * 4 * 5);
    data[1 * 5 + 3] = -0.5; // mask 0: (x 3, y 1)
    data[3 * 5 + 0] = 2; // mask 0: (x 0, y 3)
    data[20 + 2 * 5 + 4] = Number.NaN; // mask 1: NaN != 0, as in torch
    expect(Array.from(masksToBoxes(tensor(data, [2, 4, 5])))).toEqual([0, 1, 3, 3, 4, 2, 4, 2]);
  });

  it('treats -0 as zero in float32 and float16 masks', () => {
    const data = Float32Array.from([-0, 0, 0, 1]);
    expect(Array.from(masksToBoxes(tensor(data, [1, 2, 2])))).toEqual([1, 1, 1, 1]);
    const half = new Tensor('float16', [1, 2, 2], float32ToFloat16Array(data));
    expect(Array.from(masksToBoxes(half))).toEqual([1, 1, 1, 1]);
  });

  it('gives [0, 0, 0, 0] for an all-zero mask by default (torchvision raises), or a DataError on request', () => {
    const data = new Uint8Array(2 * 3 * 3);
    data[9 + 4] = 1; // mask 1: centre pixel
    const masks = new Tensor('bool', [2, 3, 3], data);
    expect(Array.from(masksToBoxes(masks))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(masksToBoxes(masks, { empty: 'zeros' }))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(() => masksToBoxes(masks, { empty: 'error' })).toThrow(DataError);
    expect(() => masksToBoxes(masks, { empty: 'error' })).toThrow(/masks\[0\] \(shape \[3, 3\]\) has no nonzero pixel/);
  });

  it('handles empty inputs: N = 0 gives no boxes, H = 0 or W = 0 gives a zero box per mask', () => {
    expect(masksToBoxes(new Tensor('bool', [0, 5, 5], new Uint8Array(0))).length).toBe(0);
    expect(Array.from(masksToBoxes(new Tensor('bool', [2, 0, 5], new Uint8Array(0))))).toEqual(new Array(8).fill(0));
    expect(() => masksToBoxes(new Tensor('bool', [1, 4, 0], new Uint8Array(0)), { empty: 'error' })).toThrow(DataError);
  });
});

describe('masksToBoxes: bad input', () => {
  it('rejects a wrong rank with a ShapeError naming the argument', () => {
    expect(() => masksToBoxes(tensor(new Uint8Array(6), [2, 3]))).toThrow(ShapeError);
    expect(() => masksToBoxes(tensor(new Uint8Array(6), [2, 3]))).toThrow(
      'masksToBoxes: masks: expected a tensor of shape [N, H, W], got shape [2, 3]',
    );
    expect(() => masksToBoxes(tensor(new Uint8Array(6), [1, 1, 2, 3]))).toThrow(ShapeError);
  });

  it('rejects a non-tensor with a TypeError and bad options with TypeError/RangeError', () => {
    expect(() => masksToBoxes(new Uint8Array(6) as unknown as Tensor)).toThrow(TypeError);
    expect(() => masksToBoxes(new Uint8Array(6) as unknown as Tensor)).toThrow(/masks: expected an \[N, H, W\] Tensor/);
    const masks = new Tensor('bool', [1, 1, 1], new Uint8Array(1));
    expect(() => masksToBoxes(masks, { empty: 'nan' as 'zeros' })).toThrow(RangeError);
    expect(() => masksToBoxes(masks, { empty: 'nan' as 'zeros' })).toThrow(
      /options.empty: expected 'zeros' or 'error'/,
    );
    expect(() => masksToBoxes(masks, 'error' as unknown as { empty: 'error' })).toThrow(TypeError);
  });
});
