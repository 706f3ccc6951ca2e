import { describe, expect, it } from 'vitest';
import { boxArea, clipBoxes } from './boxes.js';
import { DTypeError, ShapeError } from './errors.js';
import { Tensor, tensor } from './tensor.js';

describe('boxArea', () => {
  it('computes (x2 - x1) * (y2 - y1) per box, unclamped as torchvision', () => {
    const boxes = Float32Array.from([0, 0, 2, 3, 1.5, 1, 2, 5, 3, 3, 1, 4]);
    expect(Array.from(boxArea(boxes))).toEqual([6, 2, -2]);
  });

  it('returns a float32 [N] tensor for a tensor (any numeric dtype)', () => {
    const out = boxArea(new Tensor('int32', [2, 4], Int32Array.from([0, 0, 10, 10, 5, 5, 6, 8])));
    expect(out).toBeInstanceOf(Tensor);
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual([2]);
    expect(Array.from(out.data)).toEqual([100, 3]);
  });

  it('propagates NaN and Infinity; empty input gives empty output', () => {
    const out = boxArea(Float32Array.from([0, Number.NaN, 1, 1, 0, 0, Number.POSITIVE_INFINITY, 1]));
    expect(Number.isNaN(out[0]!)).toBe(true);
    expect(out[1]).toBe(Number.POSITIVE_INFINITY);
    expect(boxArea(new Float32Array(0)).length).toBe(0);
    expect(boxArea(tensor(new Float32Array(0), [0, 4])).shape).toEqual([0]);
  });

  it('rejects bad boxes naming the argument', () => {
    expect(() => boxArea(new Float32Array(7))).toThrow(ShapeError);
    expect(() => boxArea(new Float32Array(7))).toThrow(/boxArea: boxes: .*got length 7/);
    expect(() => boxArea(tensor(new Float32Array(4), [4]))).toThrow(/got shape \[4\]/);
    expect(() => boxArea(new Tensor('bool', [1, 4], new Uint8Array(4)))).toThrow(DTypeError);
    expect(() => boxArea('0 0 1 1' as unknown as Float32Array)).toThrow(TypeError);
  });
});

describe('clipBoxes', () => {
  it('clamps x to [0, width] and y to [0, height], as clip_boxes_to_image', () => {
    const boxes = Float32Array.from([-5, -2, 130, 90, 10, 20, 30, 40]);
    expect(Array.from(clipBoxes(boxes, [80, 120]))).toEqual([0, 0, 120, 80, 10, 20, 30, 40]);
    expect(Array.from(boxes)).toEqual([-5, -2, 130, 90, 10, 20, 30, 40]);
  });

  it('returns a float32 [N, 4] tensor for a tensor', () => {
    const out = clipBoxes(tensor([[-1, 5, 50, 50]]), [10, 20]);
    expect(out).toBeInstanceOf(Tensor);
    expect(out.shape).toEqual([1, 4]);
    expect(Array.from(out.data)).toEqual([0, 5, 20, 10]);
  });

  it('keeps NaN (as torch.clamp), clamps +-Infinity to the bounds; empty input gives empty output', () => {
    const out = clipBoxes(
      Float32Array.from([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN]),
      [8, 6],
    );
    expect(Number.isNaN(out[0]!)).toBe(true);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(6);
    expect(Number.isNaN(out[3]!)).toBe(true);
    expect(clipBoxes(new Float32Array(0), [8, 6]).length).toBe(0);
  });

  it('rejects a bad size and bad boxes', () => {
    const ok = Float32Array.from([0, 0, 1, 1]);
    expect(() => clipBoxes(ok, [10] as unknown as [number, number])).toThrow(TypeError);
    expect(() => clipBoxes(ok, [10] as unknown as [number, number])).toThrow(/size: expected \[height, width\]/);
    expect(() => clipBoxes(ok, [-1, 10])).toThrow(RangeError);
    expect(() => clipBoxes(ok, [10, Number.NaN])).toThrow(
      /size\[1\] \(width\): expected a finite number >= 0, got NaN/,
    );
    expect(() => clipBoxes(ok, [10, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => clipBoxes(new Float32Array(3), [10, 10])).toThrow(/clipBoxes: boxes/);
  });
});
