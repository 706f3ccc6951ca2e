import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { tensor, zeros } from '../tensor.js';

function batchNorm(x: Dim[], params: number[][], attrs: Attrs = {}) {
  const b = new GraphBuilder();
  const inputs = [b.input('x', 'float32', x), ...params.map((p, i) => b.initializer(`p${i}`, zeros(p)))];
  return b.op('BatchNormalization', inputs, attrs, { name: 'layer1.0.bn1' })[0]!.shape;
}

describe('BatchNormalization shape inference', () => {
  it('keeps the shape', () => {
    expect(batchNorm(['N', 64, 56, 56], [[64], [64], [64], [64]], { epsilon: 1e-3 })).toEqual(['N', 64, 56, 56]);
    expect(batchNorm(['N', 64], [[64], [64], [64], [64]])).toEqual(['N', 64]);
  });

  it('names the parameter whose length differs from the channels', () => {
    expect(() => batchNorm([1, 64, 8, 8], [[64], [64], [32], [64]])).toThrow(
      'layer1.0.bn1 (BatchNormalization): input_mean has shape [32] but input X [1, 64, 8, 8] has 64 channels; ' +
        'expected [64]',
    );
    expect(() => batchNorm([1, 64, 8, 8], [[64], [64], [64]])).toThrow(/input 4 \(input_var\) is required/);
    expect(() => batchNorm([64], [[64], [64], [64], [64]])).toThrow(/rank >= 2/);
    expect(() => batchNorm([1, 64], [[64], [64], [64], [64]], { training_mode: 1 })).toThrow(RangeError);
    expect(() => batchNorm([1, 64], [[64], [64], [64], [64]], { epsilon: -1 })).toThrow(/epsilon/);
  });
});

describe('LayerNormalization shape inference', () => {
  it('normalises the trailing dims from axis', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 197, 768]);
    const s = b.initializer('s', zeros([768]));
    const bias = b.initializer('b', zeros([768]));
    expect(b.op('LayerNormalization', [x, s, bias], {}, { name: 'ln' })[0]!.shape).toEqual(['N', 197, 768]);
    const s2 = b.initializer('s2', zeros([197, 768]));
    expect(b.op('LayerNormalization', [x, s2], { axis: 1 }, { name: 'ln' })[0]!.shape).toEqual(['N', 197, 768]);
  });

  it('rejects a scale that does not match the normalized shape', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 197, 768]);
    expect(() => b.op('LayerNormalization', [x, b.initializer('s', zeros([512]))], {}, { name: 'ln' })).toThrow(
      'ln (LayerNormalization): Scale [512] does not match the normalized shape [768] (input X [N, 197, 768], axis 2)',
    );
    expect(() =>
      b.op('LayerNormalization', [x, b.initializer('s1', zeros([768]))], { axis: 3 }, { name: 'ln' }),
    ).toThrow(/attribute axis 3 is out of range/);
    expect(() =>
      b.op('LayerNormalization', [x, b.initializer('s2', zeros([768], 'float16'))], {}, { name: 'ln' }),
    ).toThrow(DTypeError);
  });
});

describe('ReduceMean shape inference', () => {
  function reduce(shape: Dim[], attrs: Attrs) {
    const b = new GraphBuilder();
    return b.op('ReduceMean', [b.input('x', 'float32', shape)], attrs, { name: 'se.pool' })[0]!.shape;
  }

  it('keeps or drops the reduced axes', () => {
    expect(reduce(['N', 64, 7, 7], { axes: [2, 3] })).toEqual(['N', 64, 1, 1]);
    expect(reduce(['N', 64, 7, 7], { axes: [-1, -2], keepdims: 0 })).toEqual(['N', 64]);
    expect(reduce(['N', 64, 7, 7], { keepdims: 0 })).toEqual([]);
    expect(reduce([2, 3], {})).toEqual([1, 1]);
  });

  it('accepts constant axes as an input (opset 18) and rejects bad axes', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3, 4]);
    const axes = b.initializer('axes', tensor([1], undefined, 'int64'));
    expect(b.op('ReduceMean', [x, axes], {}, { name: 'r' })[0]!.shape).toEqual([2, 1, 4]);
    expect(() => b.op('ReduceMean', [x, axes], { axes: [1] }, { name: 'r' })).toThrow(/both as an attribute/);
    expect(() => reduce([2, 3], { axes: [2] })).toThrow(
      'se.pool (ReduceMean): axis 2 is out of range [-2, 1] for an input of rank 2',
    );
    expect(() => reduce([2, 3], { axes: [1, -1] })).toThrow(/repeat an axis/);
    expect(() => reduce([2, 3], { axes: [0], keepdims: 5 })).toThrow(/keepdims/);
  });
});
