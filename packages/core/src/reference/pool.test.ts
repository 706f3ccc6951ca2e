import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { averagePool, globalAveragePool, globalMaxPool, maxPool } from './pool.js';

const node = (op: OpType, attrs: Attrs = {}, outputs = ['y']): GraphNode => ({
  op,
  name: 'pool1',
  inputs: ['x'],
  outputs,
  attrs,
});

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

interface PoolCase {
  x: [number, number, number, number];
  k: [number, number];
  s: [number, number];
  p: [number, number, number, number];
  d?: [number, number];
  ceil?: boolean;
  includePad?: boolean;
}

/**
 * PyTorch's pooling written out plainly: output size with its ceil_mode rule, windows over the zero-padded map,
 * the average's divisor either the window clipped to the padded map or the count of real elements.
 */
function naivePool(x: Tensor<'float32'>, c: PoolCase, kind: 'max' | 'avg') {
  const [n, ch, h, w] = c.x;
  const [kH, kW] = c.k;
  const [sH, sW] = c.s;
  const [pt, pl, pb, pr] = c.p;
  const [dH, dW] = c.d ?? [1, 1];
  const size = (len: number, k: number, s: number, p0: number, p1: number, d: number) => {
    const room = len + p0 + p1 - d * (k - 1) - 1;
    let o = (c.ceil ? Math.ceil(room / s) : Math.floor(room / s)) + 1;
    if (c.ceil && (o - 1) * s >= len + p0) o -= 1;
    return o;
  };
  const oH = size(h, kH, sH, pt, pb, dH);
  const oW = size(w, kW, sW, pl, pr, dW);
  const out: number[] = [];
  for (let p = 0; p < n * ch; p++)
    for (let i = 0; i < oH; i++)
      for (let j = 0; j < oW; j++) {
        let best = Number.NEGATIVE_INFINITY;
        let sum = 0;
        let real = 0;
        let padded = 0;
        for (let u = 0; u < kH; u++)
          for (let v = 0; v < kW; v++) {
            const ih = i * sH - pt + u * dH;
            const iw = j * sW - pl + v * dW;
            if (ih < h + pb && iw < w + pr) padded++;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
            const val = x.data[(p * h + ih) * w + iw]!;
            best = Math.max(best, val);
            sum += val;
            real++;
          }
        out.push(kind === 'max' ? best : sum / (c.includePad ? padded : real));
      }
  return { shape: [n, ch, oH, oW], data: out };
}

const attrsOf = (c: PoolCase): Record<string, number | number[]> => ({
  kernel_shape: c.k,
  strides: c.s,
  pads: c.p,
  ceil_mode: c.ceil ? 1 : 0,
  ...(c.d ? { dilations: c.d } : {}),
  ...(c.includePad ? { count_include_pad: 1 } : {}),
});

