import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { tensor, zeros } from '../tensor.js';

function concat(shapes: Dim[][], attrs: Attrs) {
  const b = new GraphBuilder();
  const inputs = shapes.map((s, i) => b.input(`x${i}`, 'float32', s));
  return b.op('Concat', inputs, attrs, { name: 'inception.cat' })[0]!.shape;
}

describe('Concat shape inference', () => {
  it('adds the axis dims and keeps the others', () => {
    expect(
      concat(
        [
          ['N', 64, 28, 28],
          ['N', 128, 28, 28],
          ['N', 32, 28, 28],
        ],
        { axis: 1 },
      ),
    ).toEqual(['N', 224, 28, 28]);
    expect(
      concat(
        [
          [2, 3],
          [2, 5],
        ],
        { axis: -1 },
      ),
    ).toEqual([2, 8]);
    expect(concat([['N', 3]], { axis: 0 })).toEqual(['N', 3]);
    expect(
      concat(
        [
          [1, 'C'],
          [1, 4],
        ],
        { axis: 0 },
      ),
    ).toEqual([2, 4]);
  });

  it('names the input and dim that differ', () => {
    expect(() =>
      concat(
        [
          ['N', 64, 28, 28],
          ['N', 64, 14, 14],
        ],
        { axis: 1 },
      ),
    ).toThrow(
      'inception.cat (Concat): input 1 [N, 64, 14, 14] differs from input 0 [N, 64, 28, 28] at dim 2 (14 vs 28); ' +
        'only dim 1 (the axis) may differ',
    );
    expect(() =>
      concat(
        [
          [2, 3],
          [2, 3, 1],
        ],
        { axis: 0 },
      ),
    ).toThrow(/has rank 3, input 0 has rank 2/);
    expect(() => concat([[2, 3]], {})).toThrow(/attribute axis is required/);
    expect(() => concat([[2, 3]], { axis: 2 })).toThrow(/out of range/);
    expect(() =>
      concat(
        [
          ['N', 3],
          ['M', 3],
        ],
        { axis: 0 },
      ),
    ).toThrow(/N \+ M, which needs numbers/);
    expect(() => concat([], { axis: 0 })).toThrow(/needs at least one input/);
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    expect(() => b.op('Concat', [x, b.input('y', 'int64', [2])], { axis: 0 }, { name: 'c' })).toThrow(DTypeError);
    expect(() => b.op('Concat', [x, null], { axis: 0 }, { name: 'c' })).toThrow(/input 1 is missing/);
  });
});

describe('Transpose shape inference', () => {
  it('permutes (default: reverses) the dims', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 3, 224, 224]);
    expect(b.op('Transpose', [x], { perm: [0, 2, 3, 1] }, { name: 't' })[0]!.shape).toEqual(['N', 224, 224, 3]);
    expect(b.op('Transpose', [x], {}, { name: 't' })[0]!.shape).toEqual([224, 224, 3, 'N']);
    expect(() => b.op('Transpose', [x], { perm: [0, 1, 1, 2] }, { name: 't' })).toThrow(
      /attribute perm \[0, 1, 1, 2\] is not a permutation of the 4 axes/,
    );
    expect(() => b.op('Transpose', [x], { perm: [0, 1] }, { name: 't' })).toThrow(ShapeError);
  });
});

describe('Split shape inference', () => {
  it('splits by the split operand', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 6, 4]);
    const split = b.initializer('split', tensor([2, 4], undefined, 'int64'));
    const outs = b.op('Split', [x, split], { axis: 1 }, { name: 's', outputs: 2 });
    expect(outs.map((o) => o.shape)).toEqual([
      ['N', 2, 4],
      ['N', 4, 4],
    ]);
    expect(() => b.op('Split', [x, split], { axis: 2 }, { name: 's', outputs: 2 })).toThrow(
      /split \[2, 4\] adds up to 6 but input dim 2 is 4/,
    );
    expect(() => b.op('Split', [x, split], { axis: 0 }, { name: 's', outputs: 2 })).toThrow(/symbolic \(N\)/);
    expect(() => b.op('Split', [x, split], { axis: 1, num_outputs: 2 }, { name: 's', outputs: 2 })).toThrow(/not both/);
    const neg = b.initializer('neg', tensor([7, -1], undefined, 'int64'));
    expect(() => b.op('Split', [x, neg], { axis: 1 }, { name: 's', outputs: 2 })).toThrow(/split\[1\] is -1/);
  });

  it('splits equally by num_outputs, the last part smaller', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 7]);
    expect(b.op('Split', [x], { axis: -1, num_outputs: 4 }, { name: 's', outputs: 4 }).map((o) => o.shape)).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 1],
    ]);
    expect(b.op('Split', [x], { axis: 0, num_outputs: 2 }, { name: 's', outputs: 2 }).map((o) => o.shape)).toEqual([
      [1, 7],
      [1, 7],
    ]);
    expect(() => b.op('Split', [x], { axis: 1 }, { name: 's', outputs: 2 })).toThrow(
      /needs the split input or attribute num_outputs/,
    );
    expect(() => b.op('Split', [x], { axis: 1, num_outputs: 6 }, { name: 's', outputs: 6 })).toThrow(
      /cannot split 7 into 6 non-empty parts/,
    );
    expect(() => b.op('Split', [x], { axis: 1, num_outputs: 2 }, { name: 's', outputs: 3 })).toThrow(
      /shape inference gave 2 outputs, expected 3/,
    );
  });
});

describe('Constant shape inference', () => {
  it('takes the dtype and shape of the value', () => {
    const b = new GraphBuilder();
    expect(b.op('Constant', [], { value: zeros([2, 3], 'int64') }, { name: 'k' })[0]).toMatchObject({
      dtype: 'int64',
      shape: [2, 3],
    });
    expect(b.op('Constant', [], { value_float: 1.5 }, { name: 'k' })[0]).toMatchObject({ dtype: 'float32', shape: [] });
    expect(b.op('Constant', [], { value_ints: [1, 2, 3] }, { name: 'k' })[0]).toMatchObject({
      dtype: 'int64',
      shape: [3],
    });
    expect(b.op('Constant', [], { value_floats: [1, 2] }, { name: 'k' })[0]!.shape).toEqual([2]);
    expect(b.op('Constant', [], { value_int: 3 }, { name: 'k' })[0]!.dtype).toBe('int64');
  });

  it('needs exactly one value attribute and no inputs', () => {
    const b = new GraphBuilder();
    expect(() => b.op('Constant', [], {}, { name: 'k' })).toThrow(/expected exactly one of the attributes value/);
    expect(() => b.op('Constant', [], { value: zeros([1]), value_int: 1 }, { name: 'k' })).toThrow(
      /got value, value_int/,
    );
    expect(() => b.op('Constant', [], { value: [1, 2] }, { name: 'k' })).toThrow(TypeError);
    expect(() => b.op('Constant', [b.input('x', 'float32', [1])], { value_int: 1 }, { name: 'k' })).toThrow(
      /expected at most 0 inputs/,
    );
  });
});
