import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { broadcastShapes, shapeSize, stridesOf } from '../shape.js';
import { type Tensor, tensor } from '../tensor.js';
import { broadcastStrides, coalesce } from './broadcast.js';
import { tensorKernels } from './kernels-tensor.js';

function run(op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor {
  const node: GraphNode = {
    op,
    name: `blk.${op.toLowerCase()}`,
    inputs: inputs.map((_, i) => `x${i}`),
    outputs: ['y'],
    attrs,
  };
  return tensorKernels[op]!(inputs, attrs, node)[0]!;
}

/** Deterministic float32 values in [-2, 2) (a small LCG), so the tests need no RNG module. */
function ramp(shape: number[], seed: number): Tensor {
  const n = shapeSize(shape);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 4 - 2;
  }
  return tensor(out, shape);
}

/** Naive NumPy broadcasting: one multi-index per output element. */
function naive(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; data: number[] } {
  const shape = broadcastShapes(a.shape, b.shape);
  const outStrides = stridesOf(shape);
  const pick = (t: Tensor, flat: number): number => {
    const st = stridesOf(t.shape);
    let off = 0;
    for (let i = 0; i < t.rank; i++) {
      const axis = shape.length - t.rank + i;
      const idx = Math.floor(flat / outStrides[axis]!) % shape[axis]!;
      off += (t.shape[i] === 1 ? 0 : idx) * st[i]!;
    }
    return (t.data as Float32Array)[off]!;
  };
  const data: number[] = [];
  for (let k = 0; k < shapeSize(shape); k++) data.push(Math.fround(f(pick(a, k), pick(b, k))));
  return { shape, data };
}

const OPS: [OpType, (x: number, y: number) => number][] = [
  ['Add', (x, y) => x + y],
  ['Sub', (x, y) => x - y],
  ['Mul', (x, y) => x * y],
  ['Div', (x, y) => x / y],
];

describe('Add / Sub / Mul / Div broadcasting (float32)', () => {
  const cases: [number[], number[]][] = [
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[1], [2, 3]],
    [[2, 3], []],
    [[], [2, 3]],
    [
      [2, 1, 4],
      [1, 3, 1],
    ],
    [
      [4, 1, 3, 1],
      [5, 1, 2],
    ],
    [
      [2, 3, 4],
      [2, 3, 4],
    ],
    [
      [1, 3, 1, 1],
      [2, 3, 5, 5],
    ],
  ];
  for (const [sa, sb] of cases) {
    it(`[${sa}] op [${sb}] matches a naive broadcast`, () => {
      const a = ramp(sa, 7);
      const b = ramp(sb, 11);
      for (const [op, f] of OPS) {
        const want = naive(a, b, f);
        const got = run(op, [a, b]);
        expect(got.dtype).toBe('float32');
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.data as Float32Array)).toEqual(want.data);
      }
    });
  }

  it('computes known values for [2,3] + scalar and [3,1] * [2,3,4]-style rows', () => {
    const y = run('Add', [
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tensor(new Float32Array([10]), []),
    ]);
    expect(y.toArray()).toEqual([11, 12, 13, 14, 15, 16]);
    const z = run('Mul', [tensor([[2], [3]]), tensor([1, 10, 100])]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.toArray()).toEqual([2, 20, 200, 3, 30, 300]);
    expect(run('Div', [tensor([1, -1, 0]), tensor([0, 0, 0])]).toArray()).toEqual([Infinity, -Infinity, Number.NaN]);
  });

  it('gives empty outputs for zero-sized dims', () => {
    const y = run('Add', [tensor(new Float32Array(0), [0, 3]), tensor([1, 2, 3])]);
    expect(y.shape).toEqual([0, 3]);
    expect(y.size).toBe(0);
  });
});

