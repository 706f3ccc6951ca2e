import { describe, expect, it } from 'vitest';
import type { DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import { tensor } from '../tensor.js';

function resize(
  shape: Dim[],
  operands: { scales?: number[]; sizes?: number[] },
  attrs: Attrs = {},
  dtype: DType = 'float32',
) {
  const b = new GraphBuilder();
  const inputs: (Value | null)[] = [b.input('x', dtype, shape), null];
  inputs.push(operands.scales ? b.initializer('scales', tensor(operands.scales, [operands.scales.length])) : null);
  if (operands.sizes) inputs.push(b.initializer('sizes', tensor(operands.sizes, [operands.sizes.length], 'int64')));
  return b.op('Resize', inputs, attrs, { name: 'fpn.up' })[0]!.shape;
}

describe('Resize shape inference', () => {
  it('floors in * scale', () => {
    expect(resize(['N', 256, 13, 13], { scales: [1, 1, 2, 2] })).toEqual(['N', 256, 26, 26]);
    expect(resize([1, 3, 7, 7], { scales: [1, 1, 1.5, 1.5] }, { mode: 'linear' })).toEqual([1, 3, 10, 10]);
    expect(resize([1, 3, 10, 10], { scales: [1, 1, 0.333, 0.5] })).toEqual([1, 3, 3, 5]);
    // 0.7 in float32 is 0.699999988..., 10 * it rounds to 7 in float32 (as onnxruntime computes it).
    expect(resize([1, 1, 10, 10], { scales: [1, 1, 0.7, 0.7] })).toEqual([1, 1, 7, 7]);
  });

  it('takes sizes as given, also for symbolic inputs', () => {
    expect(resize(['N', 3, 'H', 'W'], { sizes: [1, 3, 224, 224] }, { mode: 'linear' })).toEqual([1, 3, 224, 224]);
    expect(resize([1, 3, 8, 8], { scales: [], sizes: [1, 3, 4, 6] })).toEqual([1, 3, 4, 6]);
  });

  it('accepts a nearest resize of integer images', () => {
    expect(resize([1, 3, 4, 4], { scales: [1, 1, 2, 2] }, {}, 'uint8')).toEqual([1, 3, 8, 8]);
    expect(() => resize([1, 3, 4, 4], { scales: [1, 1, 2, 2] }, { mode: 'linear' }, 'uint8')).toThrow(DTypeError);
  });

  it('reports bad operands and attributes', () => {
    expect(() => resize([1, 3, 8, 8], {})).toThrow(
      'fpn.up (Resize): needs exactly one of scales and sizes, got neither',
    );
    expect(() => resize([1, 3, 8, 8], { scales: [1, 1, 2, 2], sizes: [1, 3, 4, 4] })).toThrow(/got both/);
    expect(() => resize([1, 3, 8, 8], { scales: [2, 2] })).toThrow(
      /scales \[2, 2\] has 2 values but input X \[1, 3, 8, 8\] has rank 4 \(one value per dim, N and C included\)/,
    );
    expect(() => resize([1, 3, 8, 8], { scales: [1, 1, 0, 2] })).toThrow(/scales\[2\] is 0; scales must be positive/);
    expect(() => resize([1, 3, 8, 8], { sizes: [1, 3, -1, 4] })).toThrow(/sizes\[2\] is -1/);
    expect(() => resize([1, 3, 'H', 8], { scales: [1, 1, 2, 2] })).toThrow(/symbolic \(H\); scaling it by 2/);
    expect(() => resize([1, 3, 8, 8], { scales: [1, 1, 2, 2] }, { mode: 'bilinear' })).toThrow(/attribute mode/);
    expect(() =>
      resize([1, 3, 8, 8], { scales: [1, 1, 2, 2] }, { coordinate_transformation_mode: 'tf_crop_and_resize' }),
    ).toThrow(/coordinate_transformation_mode/);
    expect(() => resize([1, 3, 8, 8], { scales: [1, 1, 2, 2] }, { nearest_mode: 'round' })).toThrow(/nearest_mode/);
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 3, 8, 8]);
    const s64 = b.initializer('s64', tensor([1, 1, 2, 2], [4], 'int64'));
    expect(() => b.op('Resize', [x, null, s64], {}, { name: 'r' })).toThrow(
      new DTypeError('r (Resize): scales must be float32, got int64'),
    );
  });
});
