import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { tensor } from '../tensor.js';

function reshape(shape: Dim[], target: number[], attrs: Attrs = {}) {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', shape);
  const t = b.initializer('shape', tensor(target, [target.length], 'int64'));
  return b.op('Reshape', [x, t], attrs, { name: 'head.reshape' })[0]!.shape;
}

function flatten(shape: Dim[], attrs: Attrs = {}) {
  const b = new GraphBuilder();
  return b.op('Flatten', [b.input('x', 'float32', shape)], attrs, { name: 'flatten' })[0]!.shape;
}

describe('Reshape shape inference', () => {
  it('resolves 0 and -1 on numeric shapes', () => {
    expect(reshape([2, 3, 4], [6, -1])).toEqual([6, 4]);
    expect(reshape([2, 3, 4], [0, -1])).toEqual([2, 12]);
    expect(reshape([2, 3, 4], [4, 3, 2])).toEqual([4, 3, 2]);
    expect(reshape([2, 0, 4], [0, 0, 4])).toEqual([2, 0, 4]);
    expect(() => reshape([2, 0, 4], [0, 0, -1])).toThrow(/0 elements do not divide into the known sizes \(product 0\)/);
    expect(reshape([0, 3], [3, 0], { allowzero: 1 })).toEqual([3, 0]);
  });

  it('carries a symbolic batch through 0 and -1', () => {
    expect(reshape(['N', 512, 1, 1], [0, -1])).toEqual(['N', 512]);
    expect(reshape(['N', 512, 1, 1], [-1, 512])).toEqual(['N', 512]);
    expect(reshape(['N', 512, 1, 1], [0, 512])).toEqual(['N', 512]);
    expect(reshape(['N', 3, 4], [0, 12])).toEqual(['N', 12]);
    expect(reshape(['N', 'T', 8], [0, 0, 2, 4])).toEqual(['N', 'T', 2, 4]);
  });

  it('asks for a constant when a symbol cannot be carried', () => {
    expect(() => reshape(['N', 3, 4], [-1, 6])).toThrow(
      /head\.reshape \(Reshape\): cannot reshape \[N, 3, 4\] to \[-1, 6\]: the -1 would be N\*2, which is not one dim; a constant size is needed/,
    );
    expect(() => reshape(['N', 512], [1, 512])).toThrow(/the symbolic size N is not kept/);
    expect(() => reshape(['N', 'C'], [0, -1, 2])).toThrow(ShapeError);
  });

  it('rejects impossible targets', () => {
    expect(() => reshape([2, 3, 4], [5, -1])).toThrow(
      'head.reshape (Reshape): cannot reshape [2, 3, 4] to [5, -1]: 24 elements do not divide into the known sizes ' +
        '(product 5)',
    );
    expect(() => reshape([2, 3, 4], [5, 5])).toThrow(/24 elements vs 25/);
    expect(() => reshape([2, 3, 4], [-1, -1])).toThrow(/more than one -1/);
    expect(() => reshape([2, 3, 4], [-2, 12])).toThrow(/invalid size -2/);
    expect(() => reshape([6], [0, 0])).toThrow(/0 at index 1 copies a dim the input \(rank 1\) lacks/);
    expect(() => reshape([0, 3], [0, -1], { allowzero: 1 })).toThrow(/both 0 and -1/);
  });

  it('needs a constant int64 shape operand', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    expect(() => b.op('Reshape', [x, b.input('s', 'int64', [2])], {}, { name: 'r' })).toThrow(
      'r (Reshape): shape ("s") must be a constant initializer: its values decide the output shape',
    );
    expect(() => b.op('Reshape', [x, b.initializer('f', tensor([3, 2]))], {}, { name: 'r' })).toThrow(
      new DTypeError('r_1 (Reshape): shape must be int64, got float32'),
    );
    expect(() =>
      b.op('Reshape', [x, b.initializer('m', tensor([[3, 2]], undefined, 'int64'))], {}, { name: 'r' }),
    ).toThrow(/shape must be 1-D, got shape \[1, 2\]/);
  });
});

describe('Flatten shape inference', () => {
  it('multiplies the dims before and after axis', () => {
    expect(flatten(['N', 512, 1, 1])).toEqual(['N', 512]);
    expect(flatten([2, 3, 4, 5], { axis: 2 })).toEqual([6, 20]);
    expect(flatten([2, 3, 4], { axis: 0 })).toEqual([1, 24]);
    expect(flatten([2, 3, 4], { axis: 3 })).toEqual([24, 1]);
    expect(flatten([2, 3, 4], { axis: -1 })).toEqual([6, 4]);
    expect(flatten(['N', 0, 4])).toEqual(['N', 0]);
  });

  it('refuses a product with a symbol and a bad axis', () => {
    expect(() => flatten(['N', 3, 4], { axis: 2 })).toThrow(
      /flatten \(Flatten\): the outer size \[N, 3\] is N\*3, a product with a symbolic size/,
    );
    expect(() => flatten([2, 3], { axis: 3 })).toThrow(/attribute axis 3 is out of range \[-2, 2\]/);
  });
});