describe('MaxPool and AveragePool (reference kernels)', () => {
  const x4 = tensor([
    [
      [
        [1, 1, 2, 4],
        [5, 6, 7, 8],
        [3, 2, 1, 0],
        [1, 2, 3, 4],
      ],
    ],
  ]);
  const window2 = { kernel_shape: [2, 2], strides: [2, 2] };

  it('max-pools the 4x4 course example with 2x2 windows, stride 2', () => {
    const [y] = maxPool([x4], window2, node('MaxPool', window2));
    expect(y!.shape).toEqual([1, 1, 2, 2]);
    expect(y!.toArray()).toEqual([6, 8, 3, 4]);
  });

  it('average-pools the same map', () => {
    const [y] = averagePool([x4], window2, node('AveragePool', window2));
    // (1+1+5+6)/4, (2+4+7+8)/4, (3+2+1+2)/4, (1+0+3+4)/4
    expect(y!.toArray()).toEqual([3.25, 5.25, 2, 2]);
  });

  const cases: [string, PoolCase][] = [
    ['3x3 stride 2 pad 1 (ResNet)', { x: [2, 3, 9, 8], k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] }],
    ['ceil_mode keeps a partial last window', { x: [1, 2, 7, 7], k: [2, 2], s: [2, 2], p: [0, 0, 0, 0], ceil: true }],
    [
      'ceil_mode drops a window starting in the padding',
      { x: [1, 2, 5, 5], k: [2, 2], s: [2, 2], p: [1, 1, 1, 1], ceil: true },
    ],
    [
      'asymmetric pads, count_include_pad',
      { x: [1, 2, 7, 6], k: [3, 2], s: [2, 1], p: [1, 0, 2, 1], includePad: true },
    ],
    [
      'ceil_mode with count_include_pad',
      { x: [1, 1, 8, 5], k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], ceil: true, includePad: true },
    ],
  ];
  it.each(cases)('matches naive pooling: %s', (_name, c) => {
    const rng = random(9);
    const x = new Tensor('float32', c.x, Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, rng));
    for (const [kernel, kind, op] of [
      [maxPool, 'max', 'MaxPool'],
      [averagePool, 'avg', 'AveragePool'],
    ] as const) {
      const [y] = kernel([x], attrsOf(c), node(op, attrsOf(c)));
      const expected = naivePool(x, c, kind);
      expect(y!.shape).toEqual(expected.shape);
      expect(maxAbsDiff(y!.toArray(), expected.data)).toBeLessThan(1e-6);
    }
  });

  it('drops the last ceil_mode window when it would start in the end padding (PyTorch rule)', () => {
    // 5 + 1 + 1 - 2 = 5, ceil(5 / 2) + 1 = 4 windows, but the 4th starts at 3*2 - 1 = 5 >= 5: only 3 remain.
    const attrs = { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 };
    const x = new Tensor(
      'float32',
      [1, 1, 5, 5],
      Float32Array.from({ length: 25 }, (_, i) => i),
    );
    const [y] = maxPool([x], attrs, node('MaxPool', attrs));
    expect(y!.shape).toEqual([1, 1, 3, 3]);
    expect(y!.toArray()).toEqual([0, 2, 4, 10, 12, 14, 20, 22, 24]);
  });

  it('max-pools with dilation 2', () => {
    const c: PoolCase = { x: [1, 2, 9, 9], k: [3, 3], s: [1, 2], p: [2, 1, 0, 1], d: [2, 2] };
    const rng = random(4);
    const x = new Tensor('float32', c.x, Float32Array.from({ length: 162 }, rng));
    const [y] = maxPool([x], attrsOf(c), node('MaxPool', attrsOf(c)));
    const expected = naivePool(x, c, 'max');
    expect(y!.shape).toEqual(expected.shape);
    expect(y!.toArray()).toEqual(expected.data.map((v) => Math.fround(v)));
  });

  it('returns MaxPool Indices (flat, row-major) when a second output is asked for', () => {
    const x = tensor(new Float32Array([1, 9, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 2, 3, 3]);
    const attrs = { kernel_shape: [2, 2], strides: [1, 1] };
    const [y, idx] = maxPool([x], attrs, node('MaxPool', attrs, ['y', 'idx']));
    expect(y!.toArray()).toEqual([9, 9, 8, 8, 5, 6, 8, 9]);
    expect(idx!.dtype).toBe('int64');
    expect(idx!.toArray()).toEqual([1, 1, 7, 7, 13, 14, 16, 17]);
  });

  it('propagates NaN in MaxPool and AveragePool', () => {
    const x = tensor(new Float32Array([1, Number.NaN, 3, 4]), [1, 1, 2, 2]);
    const attrs = { kernel_shape: [2, 2] };
    expect(Number.isNaN(maxPool([x], attrs, node('MaxPool', attrs))[0]!.data[0])).toBe(true);
    expect(Number.isNaN(averagePool([x], attrs, node('AveragePool', attrs))[0]!.data[0])).toBe(true);
  });

  it('pools 1-D inputs', () => {
    const attrs = { kernel_shape: [2], strides: [2], ceil_mode: 1 };
    const [y] = maxPool([tensor([[[1, 5, 2, 3, 7]]])], attrs, node('MaxPool', attrs));
    expect(y!.shape).toEqual([1, 1, 3]);
    expect(y!.toArray()).toEqual([5, 3, 7]);
  });

  it('rejects bad attributes and inputs', () => {
    const run =
      (op: OpType, attrs: Attrs, x: Tensor = x4) =>
      () =>
        (op === 'MaxPool' ? maxPool : averagePool)([x], attrs, node(op, attrs));
    expect(run('MaxPool', {})).toThrow(/pool1 \(MaxPool\): attribute kernel_shape is required/);
    expect(run('MaxPool', { kernel_shape: [2] })).toThrow(/expected 2 values/);
    expect(run('MaxPool', { kernel_shape: [0, 2] })).toThrow(RangeError);
    expect(run('MaxPool', { kernel_shape: [5, 5] })).toThrow(ShapeError);
    expect(run('MaxPool', { kernel_shape: [2, 2], ceil_mode: 2 })).toThrow(RangeError);
    expect(run('MaxPool', { kernel_shape: [2, 2], storage_order: 3 })).toThrow(RangeError);
    expect(run('AveragePool', { kernel_shape: [2, 2], dilations: [2, 2] })).toThrow(UnsupportedOpError);
    expect(run('AveragePool', { kernel_shape: [2, 2], count_include_pad: 5 })).toThrow(RangeError);
    expect(run('AveragePool', { kernel_shape: [2, 2] }, x4.cast('int32'))).toThrow(DTypeError);
    expect(run('AveragePool', { kernel_shape: [2, 2] }, tensor([[1, 2]]))).toThrow(ShapeError);
  });
});

describe('GlobalAveragePool and GlobalMaxPool', () => {
  it('reduces every spatial dim to 1', () => {
    const x = tensor(new Float32Array([1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6]), [1, 2, 2, 3]);
    const [avg] = globalAveragePool([x], {}, node('GlobalAveragePool'));
    const [max] = globalMaxPool([x], {}, node('GlobalMaxPool'));
    expect(avg!.shape).toEqual([1, 2, 1, 1]);
    expect(avg!.toArray()).toEqual([3.5, -3.5]);
    expect(max!.toArray()).toEqual([6, -1]);
  });

  it('handles an empty batch and rejects a rank-1 input', () => {
    const [y] = globalAveragePool(
      [new Tensor('float32', [0, 3, 2, 2], new Float32Array(0))],
      {},
      node('GlobalAveragePool'),
    );
    expect(y!.shape).toEqual([0, 3, 1, 1]);
    expect(() => globalMaxPool([tensor([1, 2])], {}, node('GlobalMaxPool'))).toThrow(/rank >= 2/);
  });
});
