import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { shapeSize, stridesOf } from '../shape.js';
import { type Tensor, tensor } from '../tensor.js';
import { tensorKernels } from './kernels-tensor.js';

function runAll(op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}, outputs = ['y']): Tensor[] {
  const node: GraphNode = { op, name: `m.${op.toLowerCase()}`, inputs: inputs.map((_, i) => `x${i}`), outputs, attrs };
  return tensorKernels[op]!(inputs, attrs, node);
}
const run = (op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor => runAll(op, inputs, attrs)[0]!;

const arange = (shape: number[]): Tensor =>
  tensor(
    Float32Array.from({ length: shapeSize(shape) }, (_, i) => i),
    shape,
  );
const i64 = (...values: (number | bigint)[]): Tensor => tensor(BigInt64Array.from(values, (v) => BigInt(v)));
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

describe('Concat', () => {
  it('joins along an axis, negative axes included', () => {
    const a = arange([2, 2]);
    const b = tensor([[10], [11]]);
    const y = run('Concat', [a, b], { axis: -1 });
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArray()).toEqual([0, 1, 10, 2, 3, 11]);
    const z = run('Concat', [a, tensor([[20, 21]]), tensor(new Float32Array(0), [0, 2])], { axis: 0 });
    expect(z.shape).toEqual([3, 2]);
    expect(z.toArray()).toEqual([0, 1, 2, 3, 20, 21]);
  });

  it('concatenates int64 shape tensors', () => {
    const y = run('Concat', [i64(1, 2), i64(-1)], { axis: 0 });
    expect(y.dtype).toBe('int64');
    expect(Array.from(y.data as BigInt64Array)).toEqual([1n, 2n, -1n]);
  });

  it('rejects mismatched shapes, dtypes, bad axes and a missing axis', () => {
    const a = arange([2, 2]);
    expect(() => run('Concat', [a, arange([3, 3])], { axis: 0 })).toThrow(ShapeError);
    expect(() => run('Concat', [a, arange([3, 3])], { axis: 0 })).toThrow(/m\.concat \(Concat\): input 1 has shape/);
    expect(() => run('Concat', [a, i64(1, 2)], { axis: 0 })).toThrow(DTypeError);
    expect(() => run('Concat', [a], { axis: 2 })).toThrow(RangeError);
    expect(() => run('Concat', [a])).toThrow(/attribute axis is required/);
    expect(() => run('Concat', [a, null], { axis: 0 })).toThrow(TypeError);
  });
});