describe('integer arithmetic', () => {
  it('int64 shape arithmetic with broadcasting, truncating division and 64-bit wrap', () => {
    const a = tensor(new BigInt64Array([7n, -7n, 9223372036854775807n]));
    const two = tensor(new BigInt64Array([2n]), []);
    expect(Array.from(run('Div', [a, two]).data as BigInt64Array)).toEqual([3n, -3n, 4611686018427387903n]);
    expect(Array.from(run('Mul', [a, two]).data as BigInt64Array)).toEqual([14n, -14n, -2n]);
    expect(Array.from(run('Add', [a, two]).data as BigInt64Array)).toEqual([9n, -5n, -9223372036854775807n]);
    expect(Array.from(run('Sub', [two, a]).data as BigInt64Array)).toEqual([-5n, 9n, -9223372036854775805n]);
    expect(run('Sub', [two, a]).dtype).toBe('int64');
  });

  it('int32 wraps like C (Math.imul) and truncates toward zero', () => {
    const a = tensor(new Int32Array([7, -7, 2147483647, 65536]));
    const b = tensor(new Int32Array([2, 2, 2, 65536]));
    expect(Array.from(run('Div', [a, b]).data as Int32Array)).toEqual([3, -3, 1073741823, 1]);
    expect(Array.from(run('Mul', [a, b]).data as Int32Array)).toEqual([14, -14, -2, 0]);
    expect(Array.from(run('Add', [a, b]).data as Int32Array)).toEqual([9, -5, -2147483647, 131072]);
  });

  it('throws a RangeError for an integer division by zero', () => {
    const a = tensor(new BigInt64Array([1n, 2n]));
    expect(() => run('Div', [a, tensor(new BigInt64Array([1n, 0n]))])).toThrow(RangeError);
    expect(() => run('Div', [tensor(new Int32Array([1])), tensor(new Int32Array([0]))])).toThrow(
      'blk.div (Div): integer division by zero',
    );
  });
});

describe('PRelu', () => {
  it('broadcasts a [C,1,1] slope over NCHW', () => {
    const x = tensor(Float32Array.from([-1, 2, -3, 4, -1, 2, -3, 4]), [1, 2, 2, 2]);
    const slope = tensor(Float32Array.from([0.5, 0.25]), [2, 1, 1]);
    const y = run('PRelu', [x, slope]);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expect(y.toArray()).toEqual([-0.5, 2, -1.5, 4, -0.25, 2, -0.75, 4]);
    expect(run('PRelu', [x, tensor(new Float32Array([0.1]))]).toArray()[0]).toBe(Math.fround(-0.1));
  });

  it('refuses a slope that would grow the output (unidirectional broadcasting)', () => {
    const x = tensor(new Float32Array(4), [1, 4]);
    expect(() => run('PRelu', [x, tensor(new Float32Array(8), [2, 4])])).toThrow(ShapeError);
    expect(() => run('PRelu', [x, tensor(new Float32Array(3), [3])])).toThrow(ShapeError);
    expect(() => run('PRelu', [tensor(new Int32Array(1)), tensor(new Int32Array(1))])).toThrow(DTypeError);
  });
});

describe('errors', () => {
  it('names the node for shapes that do not broadcast', () => {
    const call = () => run('Add', [tensor(new Float32Array(6), [2, 3]), tensor(new Float32Array(4), [4])]);
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(/blk\.add \(Add\): shapes \[2, 3\] and \[4\] do not broadcast/);
  });

  it('refuses mixed dtypes, unsupported dtypes and missing inputs', () => {
    const f = tensor([1, 2]);
    expect(() => run('Mul', [f, tensor(new Int32Array([1, 2]))])).toThrow(/same dtype, got float32 and int32/);
    expect(() => run('Add', [tensor(new Uint8Array([1])), tensor(new Uint8Array([1]))])).toThrow(DTypeError);
    expect(() => run('Sub', [f, null])).toThrow(/input 1 \(B\) is required/);
  });
});

describe('coalesce / broadcastStrides', () => {
  it('merges contiguous axes and drops size-1 axes', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    const c = coalesce([2, 3, 4], [stridesOf([2, 3, 4]), [0, 0, 0]]);
    expect(c.shape).toEqual([24]);
    expect(c.strides).toEqual([[1], [0]]);
    const d = coalesce([1, 2, 1, 3], [[6, 3, 3, 1]]);
    expect(d).toEqual({ shape: [6], strides: [[1]] });
    expect(coalesce([], [[]])).toEqual({ shape: [1], strides: [[0]] });
  });
});
