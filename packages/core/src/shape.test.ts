import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import {
  assertShape,
  broadcastShapes,
  formatShape,
  resolveReshape,
  shapeSize,
  shapesEqual,
  stridesOf,
} from './shape.js';

describe('assertShape', () => {
  it('accepts non-negative integer sizes, including empty and zero-size shapes', () => {
    for (const shape of [[], [0], [1, 2, 3], [2 ** 31]]) expect(() => assertShape(shape, 'shape')).not.toThrow();
  });

  it('names the argument and the bad entry', () => {
    expect(() => assertShape([2, -1], 'weight')).toThrow(/weight\[1\]: expected a non-negative integer size, got -1/);
    expect(() => assertShape([2.5], 'x')).toThrow(RangeError);
    expect(() => assertShape([Number.NaN], 'x')).toThrow(/got NaN/);
    expect(() => assertShape(['3'], 'x')).toThrow(/got "3"/);
    expect(() => assertShape(new Int32Array([1, 2]), 'x')).toThrow(TypeError);
    expect(() => assertShape(undefined, 'x')).toThrow(/x: expected an array of sizes, got undefined/);
  });
});

describe('sizes and strides', () => {
  it('shapeSize multiplies the dims (1 for a scalar, 0 with a zero dim)', () => {
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([5, 0, 7])).toBe(0);
  });

  it('stridesOf gives row-major element strides', () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([7])).toEqual([1]);
    expect(stridesOf([])).toEqual([]);
    expect(stridesOf([3, 0, 2])).toEqual([0, 2, 1]);
  });

  it('shapesEqual and formatShape', () => {
    expect(shapesEqual([1, 2], [1, 2])).toBe(true);
    expect(shapesEqual([1, 2], [2, 1])).toBe(false);
    expect(shapesEqual([1], [1, 1])).toBe(false);
    expect(formatShape([1, 'N', 3])).toBe('[1, N, 3]');
    expect(formatShape([])).toBe('[]');
  });
});

describe('broadcastShapes', () => {
  it('follows NumPy: align from the right, 1 stretches, missing dims count as 1', () => {
    expect(broadcastShapes([8, 1, 6, 1], [7, 1, 5])).toEqual([8, 7, 6, 5]);
    expect(broadcastShapes([3], [2, 1])).toEqual([2, 3]);
    expect(broadcastShapes([], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes([], [])).toEqual([]);
    expect(broadcastShapes([1, 4], [4])).toEqual([1, 4]);
  });

  it('broadcasts zero-size dims against 1 (giving 0), not against other sizes', () => {
    expect(broadcastShapes([0, 1], [1, 5])).toEqual([0, 5]);
    expect(broadcastShapes([1], [0])).toEqual([0]);
    expect(() => broadcastShapes([0], [2])).toThrow(ShapeError);
  });

  it('names both shapes and the offending dimension', () => {
    expect(() => broadcastShapes([2, 3], [4, 3], 'Add')).toThrow(
      'Add: shapes [2, 3] and [4, 3] do not broadcast (dimension 0: 2 vs 4)',
    );
    expect(() => broadcastShapes([3], [2, 4])).toThrow(/^broadcast: .*dimension 1: 3 vs 4/);
  });
});

describe('resolveReshape', () => {
  it('infers one -1', () => {
    expect(resolveReshape([2, 3, 4], [-1])).toEqual([24]);
    expect(resolveReshape([2, 3, 4], [4, -1])).toEqual([4, 6]);
    expect(resolveReshape([2, 3, 4], [-1, 2, 2])).toEqual([6, 2, 2]);
    expect(resolveReshape([], [-1])).toEqual([1]);
    expect(resolveReshape([1, 1], [])).toEqual([]);
    expect(() => resolveReshape([5], [])).toThrow(/to \[\] \(1 elements\)/);
  });

  it('copies the input dim for 0 (ONNX Reshape, allowzero = 0)', () => {
    expect(resolveReshape([2, 3, 4], [0, -1])).toEqual([2, 12]);
    expect(resolveReshape([2, 3, 4], [0, 0, 4])).toEqual([2, 3, 4]);
    expect(resolveReshape([2, 3, 4], [0, 0, -1])).toEqual([2, 3, 4]);
    // 0 copies the dim at the same index, so it is not a literal size 0.
    expect(() => resolveReshape([2, 3, 4], [0, 4, 0])).toThrow(/to \[0, 4, 0\] \(32 elements\)/);
  });

  it('handles zero-size tensors where the answer is determined', () => {
    expect(resolveReshape([0, 3], [0, 3, 1])).toEqual([0, 3, 1]);
    expect(resolveReshape([0, 3], [-1, 3])).toEqual([0, 3]);
    expect(resolveReshape([0], [-1])).toEqual([0]);
    // -1 next to a zero size is ambiguous (torch refuses it too).
    expect(() => resolveReshape([0, 3], [0, -1])).toThrow(/cannot reshape \[0, 3\] \(0 elements\) to \[0, -1\]/);
  });

  it('refuses wrong sizes, two -1s, negative, fractional and out-of-range 0 entries', () => {
    expect(() => resolveReshape([2, 3], [4, 2], 'Tensor.reshape')).toThrow(
      'Tensor.reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)',
    );
    expect(() => resolveReshape([2, 3], [4, -1])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) to \[4, -1\]/);
    expect(() => resolveReshape([2, 3], [-1, -1])).toThrow(/more than one -1/);
    expect(() => resolveReshape([2, 3], [-2, -3])).toThrow(/invalid size -2 at index 0/);
    expect(() => resolveReshape([6], [1.5, 4])).toThrow(ShapeError);
    expect(() => resolveReshape([6], [6, 0])).toThrow(/invalid size 0 at index 1/);
  });
});
