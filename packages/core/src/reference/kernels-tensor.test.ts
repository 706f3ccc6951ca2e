import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { type Tensor, tensor } from '../tensor.js';
import { tensorKernels } from './kernels-tensor.js';

function runAll(op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}, outputs = ['y']): Tensor[] {
  const node: GraphNode = {
    op,
    name: `net.${op.toLowerCase()}`,
    inputs: inputs.map((_, i) => `x${i}`),
    outputs,
    attrs,
  };
  return tensorKernels[op]!(inputs, attrs, node);
}
const run = (op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor => runAll(op, inputs, attrs)[0]!;
const i64 = (...values: number[]): Tensor => tensor(BigInt64Array.from(values, BigInt));

describe('tensorKernels table', () => {
  it('has a kernel for every op this module owns', () => {
    const owned: OpType[] = [
      'Relu',
      'LeakyRelu',
      'PRelu',
      'Elu',
      'Sigmoid',
      'Tanh',
      'HardSigmoid',
      'HardSwish',
      'Gelu',
      'Add',
      'Sub',
      'Mul',
      'Div',
      'Clip',
      'Concat',
      'Reshape',
      'Flatten',
      'Transpose',
      'Pad',
      'Slice',
      'Split',
      'Dropout',
      'Identity',
      'Constant',
      'ReduceMean',
    ];
    expect(Object.keys(tensorKernels).sort()).toEqual([...owned].sort());
    for (const op of owned) expect(typeof tensorKernels[op]).toBe('function');
  });
});

describe('Reshape', () => {
  const x = tensor(
    Float32Array.from({ length: 24 }, (_, i) => i),
    [2, 3, 4],
  );

  it('copies dims for 0, infers -1 and shares the data (zero-copy)', () => {
    const y = run('Reshape', [x, i64(0, -1)]);
    expect(y.shape).toEqual([2, 12]);
    expect(y.data).toBe(x.data);
    expect(run('Reshape', [x, i64(-1)]).shape).toEqual([24]);
    expect(run('Reshape', [x, i64(4, 0, 2)]).shape).toEqual([4, 3, 2]);
  });

  it('allowzero=1 keeps a literal 0 for empty tensors', () => {
    const empty = tensor(new Float32Array(0), [0, 3]);
    expect(run('Reshape', [empty, i64(3, 0)], { allowzero: 1 }).shape).toEqual([3, 0]);
    expect(run('Reshape', [empty, i64(0, 3)]).shape).toEqual([0, 3]);
    expect(() => run('Reshape', [empty, i64(0, -1)], { allowzero: 1 })).toThrow(ShapeError);
  });

  it('rejects sizes that do not match, two -1, a non-int64 or 2-D shape operand', () => {
    expect(() => run('Reshape', [x, i64(5, -1)])).toThrow(ShapeError);
    expect(() => run('Reshape', [x, i64(5, -1)])).toThrow(/net\.reshape \(Reshape\)/);
    expect(() => run('Reshape', [x, i64(-1, -1)])).toThrow(/more than one -1/);
    expect(() => run('Reshape', [x, i64(7)])).toThrow(ShapeError);
    expect(() => run('Reshape', [x, tensor([2, 12])])).toThrow(DTypeError);
    expect(() => run('Reshape', [x, tensor(BigInt64Array.from([2n, 12n]), [1, 2])])).toThrow(/shape must be 1-D/);
    expect(() => run('Reshape', [x])).toThrow(/input 1 \(shape\) is required/);
  });
});

describe('Flatten', () => {
  const x = tensor(new Float32Array(24), [2, 3, 4]);

  it('flattens at axis (default 1), including 0, rank and negative axes', () => {
    expect(run('Flatten', [x]).shape).toEqual([2, 12]);
    expect(run('Flatten', [x], { axis: 0 }).shape).toEqual([1, 24]);
    expect(run('Flatten', [x], { axis: 3 }).shape).toEqual([24, 1]);
    expect(run('Flatten', [x], { axis: -1 }).shape).toEqual([6, 4]);
    expect(run('Flatten', [x]).data).toBe(x.data);
  });

  it('rejects an axis outside [-rank, rank]', () => {
    expect(() => run('Flatten', [x], { axis: 4 })).toThrow(RangeError);
    expect(() => run('Flatten', [x], { axis: 1.5 })).toThrow(TypeError);
  });
});

describe('Identity, Dropout, Constant', () => {
  const x = tensor([1, 2, 3]);

  it('Identity and Dropout pass the data through (Dropout outputs only the data)', () => {
    expect(run('Identity', [x])).toBe(x);
    const out = runAll('Dropout', [x, tensor(new Float32Array([0.5]), [])], {}, ['y', 'mask']);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(x);
    expect(() => run('Dropout', [x, null, tensor(new Uint8Array([1]), [], 'bool')])).toThrow(UnsupportedOpError);
    expect(run('Dropout', [x, null, tensor(new Uint8Array([0]), [], 'bool')])).toBe(x);
    expect(() => run('Identity', [null])).toThrow(TypeError);
  });

  it('Constant returns its value tensor (and accepts value_float / value_ints)', () => {
    const value = tensor(BigInt64Array.from([1n, -1n]));
    expect(run('Constant', [], { value })).toBe(value);
    const f = run('Constant', [], { value_float: 0.5 });
    expect(f.shape).toEqual([]);
    expect(f.toArray()).toEqual([0.5]);
    const ints = run('Constant', [], { value_ints: [3, 4] });
    expect(ints.dtype).toBe('int64');
    expect(Array.from(ints.data as BigInt64Array)).toEqual([3n, 4n]);
    expect(() => run('Constant', [], {})).toThrow(/net\.constant \(Constant\): attribute value must be a Tensor/);
    expect(() => run('Constant', [], { value: 'x' })).toThrow(TypeError);
  });
});

describe('ReduceMean axes as an input and noop_with_empty_axes', () => {
  it('reads axes from input 1 (opset 18 form) and returns the input for empty axes with noop', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(run('ReduceMean', [x, i64(1)], { keepdims: 0 }).toArray()).toEqual([1.5, 3.5]);
    expect(run('ReduceMean', [x], { noop_with_empty_axes: 1 })).toBe(x);
  });
});