describe('Split', () => {
  it('splits unevenly with a split operand', () => {
    const [p, q] = runAll('Split', [arange([2, 5]), i64(2, 3)], { axis: 1 }, ['p', 'q']);
    expect(p!.shape).toEqual([2, 2]);
    expect(p!.toArray()).toEqual([0, 1, 5, 6]);
    expect(q!.shape).toEqual([2, 3]);
    expect(q!.toArray()).toEqual([2, 3, 4, 7, 8, 9]);
  });

  it('splits equally by output count, and by num_outputs with a smaller last chunk', () => {
    const parts = runAll('Split', [arange([6])], {}, ['a', 'b', 'c']);
    expect(parts.map((t) => t.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const uneven = runAll('Split', [arange([7, 1])], { num_outputs: 3 }, ['a', 'b', 'c']);
    expect(uneven.map((t) => t.shape)).toEqual([
      [3, 1],
      [3, 1],
      [1, 1],
    ]);
    expect(uneven[2]!.toArray()).toEqual([6]);
  });

  it('rejects sizes that do not sum to the axis, an uneven implicit split and negative sizes', () => {
    expect(() => runAll('Split', [arange([5]), i64(2, 2)], {}, ['a', 'b'])).toThrow(ShapeError);
    expect(() => runAll('Split', [arange([5]), i64(2, 2)], {}, ['a', 'b'])).toThrow(/sum to 4, expected 5/);
    expect(() => runAll('Split', [arange([5])], {}, ['a', 'b'])).toThrow(/does not split evenly/);
    expect(() => runAll('Split', [arange([5]), i64(6, -1)], {}, ['a', 'b'])).toThrow(RangeError);
    expect(() => runAll('Split', [arange([5]), i64(5)], {}, ['a', 'b'])).toThrow(/1 sizes but the node has 2 outputs/);
    expect(() => runAll('Split', [arange([5]), tensor([5])], {}, ['a'])).toThrow(DTypeError);
  });
});

describe('Transpose', () => {
  it('permutes a 4-D NCHW tensor to NHWC with perm [0, 2, 3, 1]', () => {
    const y = run('Transpose', [arange([1, 2, 3, 4])], { perm: [0, 2, 3, 1] });
    expect(y.shape).toEqual([1, 3, 4, 2]);
    expect(y.toArray()).toEqual([0, 12, 1, 13, 2, 14, 3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20, 9, 21, 10, 22, 11, 23]);
  });

  it('reverses the axes by default and matches a naive transpose for every 3-D perm', () => {
    const x = arange([2, 3, 4]);
    expect(run('Transpose', [arange([2, 3])]).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const perm of perms) {
      const y = run('Transpose', [x], { perm });
      const outShape = perm.map((p) => x.shape[p]!);
      const inStrides = stridesOf(x.shape);
      const outStrides = stridesOf(outShape);
      const want = Array.from({ length: x.size }, (_, k) =>
        perm.reduce((off, p, i) => off + (Math.floor(k / outStrides[i]!) % outShape[i]!) * inStrides[p]!, 0),
      );
      expect(y.shape).toEqual(outShape);
      expect(y.toArray()).toEqual(want);
    }
  });

  it('keeps the dtype and rejects perms that are not permutations', () => {
    const y = run('Transpose', [tensor(BigInt64Array.from([1n, 2n, 3n, 4n]), [2, 2])]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([1n, 3n, 2n, 4n]);
    expect(() => run('Transpose', [arange([2, 3])], { perm: [0, 0] })).toThrow(RangeError);
    expect(() => run('Transpose', [arange([2, 3])], { perm: [1] })).toThrow(/perm must be a permutation of 0\.\.1/);
  });
});

describe('Slice', () => {
  const x = arange([4, 5]);

  it('clamps INT64_MAX ends and handles negative ends and steps', () => {
    const y = run('Slice', [x, i64(1, 0), i64(INT64_MAX, -1), i64(0, 1), i64(2, 1)]);
    expect(y.shape).toEqual([2, 4]);
    expect(y.toArray()).toEqual([5, 6, 7, 8, 15, 16, 17, 18]);
  });

  it('walks backwards with negative steps (x[::-1, 4:0:-2])', () => {
    const y = run('Slice', [x, i64(-1, 4), i64(INT64_MIN, 0), i64(0, 1), i64(-1, -2)]);
    expect(y.shape).toEqual([4, 2]);
    expect(y.toArray()).toEqual([19, 17, 14, 12, 9, 7, 4, 2]);
    const r = run('Slice', [arange([10]), i64(8), i64(1), null, i64(-3)]);
    expect(r.toArray()).toEqual([8, 5, 2]);
  });

  it('defaults axes to 0..k-1, allows negative axes, and gives empty results for empty ranges', () => {
    expect(run('Slice', [x, i64(-100), i64(2)]).toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const empty = run('Slice', [x, i64(10), i64(INT64_MAX), i64(-1)]);
    expect(empty.shape).toEqual([4, 0]);
    const last = run('Slice', [x, i64(-1), i64(INT64_MAX), i64(-1)]);
    expect(last.toArray()).toEqual([4, 9, 14, 19]);
  });

  it('accepts int32 operands and slices int64 data', () => {
    const shape = tensor(BigInt64Array.from([1n, 3n, 224n, 224n]));
    const y = run('Slice', [shape, tensor(new Int32Array([2])), tensor(new Int32Array([4]))]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([224n, 224n]);
  });

  it('rejects a zero step, repeated axes, mismatched lengths and float operands', () => {
    expect(() => run('Slice', [x, i64(0), i64(1), i64(0), i64(0)])).toThrow(/steps\[0\] must be a non-zero integer/);
    expect(() => run('Slice', [x, i64(0, 0), i64(1, 1), i64(1, -1)])).toThrow(/axes must not repeat/);
    expect(() => run('Slice', [x, i64(0, 0), i64(1)])).toThrow(ShapeError);
    expect(() => run('Slice', [x, i64(0), i64(1), i64(2)])).toThrow(RangeError);
    expect(() => run('Slice', [x, tensor([0]), i64(1)])).toThrow(DTypeError);
    expect(() => run('Slice', [x, i64(0)])).toThrow(/input 2 \(ends\) is required/);
  });
});

describe('Pad', () => {
  const x = arange([3, 4]);

  it('reflect mode matches NumPy', () => {
    const y = run('Pad', [x, i64(1, 2, 2, 1)], { mode: 'reflect' });
    expect(y.shape).toEqual([6, 7]);
    expect(y.toArray()).toEqual(
      [
        [6, 5, 4, 5, 6, 7, 6],
        [2, 1, 0, 1, 2, 3, 2],
        [6, 5, 4, 5, 6, 7, 6],
        [10, 9, 8, 9, 10, 11, 10],
        [6, 5, 4, 5, 6, 7, 6],
        [2, 1, 0, 1, 2, 3, 2],
      ].flat(),
    );
  });

  it('reflect mode repeats the mirror for pads longer than the axis (NumPy rule)', () => {
    const y = run('Pad', [arange([3]), i64(5, 2)], { mode: 'reflect' });
    expect(y.toArray()).toEqual([1, 0, 1, 2, 1, 0, 1, 2, 1, 0]);
    expect(run('Pad', [arange([1]), i64(2, 1)], { mode: 'reflect' }).toArray()).toEqual([0, 0, 0, 0]);
  });

  it('edge mode matches NumPy', () => {
    const y = run('Pad', [x, i64(1, 0, 0, 2)], { mode: 'edge' });
    expect(y.shape).toEqual([4, 6]);
    expect(y.toArray()).toEqual(
      [
        [0, 1, 2, 3, 3, 3],
        [0, 1, 2, 3, 3, 3],
        [4, 5, 6, 7, 7, 7],
        [8, 9, 10, 11, 11, 11],
      ].flat(),
    );
  });

  it('constant mode uses constant_value (default 0) and negative pads crop', () => {
    const y = run('Pad', [x, i64(0, 1, 0, 0), tensor(new Float32Array([7]), [])]);
    expect(y.toArray()).toEqual([7, 0, 1, 2, 3, 7, 4, 5, 6, 7, 7, 8, 9, 10, 11]);
    const cropped = run('Pad', [x, i64(-1, 1, 0, -1), tensor(new Float32Array([7]), [])]);
    expect(cropped.shape).toEqual([2, 4]);
    expect(cropped.toArray()).toEqual([7, 4, 5, 6, 7, 8, 9, 10]);
    const nchw = run('Pad', [arange([1, 1, 2, 2]), i64(0, 0, 1, 1, 0, 0, 1, 1)]);
    expect(nchw.shape).toEqual([1, 1, 4, 4]);
    expect(nchw.toArray()).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
  });

  it('pads int64 tensors and keeps the dtype', () => {
    const y = run('Pad', [i64(5, 6), i64(1, 2), i64(-1)]);
    expect(Array.from(y.data as BigInt64Array)).toEqual([-1n, 5n, 6n, -1n, -1n]);
  });

  it('rejects bad pads, modes and constant values', () => {
    expect(() => run('Pad', [x, i64(1, 1)])).toThrow(/pads must have 2 \* rank = 4 values/);
    expect(() => run('Pad', [x, i64(-2, 0, -2, 0)])).toThrow(ShapeError);
    expect(() => run('Pad', [x, i64(0, 0, 0, 0)], { mode: 'wrap' })).toThrow(UnsupportedOpError);
    expect(() => run('Pad', [x, i64(0, 0, 0, 0), i64(1)])).toThrow(DTypeError);
    expect(() => run('Pad', [x, i64(0, 0, 0, 0), tensor([1, 2])])).toThrow(/constant_value must be a scalar/);
    const empty = tensor(new Float32Array(0), [0, 2]);
    expect(() => run('Pad', [empty, i64(1, 0, 0, 0)], { mode: 'edge' })).toThrow(/cannot pad axis 0, which is empty/);
    expect(run('Pad', [empty, i64(1, 0, 0, 0)]).toArray()).toEqual([0, 0]);
  });
});

describe('ReduceMean', () => {
  const y = arange([2, 3, 4]);

  it('keepdims 1 (default) and 0', () => {
    const k = run('ReduceMean', [y], { axes: [0, 2] });
    expect(k.shape).toEqual([1, 3, 1]);
    expect(k.toArray()).toEqual([7.5, 11.5, 15.5]);
    const d = run('ReduceMean', [y], { axes: [-2], keepdims: 0 });
    expect(d.shape).toEqual([2, 4]);
    expect(d.toArray()).toEqual([4, 5, 6, 7, 16, 17, 18, 19]);
  });

  it('reduces all axes when axes is absent, and global-pools NCHW over [2, 3]', () => {
    const all = run('ReduceMean', [y], { keepdims: 0 });
    expect(all.shape).toEqual([]);
    expect(all.toArray()).toEqual([11.5]);
    const gap = run('ReduceMean', [arange([1, 2, 2, 2])], { axes: [2, 3] });
    expect(gap.shape).toEqual([1, 2, 1, 1]);
    expect(gap.toArray()).toEqual([1.5, 5.5]);
  });

  it('accumulates in float64 and gives NaN for an empty reduction', () => {
    const big = tensor(Float32Array.from([16777216, 1, 1, 1, 1]));
    expect(run('ReduceMean', [big], { axes: [0] }).toArray()).toEqual([Math.fround(16777220 / 5)]);
    expect(run('ReduceMean', [tensor(new Float32Array(0), [0, 2])], { axes: [0] }).toArray()).toEqual([NaN, NaN]);
  });

  it('rejects repeated or out-of-range axes and non-float inputs', () => {
    expect(() => run('ReduceMean', [y], { axes: [1, -2] })).toThrow(/axes must not repeat/);
    expect(() => run('ReduceMean', [y], { axes: [3] })).toThrow(RangeError);
    expect(() => run('ReduceMean', [y], { keepdims: 2 })).toThrow(/keepdims must be 0 or 1/);
    expect(() => run('ReduceMean', [i64(1, 2)])).toThrow(DTypeError);
  });
});
