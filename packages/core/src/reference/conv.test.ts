import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { conv, convPlanes, prepareConv } from './conv.js';
import { convIm2col } from './conv-gemm.js';

const node = (attrs: Attrs = {}): GraphNode => ({
  op: 'Conv',
  name: 'test.conv',
  inputs: ['x', 'w', 'b'],
  outputs: ['y'],
  attrs,
});

/** mulberry32: a small seeded generator of floats in [-1, 1). */
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

const randomTensor = (shape: number[], rng: () => number): Tensor<'float32'> =>
  new Tensor('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rng));

interface ConvCase {
  x: number[];
  m: number;
  k: [number, number];
  group?: number;
  strides?: [number, number];
  pads?: [number, number, number, number];
  dilations?: [number, number];
  bias?: boolean;
}

/** The textbook seven loops (plus batch and group), with the padding test on every tap. */
function naiveConv(x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | null, c: ConvCase) {
  const [n, ch, h, wd] = c.x as [number, number, number, number];
  const [kH, kW] = c.k;
  const [sH, sW] = c.strides ?? [1, 1];
  const [pt, pl, pb, pr] = c.pads ?? [0, 0, 0, 0];
  const [dH, dW] = c.dilations ?? [1, 1];
  const group = c.group ?? 1;
  const cg = ch / group;
  const mg = c.m / group;
  const oH = Math.floor((h + pt + pb - dH * (kH - 1) - 1) / sH) + 1;
  const oW = Math.floor((wd + pl + pr - dW * (kW - 1) - 1) / sW) + 1;
  const out = new Float64Array(n * c.m * oH * oW);
  for (let bi = 0; bi < n; bi++)
    for (let o = 0; o < c.m; o++)
      for (let i = 0; i < oH; i++)
        for (let j = 0; j < oW; j++) {
          let s = b ? b.data[o]! : 0;
          for (let q = 0; q < cg; q++)
            for (let u = 0; u < kH; u++)
              for (let v = 0; v < kW; v++) {
                const ih = i * sH - pt + u * dH;
                const iw = j * sW - pl + v * dW;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                const ic = Math.floor(o / mg) * cg + q;
                s += x.data[((bi * ch + ic) * h + ih) * wd + iw]! * w.data[((o * cg + q) * kH + u) * kW + v]!;
              }
          out[((bi * c.m + o) * oH + i) * oW + j] = s;
        }
  return { shape: [n, c.m, oH, oW], data: out };
}

function runCase(c: ConvCase, seed: number) {
  const rng = random(seed);
  const group = c.group ?? 1;
  const x = randomTensor(c.x, rng);
  const w = randomTensor([c.m, c.x[1]! / group, ...c.k], rng);
  const b = c.bias === false ? null : randomTensor([c.m], rng);
  const attrs: Record<string, number | number[]> = { group, kernel_shape: c.k };
  if (c.strides) attrs.strides = c.strides;
  if (c.pads) attrs.pads = c.pads;
  if (c.dilations) attrs.dilations = c.dilations;
  const [y] = conv([x, w, b], attrs, node(attrs));
  return { y: y!, x, w, b, attrs, expected: naiveConv(x, w, b, c) };
}

describe('Conv (reference kernel)', () => {
  it('reproduces the CS231n demo: 5x5x3 input, pad 1, two 3x3x3 filters with biases, stride 2 -> 3x3x2', () => {
    const x = tensor([
      [
        [
          [2, 0, 1, 1, 0],
          [1, 2, 2, 0, 2],
          [0, 1, 0, 2, 1],
          [2, 2, 1, 0, 0],
          [1, 0, 2, 2, 1],
        ],
        [
          [0, 1, 2, 0, 1],
          [1, 0, 0, 2, 2],
          [2, 1, 1, 0, 0],
          [0, 2, 0, 1, 2],
          [1, 1, 2, 0, 0],
        ],
        [
          [1, 1, 0, 2, 2],
          [0, 2, 1, 1, 0],
          [2, 0, 0, 1, 1],
          [1, 1, 2, 2, 0],
          [0, 2, 1, 0, 1],
        ],
      ],
    ]);
    const w = tensor([
      [
        [
          [1, 0, -1],
          [0, 1, 1],
          [-1, -1, 0],
        ],
        [
          [0, 1, 1],
          [-1, 0, 1],
          [1, -1, 0],
        ],
        [
          [-1, 0, 0],
          [1, 1, -1],
          [0, 1, -1],
        ],
      ],
      [
        [
          [0, -1, 1],
          [1, 0, 0],
          [-1, 1, 1],
        ],
        [
          [1, 1, 0],
          [0, -1, -1],
          [1, 0, 1],
        ],
        [
          [0, 0, 1],
          [-1, 1, 0],
          [1, -1, 0],
        ],
      ],
    ]);
    const b = tensor([1, 0]);
    const attrs = { strides: [2, 2], pads: [1, 1, 1, 1] };
    const [y] = conv([x, w, b], attrs, node(attrs));
    expect(y!.shape).toEqual([1, 2, 3, 3]);
    // By hand, filter 0 at output (1, 1): the window is rows 1..3, cols 1..3 of the unpadded input.
    //   channel 0: 2*1 + 2*0 + 0*-1 + 1*0 + 0*1 + 2*1 + 2*-1 + 1*-1 + 0*0 = 1
    //   channel 1: 0*0 + 0*1 + 2*1 + 1*-1 + 1*0 + 0*1 + 2*1 + 0*-1 + 1*0 = 3
    //   channel 2: 2*-1 + 1*0 + 1*0 + 0*1 + 0*1 + 1*-1 + 1*0 + 2*1 + 2*-1 = -3
    //   + bias 1 -> 2
    expect(y!.get(0, 0, 1, 1)).toBe(2);
    // Filter 0 at (0, 0): only taps (1..2, 1..2) hit the input: (2 + 0 - 1 + 0) + (0 + 1 - 1 + 0) + (1 - 1 + 0 - 2) + 1 = 0
    expect(y!.get(0, 0, 0, 0)).toBe(0);
    const expected = naiveConv(x as Tensor<'float32'>, w as Tensor<'float32'>, b as Tensor<'float32'>, {
      x: [1, 3, 5, 5],
      m: 2,
      k: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
    });
    expect(y!.toArray()).toEqual(Array.from(expected.data));
    expect(y!.toArray()).toEqual([0, -3, 3, 2, 2, 4, 1, 9, 3, 3, 0, 5, 8, 0, 7, -1, 0, 6]);
  });

  const cases: [string, ConvCase][] = [
    ['3x3, pad 1, batch 2, groups 2', { x: [2, 4, 7, 6], m: 6, k: [3, 3], group: 2, pads: [1, 1, 1, 1] }],
    ['depthwise 3x3, stride 2', { x: [1, 5, 9, 8], m: 5, k: [3, 3], group: 5, strides: [2, 2], pads: [1, 1, 1, 1] }],
    ['depthwise with multiplier 2', { x: [1, 3, 6, 6], m: 6, k: [3, 3], group: 3, pads: [1, 1, 1, 1] }],
    ['dilation 2', { x: [1, 3, 10, 9], m: 4, k: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] }],
    ['stride 2, asymmetric pads', { x: [1, 2, 9, 10], m: 3, k: [3, 3], strides: [2, 2], pads: [0, 1, 2, 0] }],
    ['1x1, no bias', { x: [2, 8, 5, 4], m: 3, k: [1, 1], bias: false }],
    [
      '2x3 kernel, mixed strides and dilations',
      { x: [1, 2, 11, 12], m: 2, k: [2, 3], strides: [2, 1], dilations: [1, 2], pads: [1, 0, 0, 2] },
    ],
    ['9 filters (a 4-block remainder), 1x1 stride 2', { x: [1, 5, 9, 7], m: 9, k: [1, 1], strides: [2, 2] }],
    ['groups 2 with 7 filters per group', { x: [2, 4, 5, 6], m: 14, k: [3, 3], group: 2, pads: [1, 1, 1, 1] }],
    ['7x7 stride 2 pad 3 (a ResNet stem)', { x: [1, 3, 16, 16], m: 4, k: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] }],
  ];
  it.each(cases)('matches a naive implementation, by both loop orders: %s', (_name, c) => {
    const { y, x, w, b, attrs, expected } = runCase(c, 7);
    expect(y.shape).toEqual(expected.shape);
    expect(maxAbsDiff(y.toArray(), expected.data)).toBeLessThan(1e-5);
    const prepared = prepareConv([x, w, b], node(attrs));
    for (const path of [convPlanes, convIm2col]) {
      const out = new Float32Array(y.size);
      path(x.data, w.data, b?.data ?? null, out, prepared.geometry);
      expect(maxAbsDiff(out, expected.data)).toBeLessThan(1e-5);
    }
  });

  it('runs a 1-D convolution as the 2-D one with height 1', () => {
    const rng = random(3);
    const x = randomTensor([2, 3, 11], rng);
    const w = randomTensor([4, 3, 3], rng);
    const attrs = { strides: [2], pads: [1, 2], dilations: [2] };
    const [y] = conv([x, w, null], attrs, node(attrs));
    const expected = naiveConv(x, w, null, {
      x: [2, 3, 1, 11],
      m: 4,
      k: [1, 3],
      strides: [1, 2],
      pads: [0, 1, 0, 2],
      dilations: [1, 2],
    });
    expect(y!.shape).toEqual([2, 4, 5]);
    expect(expected.shape).toEqual([2, 4, 1, 5]);
    expect(maxAbsDiff(y!.toArray(), expected.data)).toBeLessThan(1e-5);
  });

  it('resolves auto_pad SAME_UPPER like the explicit pads', () => {
    const rng = random(5);
    const x = randomTensor([1, 2, 6, 5], rng);
    const w = randomTensor([2, 2, 3, 3], rng);
    const same = { auto_pad: 'SAME_UPPER', strides: [2, 2] };
    const [a] = conv([x, w, null], same, node(same));
    // out = ceil(6/2) = 3, ceil(5/2) = 3; total pads 1 and 2 -> [0, 1, 1, 1] (the extra pad goes at the end).
    const explicit = { pads: [0, 1, 1, 1], strides: [2, 2] };
    const [b] = conv([x, w, null], explicit, node(explicit));
    expect(a!.shape).toEqual([1, 2, 3, 3]);
    expect(a!.toArray()).toEqual(b!.toArray());
  });

  it('gives an empty result for an empty batch', () => {
    const [y] = conv(
      [new Tensor('float32', [0, 2, 4, 4], new Float32Array(0)), tensor(new Float32Array(36), [2, 2, 3, 3]), null],
      {},
      node(),
    );
    expect(y!.shape).toEqual([0, 2, 2, 2]);
  });

  it('propagates NaN from the input', () => {
    const x = tensor(new Float32Array([1, Number.NaN, 3, 4]), [1, 1, 2, 2]);
    const [y] = conv([x, tensor(new Float32Array([1]), [1, 1, 1, 1]), null], {}, node());
    expect(Number.isNaN(y!.data[1])).toBe(true);
    expect(y!.data[2]).toBe(3);
  });

  it('rejects bad inputs with typed errors naming the node', () => {
    const x = new Tensor('float32', [1, 4, 5, 5], new Float32Array(100));
    const w = new Tensor('float32', [2, 4, 3, 3], new Float32Array(72));
    const run =
      (inputs: (Tensor | null)[], attrs: Attrs = {}) =>
      () =>
        conv(inputs, attrs, node(attrs));
    expect(run([x, new Tensor('float32', [2, 3, 3, 3], new Float32Array(54)), null])).toThrow(
      /test\.conv \(Conv\).*4 input channels/,
    );
    expect(run([x, w, tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(run([x.cast('int32'), w, null])).toThrow(DTypeError);
    expect(run([new Tensor('float32', [4, 5], new Float32Array(20)), w, null])).toThrow(ShapeError);
    expect(run([x, w, null], { group: 3 })).toThrow(/group 3/);
    expect(run([x, w, null], { group: 0 })).toThrow(RangeError);
    expect(run([x, w, null], { kernel_shape: [2, 2] })).toThrow(/kernel_shape/);
    expect(run([x, w, null], { strides: [0, 1] })).toThrow(RangeError);
    expect(run([x, w, null], { pads: [1, 1] })).toThrow(/expected 4 values/);
    expect(run([x, w, null], { pads: [-1, 0, 0, 0] })).toThrow(RangeError);
    expect(run([x, w, null], { auto_pad: 'SAME' })).toThrow(UnsupportedOpError);
    expect(run([x, null, null])).toThrow(/input 1 \(W\) is required/);
    expect(run([x, new Tensor('float32', [2, 4, 6, 6], new Float32Array(288)), null])).toThrow(
      /smaller than the window/,
    );
    const x5 = new Tensor('float32', [1, 1, 2, 2, 2], new Float32Array(8));
    expect(run([x5, new Tensor('float32', [1, 1, 1, 1, 1], new Float32Array(1)), null])).toThrow(UnsupportedOpError);
  });
});
