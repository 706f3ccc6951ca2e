import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { type Tensor, tensor } from '../tensor.js';
import { erf, erfc, geluErf, geluTanh } from './elementwise.js';
import { tensorKernels } from './kernels-tensor.js';

function run(op: OpType, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor {
  const node: GraphNode = {
    op,
    name: `n.${op.toLowerCase()}`,
    inputs: inputs.map((_, i) => `x${i}`),
    outputs: ['y'],
    attrs,
  };
  const kernel = tensorKernels[op];
  if (!kernel) throw new Error(`no kernel for ${op}`);
  return kernel(inputs, attrs, node)[0]!;
}

const f32 = (values: number[], shape?: number[]): Tensor => tensor(Float32Array.from(values), shape);
const values = (t: Tensor): number[] => Array.from(t.data as Float32Array);

describe('erf / erfc', () => {
  // Reference values from mpmath at 30 digits.
  const ERF: [number, number][] = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [-1.5, -0.9661051464753108],
  ];

  it('matches high-precision values to 1e-14', () => {
    for (const [x, want] of ERF) expect(Math.abs(erf(x) - want)).toBeLessThan(1e-14);
    expect(erf(0)).toBe(0);
    expect(erf(40)).toBe(1);
    expect(erf(-40)).toBe(-1);
  });

  it('keeps relative accuracy of erfc in the tail (no 1 - erf cancellation)', () => {
    expect(Math.abs(erfc(5) / 1.537459794428035e-12 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(10) / 2.088487583762545e-45 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(erfc(-1) - 1.8427007929497148)).toBeLessThan(1e-15);
    expect(erfc(30)).toBe(0);
  });

  it('is odd, monotone across the series / continued-fraction switch, and propagates NaN', () => {
    for (let x = 0; x < 6; x += 0.01) {
      expect(erf(-x) + erf(x)).toBe(0);
      expect(erf(x + 0.01)).toBeGreaterThanOrEqual(erf(x));
    }
    expect(Math.abs(erf(2 - 1e-12) - erf(2 + 1e-12))).toBeLessThan(1e-13);
    expect(erf(Number.NaN)).toBeNaN();
  });
});

describe('Gelu', () => {
  it("approximate 'none' matches x * Phi(x)", () => {
    expect(geluErf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(geluErf(-1)).toBeCloseTo(-0.15865525393145705, 15);
    expect(geluErf(-3)).toBeCloseTo(-0.0040496940948902835, 15);
    expect(Math.abs(geluErf(-10) / -7.619853024160526e-23 - 1)).toBeLessThan(1e-12);
    const y = run('Gelu', [f32([1, -1, 0.5, 3, 0])]);
    expect(values(y)).toEqual(
      [0.8413447460685429, -0.15865525393145705, 0.34573123063700656, 2.99595030590511, 0].map(Math.fround),
    );
  });

  it("approximate 'tanh' uses the tanh formula", () => {
    expect(geluTanh(1)).toBeCloseTo(0.8411919906082768, 15);
    const y = run('Gelu', [f32([1, -3, 2.5])], { approximate: 'tanh' });
    expect(values(y)).toEqual([0.8411919906082768, -0.0036373920817729943, 2.484915733910001].map(Math.fround));
  });

  it('rejects an unknown approximate mode', () => {
    expect(() => run('Gelu', [f32([1])], { approximate: 'fast' })).toThrow(UnsupportedOpError);
    expect(() => run('Gelu', [f32([1])], { approximate: 'fast' })).toThrow(/n\.gelu \(Gelu\): attribute approximate/);
  });
});

describe('activations', () => {
  const x = f32([-3, -1, -0.5, 0, 0.5, 1, 3, 4], [2, 4]);

  it('Relu, LeakyRelu (alpha 0.01), Elu (alpha 1) with defaults', () => {
    expect(values(run('Relu', [x]))).toEqual([0, 0, 0, 0, 0.5, 1, 3, 4]);
    expect(values(run('LeakyRelu', [x]))).toEqual([-0.03, -0.01, -0.005, 0, 0.5, 1, 3, 4].map(Math.fround));
    expect(values(run('LeakyRelu', [x], { alpha: 0.2 }))[0]).toBe(Math.fround(-0.6));
    expect(values(run('Elu', [x]))).toEqual(
      [Math.expm1(-3), Math.expm1(-1), Math.expm1(-0.5), 0, 0.5, 1, 3, 4].map(Math.fround),
    );
    expect(values(run('Elu', [x], { alpha: 2 }))[1]).toBe(Math.fround(2 * Math.expm1(-1)));
    expect(run('Relu', [x]).shape).toEqual([2, 4]);
  });

  it('Sigmoid is stable at the extremes, Tanh matches Math.tanh', () => {
    const y = values(run('Sigmoid', [f32([0, 1, -1, 100, -100, -1000])]));
    expect(y.slice(0, 3)).toEqual([0.5, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1))].map(Math.fround));
    expect(y[3]).toBe(1);
    expect(y[4]).toBe(Math.fround(Math.exp(-100)));
    expect(y[5]).toBe(0);
    expect(values(run('Tanh', [f32([0.5, -2])]))).toEqual([Math.tanh(0.5), Math.tanh(-2)].map(Math.fround));
  });

  it('HardSigmoid uses ONNX defaults alpha 0.2, beta 0.5; attributes override them', () => {
    expect(values(run('HardSigmoid', [f32([-3, 0, 1, 3])]))).toEqual([0, 0.5, 0.7, 1].map(Math.fround));
    const torchLike = run('HardSigmoid', [f32([-3, 0, 1.5, 3])], { alpha: 1 / 6, beta: 0.5 });
    expect(values(torchLike)).toEqual([0, 0.5, 0.75, 1]);
  });

  it('HardSwish is x * relu6(x + 3) / 6', () => {
    // -0 + 0 is +0: compare values, not the sign of zero (x * 0 gives -0 for negative x, as in PyTorch).
    const y = values(run('HardSwish', [f32([-4, -3, 1, 3, 5])])).map((v) => v + 0);
    expect(y).toEqual([0, 0, Math.fround(2 / 3), 3, 5]);
    expect(values(run('HardSwish', [f32([1])]))[0]).toBeCloseTo(0.6666667, 7);
  });

  it('keeps NaN, handles empty tensors and scalars', () => {
    expect(values(run('Relu', [f32([Number.NaN])]))[0]).toBeNaN();
    expect(values(run('Sigmoid', [f32([Number.NaN])]))[0]).toBeNaN();
    const empty = run('Tanh', [f32([], [0, 3])]);
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.size).toBe(0);
    const scalar = run('Relu', [f32([-2], [])]);
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBe(0);
  });

  it('rejects non-float32 inputs, a missing input and bad attributes, naming the node', () => {
    const ints = tensor(new Int32Array([1, -1]));
    expect(() => run('Relu', [ints])).toThrow(DTypeError);
    expect(() => run('Relu', [ints])).toThrow('n.relu (Relu): input X must be float32, got int32');
    expect(() => run('Sigmoid', [null])).toThrow(TypeError);
    expect(() => run('Sigmoid', [])).toThrow(/input 0 \(X\) is required/);
    expect(() => run('LeakyRelu', [x], { alpha: 'big' })).toThrow(/attribute alpha must be a number/);
  });
});

