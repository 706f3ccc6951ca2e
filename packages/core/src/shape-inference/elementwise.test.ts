import { describe, expect, it } from 'vitest';
import type { DType } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, Dim, OpType } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { zeros } from '../tensor.js';

function unary(op: OpType, shape: Dim[], attrs: Attrs = {}, dtype: DType = 'float32') {
  const b = new GraphBuilder();
  return b.op(op, [b.input('x', dtype, shape)], attrs, { name: 'act' })[0]!;
}

function binary(op: OpType, a: Dim[], c: Dim[], dtypes: [DType, DType] = ['float32', 'float32']) {
  const b = new GraphBuilder();
  return b.op(op, [b.input('a', dtypes[0], a), b.input('b', dtypes[1], c)], {}, { name: 'layer3.1.add' })[0]!;
}

describe('activations', () => {
  const ops: OpType[] = ['Relu', 'LeakyRelu', 'Elu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Gelu'];
  it.each(ops)('%s keeps the shape and dtype', (op) => {
    const y = unary(op, ['N', 16, 8, 8], {}, 'float16');
    expect(y.shape).toEqual(['N', 16, 8, 8]);
    expect(y.dtype).toBe('float16');
  });

  it.each(ops)('%s requires a float input', (op) => {
    expect(() => unary(op, [2, 3], {}, 'int64')).toThrow(DTypeError);
  });

  it('checks attributes', () => {
    expect(unary('Gelu', [2], { approximate: 'tanh' }).shape).toEqual([2]);
    expect(() => unary('Gelu', [2], { approximate: 'fast' })).toThrow(
      `act (Gelu): attribute approximate: expected one of 'none', 'tanh', got "fast"`,
    );
    expect(() => unary('LeakyRelu', [2], { alpha: 'x' })).toThrow(TypeError);
    expect(() => unary('HardSigmoid', [2], { beta: Number.NaN })).toThrow(RangeError);
  });

  it('PRelu checks that the slope broadcasts', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 8, 4, 4]);
    expect(b.op('PRelu', [x, b.initializer('s', zeros([8, 1, 1]))], {}, { name: 'p' })[0]!.shape).toEqual([
      'N',
      8,
      4,
      4,
    ]);
    expect(b.op('PRelu', [x, b.initializer('s1', zeros([1]))], {}, { name: 'p' })[0]!.shape).toEqual(['N', 8, 4, 4]);
    expect(() => b.op('PRelu', [x, b.initializer('s2', zeros([8]))], {}, { name: 'p' })).toThrow(
      'p_2 (PRelu): slope [8] does not broadcast to input X [N, 8, 4, 4] (hint: a per-channel slope is [C, 1, 1])',
    );
  });

  it('Softmax checks its axis', () => {
    expect(unary('Softmax', ['N', 10], { axis: 1 }).shape).toEqual(['N', 10]);
    expect(() => unary('Softmax', ['N', 10], { axis: 2 })).toThrow(
      'act (Softmax): attribute axis 2 is out of range [-2, 1] for an input of rank 2',
    );
    expect(() => unary('Softmax', [])).toThrow(/rank >= 1/);
  });

  it('Identity and Dropout pass the input through', () => {
    expect(unary('Identity', ['N', 3], {}, 'int64')).toMatchObject({ dtype: 'int64', shape: ['N', 3] });
    expect(unary('Dropout', ['N', 3], { seed: 1 }).shape).toEqual(['N', 3]);
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    expect(() => b.op('Dropout', [x, b.input('r', 'float32', [2])], {}, { name: 'd' })).toThrow(
      /ratio must be a scalar/,
    );
    expect(() => b.op('Dropout', [x, null, b.input('t', 'float32', [])], {}, { name: 'd' })).toThrow(
      /training_mode must be bool/,
    );
  });

  it('Clip takes scalar min/max of the input dtype', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 4]);
    const lo = b.initializer('lo', zeros([]));
    const hi = b.initializer('hi', zeros([1]));
    expect(b.op('Clip', [x, lo, hi], {}, { name: 'relu6' })[0]!.shape).toEqual(['N', 4]);
    expect(b.op('Clip', [x, null, hi], {}, { name: 'relu6' })[0]!.shape).toEqual(['N', 4]);
    expect(() => b.op('Clip', [x, b.initializer('v', zeros([2]))], {}, { name: 'c' })).toThrow(
      'c (Clip): min must be a scalar, got shape [2]',
    );
    expect(() => b.op('Clip', [x, b.initializer('i', zeros([], 'int64'))], {}, { name: 'c' })).toThrow(DTypeError);
  });
});

describe('Add / Sub / Mul / Div broadcasting', () => {
  it('broadcasts numeric shapes as NumPy', () => {
    expect(binary('Add', [2, 3, 4], [4]).shape).toEqual([2, 3, 4]);
    expect(binary('Mul', [2, 1, 4], [3, 1]).shape).toEqual([2, 3, 4]);
    expect(binary('Sub', [], [5]).shape).toEqual([5]);
    expect(binary('Div', [0, 3], [1, 3]).shape).toEqual([0, 3]);
    expect(binary('Add', [2, 3], [2, 3], ['int64', 'int64']).dtype).toBe('int64');
  });

  it('broadcasts symbolic dims', () => {
    expect(binary('Add', ['N', 64, 56, 56], ['N', 64, 56, 56]).shape).toEqual(['N', 64, 56, 56]);
    expect(binary('Add', ['N', 64, 1, 1], [1, 64, 7, 7]).shape).toEqual(['N', 64, 7, 7]);
    expect(binary('Mul', ['N', 3], [1, 1]).shape).toEqual(['N', 3]);
    expect(binary('Mul', ['N', 3], [4, 3]).shape).toEqual([4, 3]);
    expect(binary('Mul', [64], ['N', 1]).shape).toEqual(['N', 64]);
  });

  it('rejects shapes that do not broadcast and mixed dtypes', () => {
    expect(() => binary('Add', [1, 64, 56, 56], [1, 128, 56, 56])).toThrow(ShapeError);
    expect(() => binary('Add', [1, 64, 56, 56], [1, 128, 56, 56])).toThrow(
      /^layer3\.1\.add \(Add\): inputs A and B: shapes \[1, 64, 56, 56\] and \[1, 128, 56, 56\] do not broadcast/,
    );
    expect(() => binary('Add', ['N', 64], ['N', 32])).toThrow(/dimension 1: 64 vs 32/);
    expect(() => binary('Add', ['N', 3], ['M', 3])).toThrow(/two different symbols/);
    expect(() => binary('Add', [2], [2], ['float32', 'float16'])).toThrow(
      'layer3.1.add (Add): input B is float16 but input A is float32; they must match',
    );
    expect(() => binary('Add', [2], [2], ['bool', 'bool'])).toThrow(DTypeError);
    const b = new GraphBuilder();
    expect(() => b.op('Add', [b.input('a', 'float32', [2])], {}, { name: 'a' })).toThrow(/input 1 \(B\) is required/);
  });
});
