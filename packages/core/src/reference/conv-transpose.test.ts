import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, GraphNode } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { convTranspose } from './conv-transpose.js';

const node = (attrs: Attrs = {}): GraphNode => ({
  op: 'ConvTranspose',
  name: 'up.0',
  inputs: ['x', 'w', 'b'],
  outputs: ['y'],
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

const randomTensor = (shape: number[], rng: () => number): Tensor<'float32'> =>
  new Tensor('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rng));

interface Case {
  x: [number, number, number, number];
  mg: number;
  k: [number, number];
  group?: number;
  strides?: [number, number];
  pads?: [number, number, number, number];
  dilations?: [number, number];
  outPad?: [number, number];
}

/** Scatter form: every input pixel adds its value times the kernel into the output. */
function naiveConvTranspose(x: Tensor<'float32'>, w: Tensor<'float32'>, b: Tensor<'float32'> | null, c: Case) {
  const [n, ch, h, wd] = c.x;
  const group = c.group ?? 1;
  const [sH, sW] = c.strides ?? [1, 1];
  const [pt, pl, pb, pr] = c.pads ?? [0, 0, 0, 0];
  const [dH, dW] = c.dilations ?? [1, 1];
  const [oph, opw] = c.outPad ?? [0, 0];
  const [kH, kW] = c.k;
  const m = c.mg * group;
  const cg = ch / group;
  const oH = (h - 1) * sH - pt - pb + dH * (kH - 1) + oph + 1;
  const oW = (wd - 1) * sW - pl - pr + dW * (kW - 1) + opw + 1;
  const out = new Float64Array(n * m * oH * oW);
  for (let bi = 0; bi < n; bi++)
    for (let o = 0; o < m; o++) for (let i = 0; i < oH * oW; i++) out[(bi * m + o) * oH * oW + i] = b ? b.data[o]! : 0;
  for (let bi = 0; bi < n; bi++)
    for (let ic = 0; ic < ch; ic++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < wd; j++)
          for (let q = 0; q < c.mg; q++)
            for (let u = 0; u < kH; u++)
              for (let v = 0; v < kW; v++) {
                const oh = i * sH - pt + u * dH;
                const ow = j * sW - pl + v * dW;
                if (oh < 0 || oh >= oH || ow < 0 || ow >= oW) continue;
                const oc = Math.floor(ic / cg) * c.mg + q;
                out[((bi * m + oc) * oH + oh) * oW + ow] +=
                  x.data[((bi * ch + ic) * h + i) * wd + j]! * w.data[((ic * c.mg + q) * kH + u) * kW + v]!;
              }
  return { shape: [n, m, oH, oW], data: out };
}

describe('ConvTranspose (reference kernel)', () => {
  it('matches torch.nn.functional.conv_transpose2d (ops.json) to 1e-5', () => {
    const g = readGoldenJson<{
      cases: { conv_transpose2d: Record<string, unknown> };
    }>('ops.json').cases.conv_transpose2d;
    expect(g.bias ?? null).toBeNull(); // the golden has no bias
    const x = flattenNested(g.input);
    const w = flattenNested(g.weight);
    const out = flattenNested(g.out);
    const p = g.padding as number;
    const s = g.stride as number;
    const op = g.output_padding as number;
    const attrs = { strides: [s, s], pads: [p, p, p, p], output_padding: [op, op] };
    const [y] = convTranspose(
      [tensor(Float32Array.from(x.data), x.shape), tensor(Float32Array.from(w.data), w.shape), null],
      attrs,
      node(attrs),
    );
    expect(x.shape).toEqual([1, 3, 5, 7]);
    expect(w.shape).toEqual([3, 2, 4, 4]);
    expect(y!.shape).toEqual(out.shape);
    expect(maxAbsDiff(y!.toArray(), out.data)).toBeLessThan(1e-5);
  });

  const cases: [string, Case][] = [
    [
      'stride 2, pad 1, output_padding 1',
      { x: [2, 3, 4, 5], mg: 2, k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], outPad: [1, 1] },
    ],
    ['groups 2', { x: [1, 4, 5, 4], mg: 3, k: [3, 2], group: 2, strides: [2, 1], pads: [1, 0, 0, 1] }],
    ['depthwise', { x: [1, 3, 4, 4], mg: 1, k: [4, 4], group: 3, strides: [2, 2], pads: [1, 1, 1, 1] }],
    [
      'dilation 2 with output_padding',
      { x: [1, 2, 5, 6], mg: 2, k: [3, 3], dilations: [2, 2], strides: [3, 3], outPad: [2, 1] },
    ],
    ['1x1 stride 1', { x: [2, 5, 3, 3], mg: 4, k: [1, 1] }],
  ];
  it.each(cases)('matches a naive scatter implementation: %s', (_name, c) => {
    const rng = random(11);
    const group = c.group ?? 1;
    const x = randomTensor(c.x, rng);
    const w = randomTensor([c.x[1], c.mg, ...c.k], rng);
    const b = randomTensor([c.mg * group], rng);
    const attrs: Record<string, number | number[]> = { group };
    if (c.strides) attrs.strides = c.strides;
    if (c.pads) attrs.pads = c.pads;
    if (c.dilations) attrs.dilations = c.dilations;
    if (c.outPad) attrs.output_padding = c.outPad;
    const [y] = convTranspose([x, w, b], attrs, node(attrs));
    const expected = naiveConvTranspose(x, w, b, c);
    expect(y!.shape).toEqual(expected.shape);
    expect(maxAbsDiff(y!.toArray(), expected.data)).toBeLessThan(1e-5);
  });

  it('derives the pads from output_shape', () => {
    const rng = random(2);
    const x = randomTensor([1, 2, 4, 4], rng);
    const w = randomTensor([2, 1, 3, 3], rng);
    const withShape = { strides: [2, 2], output_shape: [8, 8] };
    // total padding = 2*3 + 0 + 3 - 8 = 1 per axis; NOTSET puts the odd one at the beginning.
    const explicit = { strides: [2, 2], pads: [1, 1, 0, 0] };
    const [a] = convTranspose([x, w, null], withShape, node(withShape));
    const [b] = convTranspose([x, w, null], explicit, node(explicit));
    expect(a!.shape).toEqual([1, 1, 8, 8]);
    expect(a!.toArray()).toEqual(b!.toArray());
  });

  it('runs the 1-D form', () => {
    const x = tensor([[[1, 2, 3]]]);
    const w = tensor([[[1, 10]]]);
    const attrs = { strides: [2] };
    const [y] = convTranspose([x, w, tensor([0.5])], attrs, node(attrs));
    expect(y!.shape).toEqual([1, 1, 6]);
    expect(y!.toArray()).toEqual([1.5, 10.5, 2.5, 20.5, 3.5, 30.5]);
  });

  it('rejects bad inputs', () => {
    const x = new Tensor('float32', [1, 4, 3, 3], new Float32Array(36));
    const w = new Tensor('float32', [4, 2, 3, 3], new Float32Array(72));
    const run =
      (inputs: (Tensor | null)[], attrs: Attrs = {}) =>
      () =>
        convTranspose(inputs, attrs, node(attrs));
    expect(run([x, new Tensor('float32', [3, 2, 3, 3], new Float32Array(54)), null])).toThrow(/up\.0 .*input channels/);
    expect(run([x, w, tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(run([x, w, null], { group: 3 })).toThrow(ShapeError);
    expect(run([x.cast('int32'), w, null])).toThrow(DTypeError);
    expect(run([x, w, null], { output_padding: [-1, 0] })).toThrow(RangeError);
    expect(run([x, w, null], { pads: [4, 4, 4, 4] })).toThrow(/negative/);
  });
});