describe('Clip', () => {
  const x = f32([-2, -0.5, 0, 0.5, 2, Number.NaN]);
  const s = (v: number): Tensor => f32([v], []);

  it('clips with both, one or no bounds', () => {
    expect(values(run('Clip', [x, s(-1), s(1)]))).toEqual([-1, -0.5, 0, 0.5, 1, Number.NaN]);
    expect(values(run('Clip', [x, null, s(0)]))).toEqual([-2, -0.5, 0, 0, 0, Number.NaN]);
    expect(values(run('Clip', [x, s(0)]))).toEqual([0, 0, 0, 0.5, 2, Number.NaN]);
    expect(values(run('Clip', [x]))).toEqual(values(x));
  });

  it('gives max everywhere when min > max (as ONNX Runtime), and works for int32 / int64', () => {
    expect(values(run('Clip', [f32([-5, 0, 5]), s(2), s(1)]))).toEqual([1, 1, 1]);
    const i32 = run('Clip', [
      tensor(new Int32Array([-7, 3, 9])),
      tensor(new Int32Array([0]), []),
      tensor(new Int32Array([6]), []),
    ]);
    expect(Array.from(i32.data as Int32Array)).toEqual([0, 3, 6]);
    const i64 = run('Clip', [tensor(new BigInt64Array([-7n, 3n, 9n])), null, tensor(new BigInt64Array([4n]), [1])]);
    expect(i64.dtype).toBe('int64');
    expect(Array.from(i64.data as BigInt64Array)).toEqual([-7n, 3n, 4n]);
  });

  it('rejects bounds of another dtype or with more than one element', () => {
    expect(() => run('Clip', [x, tensor(new Int32Array([0]), [])])).toThrow(DTypeError);
    expect(() => run('Clip', [x, f32([0, 1])])).toThrow(ShapeError);
    expect(() => run('Clip', [x, f32([0, 1])])).toThrow(/n\.clip \(Clip\): min must be a scalar/);
    expect(() => run('Clip', [tensor(new Uint8Array([1]))])).toThrow(DTypeError);
  });
});
