import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import type { Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';

type PoolOp = 'MaxPool' | 'AveragePool' | 'GlobalAveragePool' | 'GlobalMaxPool';

function pool(op: PoolOp, shape: Dim[], attrs: Record<string, number | number[] | string> = {}) {
  const b = new GraphBuilder();
  return b.op(op, [b.input('x', 'float32', shape)], attrs, { name: 'features.2' })[0]!.shape;
}

describe('MaxPool / AveragePool shape inference', () => {
  it('computes the pooled sizes', () => {
    expect(pool('MaxPool', [1, 1, 4, 4], { kernel_shape: [2, 2], strides: [2, 2] })).toEqual([1, 1, 2, 2]);
    expect(pool('MaxPool', ['N', 64, 112, 112], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })).toEqual(
      ['N', 64, 56, 56],
    );
    expect(pool('AveragePool', [1, 6, 28, 28], { kernel_shape: [2, 2], strides: [2, 2] })).toEqual([1, 6, 14, 14]);
    expect(pool('MaxPool', [1, 2, 9], { kernel_shape: [3], strides: [3] })).toEqual([1, 2, 3]);
    expect(pool('MaxPool', [1, 2, 'H', 'W'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })).toEqual([1, 2, 'H', 'W']);
    expect(pool('MaxPool', [1, 2, 10, 10], { kernel_shape: [3, 3], dilations: [2, 2] })).toEqual([1, 2, 6, 6]);
    expect(
      pool('AveragePool', [1, 2, 7, 7], { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'SAME_UPPER' }),
    ).toEqual([1, 2, 4, 4]);
  });

  it('follows PyTorch ceil_mode, dropping a window that starts in the padding', () => {
    expect(pool('MaxPool', [1, 64, 112, 112], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 })).toEqual([
      1, 64, 56, 56,
    ]);
    expect(pool('MaxPool', [1, 64, 112, 112], { kernel_shape: [3, 3], strides: [2, 2] })).toEqual([1, 64, 55, 55]);
    expect(
      pool('AveragePool', [1, 1, 5, 5], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
    ).toEqual([1, 1, 3, 3]);
  });

  it('reports bad configurations with the path and the formula', () => {
    expect(() => pool('MaxPool', [1, 3, 2, 8], { kernel_shape: [3, 3], strides: [2, 2] })).toThrow(
      'features.2 (MaxPool): input height 2, kernel 3, stride 2, pad 0 -> (2 - 3 + 2*0)/2 + 1 = 0.5: kernel 3 ' +
        'larger than input 2',
    );
    expect(() => pool('MaxPool', [1, 3, 8, 8], { kernel_shape: [2, 2], pads: [2, 2, 2, 2] })).toThrow(
      /features\.2 \(MaxPool\): begin padding 2 must be smaller than the kernel 2/,
    );
    expect(() => pool('MaxPool', [1, 3, 8, 8], {})).toThrow('features.2 (MaxPool): attribute kernel_shape is required');
    expect(() => pool('MaxPool', [1, 3, 8, 8], { kernel_shape: [2] })).toThrow(/has 1 values but input X/);
    expect(() => pool('MaxPool', [1, 3, 8, 8], { kernel_shape: [0, 2] })).toThrow(RangeError);
    expect(() => pool('MaxPool', [1, 3, 8, 8], { kernel_shape: [2, 2], ceil_mode: 2 })).toThrow(
      /attribute ceil_mode: expected 0 or 1, got 2/,
    );
    expect(() => pool('AveragePool', [1, 3, 8, 8], { kernel_shape: [2, 2], count_include_pad: 3 })).toThrow(
      /count_include_pad/,
    );
    expect(() => pool('MaxPool', [3, 8], { kernel_shape: [2] })).toThrow(/input X must have rank >= 3/);
    expect(() => pool('MaxPool', [1, 3, 'H', 8], { kernel_shape: [2, 2], strides: [2, 2] })).toThrow(
      /input height is symbolic \(H\)/,
    );
  });
});

describe('GlobalAveragePool / GlobalMaxPool shape inference', () => {
  it('keeps N and C and makes every spatial dim 1', () => {
    expect(pool('GlobalAveragePool', ['N', 512, 7, 7])).toEqual(['N', 512, 1, 1]);
    expect(pool('GlobalMaxPool', [2, 8, 'H', 'W'])).toEqual([2, 8, 1, 1]);
    expect(pool('GlobalAveragePool', [2, 8, 5])).toEqual([2, 8, 1]);
  });

  it('rejects low ranks and integer inputs', () => {
    expect(() => pool('GlobalAveragePool', [2, 8])).toThrow(/rank >= 3/);
    const b = new GraphBuilder();
    expect(() => b.op('GlobalMaxPool', [b.input('x', 'uint8', [1, 3, 4, 4])], {}, { name: 'gp' })).toThrow(
      new DTypeError('gp (GlobalMaxPool): input X must be float32 or float16, got uint8'),
    );
  });
});
