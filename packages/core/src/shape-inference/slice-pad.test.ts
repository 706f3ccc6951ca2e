import { describe, expect, it } from 'vitest';
import { DTypeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import { tensor, zeros } from '../tensor.js';
import { sliceSize } from './slice-pad.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
type Int = number | bigint;

function slice(shape: Dim[], starts: Int[], ends: Int[], axes?: Int[], steps?: Int[]) {
  const b = new GraphBuilder();
  const i64 = (name: string, v: Int[]) => b.initializer(name, tensor(BigInt64Array.from(v, BigInt), [v.length]));
  const inputs: (Value | null)[] = [b.input('x', 'float32', shape), i64('starts', starts), i64('ends', ends)];
  inputs.push(axes ? i64('axes', axes) : null);
  if (steps) inputs.push(i64('steps', steps));
  return b.op('Slice', inputs, {}, { name: 'crop' })[0]!.shape;
}

function pad(shape: Dim[], pads: number[], attrs: Attrs = {}) {
  const b = new GraphBuilder();
  const inputs = [b.input('x', 'float32', shape), b.initializer('pads', tensor(pads, [pads.length], 'int64'))];
  return b.op('Pad', inputs, attrs, { name: 'pad' })[0]!.shape;
}

describe('Slice shape inference', () => {
  it('follows ONNX clamping', () => {
    expect(slice([10, 20], [1, 0], [3, 5])).toEqual([2, 5]);
    expect(slice([10, 20], [-3], [INT64_MAX], [1])).toEqual([10, 3]);
    expect(slice([10, 20], [2], [100], [0])).toEqual([8, 20]);
    expect(slice([10, 20], [0], [-1], [-1])).toEqual([10, 19]);
    expect(slice([10, 20], [5], [2], [0])).toEqual([0, 20]);
    expect(slice([10, 20], [0], [20], [1], [3])).toEqual([10, 7]);
  });

  it('walks backwards with negative steps', () => {
    expect(slice([10], [-1], [INT64_MIN], [0], [-1])).toEqual([10]); // reverse
    expect(slice([10], [8], [2], [0], [-2])).toEqual([3]);
    expect(slice([10], [100], [-100], [0], [-3])).toEqual([4]);
    expect(sliceSize(5, 2, 2, -1)).toBe(0);
  });

  it('keeps a symbolic dim only when it is taken whole', () => {
    expect(slice(['N', 3, 8, 8], [0, 1], [INT64_MAX, 3], [0, 1])).toEqual(['N', 2, 8, 8]);
    expect(() => slice(['N', 3], [0], [2], [0])).toThrow(/crop \(Slice\): dim 0 of \[N, 3\] is symbolic \(N\)/);
  });

  it('reports bad operands', () => {
    expect(() => slice([4], [0], [2], [0], [0])).toThrow('crop (Slice): steps[0] is 0; a step must be non-zero');
    expect(() => slice([4], [0, 0], [2])).toThrow(/ends has 1 values but starts has 2/);
    expect(() => slice([4, 4], [0, 0], [2, 2], [1, -1])).toThrow(/repeat axis 1/);
    expect(() => slice([4], [0], [2], [1])).toThrow(/axes\[0\] 1 is out of range/);
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [4]);
    const s32 = b.initializer('s32', tensor([0], [1], 'int32'));
    expect(() => b.op('Slice', [x, s32, s32], {}, { name: 's' })).toThrow(DTypeError);
    expect(() => b.op('Slice', [x, s32], {}, { name: 's' })).toThrow(/input 2 \(ends\) is required/);
  });
});

describe('Pad shape inference', () => {
  it('adds begin and end pads (negative pads crop)', () => {
    expect(pad([1, 3, 32, 32], [0, 0, 1, 2, 0, 0, 3, 4])).toEqual([1, 3, 36, 38]);
    expect(pad(['N', 3, 8, 8], [0, 0, -1, -1, 0, 0, -1, -1])).toEqual(['N', 3, 6, 6]);
    expect(pad([1, 3, 8, 8], [0, 0, 2, 2, 0, 0, 2, 2], { mode: 'reflect' })).toEqual([1, 3, 12, 12]);
    expect(pad([2, 3], [0, 1, 0, 1], { mode: 'edge' })).toEqual([2, 5]);
  });

  it('takes a scalar constant_value of the data dtype', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 2]);
    const pads = b.initializer('pads', tensor([1, 1, 1, 1], [4], 'int64'));
    expect(b.op('Pad', [x, pads, b.initializer('v', zeros([]))], {}, { name: 'p' })[0]!.shape).toEqual([4, 4]);
    expect(() => b.op('Pad', [x, pads, b.initializer('v2', zeros([2]))], {}, { name: 'p' })).toThrow(
      /must be a scalar/,
    );
    expect(() => b.op('Pad', [x, pads, b.initializer('v3', zeros([], 'int64'))], {}, { name: 'p' })).toThrow(
      DTypeError,
    );
  });

  it('reports bad pads', () => {
    expect(() => pad([1, 3, 8, 8], [1, 1, 1, 1])).toThrow(
      'pad (Pad): pads has 4 values, expected 8 (begin and end of each of 4 dims)',
    );
    expect(() => pad([2, 3], [0, 3, 0, 0], { mode: 'reflect' })).toThrow(
      /reflect padding 3\+0 of dim 1 must be smaller than its size 3/,
    );
    expect(() => pad([2, 0], [0, 1, 0, 0], { mode: 'edge' })).toThrow(/edge padding of dim 1 needs a non-empty dim/);
    expect(() => pad([2, 3], [0, -2, 0, -2])).toThrow(/crop dim 1 of size 3 below zero/);
    expect(() => pad(['N', 3], [1, 0, 1, 0])).toThrow(/symbolic \(N\)/);
    expect(() => pad([2, 3], [0, 0, 0, 0], { mode: 'wrap' })).toThrow(/attribute mode: expected one of/);
  });
});
