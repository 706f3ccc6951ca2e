/**
 * End to end: modules traced to graphs and run on the reference backend, against independent computations (naive
 * loops written here) and against torch values from ../shared/golden/ops.json.
 */
import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../../test-utils/fixtures.js';
import type { Dim } from '../graph.js';
import type { Value } from '../graph-builder.js';
import { referenceBackend } from '../reference/backend.js';
import { Rng } from '../rng.js';
import { Tensor, tensor } from '../tensor.js';
import { ReLU } from './activation.js';
import { Conv2d, ConvTranspose2d, type PaddingMode } from './conv.js';
import { Flatten } from './flatten.js';
import { pad } from './functional.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { BatchNorm2d } from './norm.js';
import { MaxPool2d } from './pool.js';
import { Upsample } from './upsample.js';

async function run(m: Module, input: Tensor, shape: readonly Dim[] = input.shape): Promise<Tensor> {
  const compiled = await referenceBackend.compile(m.toGraph({ inputs: { input: shape } }));
  try {
    return (await compiled.run({ input })).output!;
  } finally {
    compiled.dispose();
  }
}

function random(shape: number[], seed: number): Tensor<'float32'> {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor('float32', shape, new Rng(seed).uniformArray(n, -1, 1));
}

/** Naive NCHW convolution; `at(n, c, y, x)` reads the (already padded, or zero outside) input. */
function naiveConv(
  at: (n: number, c: number, y: number, x: number) => number,
  [N, C, H, W]: number[],
  w: Tensor,
  b: Tensor | null,
  pads: number[],
  groups = 1,
): { data: number[]; shape: number[] } {
  const [O, Cg, KH, KW] = w.shape as [number, number, number, number];
  const OH = H + pads[0]! + pads[2]! - KH + 1;
  const OW = W + pads[1]! + pads[3]! - KW + 1;
  const wd = w.toArray();
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let y = 0; y < OH; y++)
        for (let x = 0; x < OW; x++) {
          let s = b ? b.toArray()[o]! : 0;
          const g = Math.floor(o / (O / groups));
          for (let c = 0; c < Cg; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                s += wd[((o * Cg + c) * KH + i) * KW + j]! * at(n, g * Cg + c, y + i - pads[0]!, x + j - pads[1]!);
              }
          out.push(s);
        }
  void C;
  return { data: out, shape: [N, O, OH, OW] };
}

function reader(t: Tensor, mode: 'zeros' | PaddingMode) {
  const [, C, H, W] = t.shape as [number, number, number, number];
  const d = t.toArray();
  const fold = (i: number, size: number) => {
    if (mode === 'replicate') return Math.min(Math.max(i, 0), size - 1);
    if (mode === 'reflect') return i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i;
    return i;
  };
  return (n: number, c: number, y: number, x: number) => {
    const yy = fold(y, H);
    const xx = fold(x, W);
    if (yy < 0 || yy >= H || xx < 0 || xx >= W) return 0;
    return d[((n * C + c) * H + yy) * W + xx]!;
  };
}

describe('traced modules on the reference backend', () => {
  it('a tiny CNN matches a naive computation', async () => {
    class Tiny extends Module {
      conv = new Conv2d(2, 3, 3, { padding: 1, seed: 1 });
      bn = new BatchNorm2d(3);
      relu = new ReLU();
      pool = new MaxPool2d(2);
      flatten = new Flatten();
      fc = new Linear(12, 4, { seed: 2 });
      override forward(x: Value): Value {
        return this.fc.forward(
          this.flatten.forward(this.pool.forward(this.relu.forward(this.bn.forward(this.conv.forward(x))))),
        );
      }
    }
    const m = new Tiny();
    m.loadStateDict(
      {
        'bn.weight': tensor([1.5, 0.5, -1]),
        'bn.bias': tensor([0.1, -0.2, 0.3]),
        'bn.running_mean': tensor([0.2, -0.1, 0]),
        'bn.running_var': tensor([0.5, 2, 1]),
      },
      { strict: false },
    );
    const input = random([2, 2, 4, 4], 3);
    const out = await run(m, input, ['N', 2, 4, 4]);
    expect(out.shape).toEqual([2, 4]);

    const conv = naiveConv(reader(input, 'zeros'), [2, 2, 4, 4], m.conv.weight.data, m.conv.bias!.data, [1, 1, 1, 1]);
    const [g, b, mu, v] = [
      [1.5, 0.5, -1],
      [0.1, -0.2, 0.3],
      [0.2, -0.1, 0],
      [0.5, 2, 1],
    ];
    const act = conv.data.map((x, i) => {
      const c = Math.floor(i / 16) % 3;
      return Math.max(0, ((x - mu[c]!) / Math.sqrt(v[c]! + 1e-5)) * g[c]! + b[c]!);
    });
    const pooled: number[] = [];
    for (let nc = 0; nc < 6; nc++)
      for (let y = 0; y < 2; y++)
        for (let x = 0; x < 2; x++) {
          const at = (yy: number, xx: number) => act[nc * 16 + yy * 4 + xx]!;
          pooled.push(Math.max(at(2 * y, 2 * x), at(2 * y, 2 * x + 1), at(2 * y + 1, 2 * x), at(2 * y + 1, 2 * x + 1)));
        }
    const w = m.fc.weight.data.toArray();
    const bias = m.fc.bias!.data.toArray();
    const expected: number[] = [];
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 4; o++) {
        let s = bias[o]!;
        for (let k = 0; k < 12; k++) s += w[o * 12 + k]! * pooled[n * 12 + k]!;
        expected.push(s);
      }
    expect(maxAbsDiff(out.toArray(), expected)).toBeLessThan(1e-5);
  });

  for (const mode of ['zeros', 'reflect', 'replicate'] as const) {
    it(`Conv2d padding 'same' with an even kernel and paddingMode ${mode}`, async () => {
      const conv = new Conv2d(2, 3, [4, 3], { padding: 'same', dilation: [1, 2], paddingMode: mode, seed: 4 });
      expect(conv.pads).toEqual([1, 2, 2, 2]);
      const input = random([1, 2, 5, 6], 5);
      const out = await run(conv, input);
      expect(out.shape).toEqual([1, 3, 5, 6]);
      // Dilation 2 along W: expand the kernel with zeros between taps for the naive loop.
      const w = conv.weight.data;
      const wide = new Float32Array(3 * 2 * 4 * 5);
      for (let i = 0; i < 3 * 2 * 4; i++) for (let j = 0; j < 3; j++) wide[i * 5 + 2 * j] = w.data[i * 3 + j]!;
      const expected = naiveConv(
        reader(input, mode),
        [1, 2, 5, 6],
        new Tensor('float32', [3, 2, 4, 5], wide),
        conv.bias!.data,
        [1, 2, 2, 2],
      );
      expect(expected.shape).toEqual([1, 3, 5, 6]);
      expect(maxAbsDiff(out.toArray(), expected.data)).toBeLessThan(1e-5);
      const graph = conv.toGraph({ inputs: { input: [1, 2, 5, 6] } });
      expect(graph.nodes.map((n) => n.op)).toEqual(mode === 'zeros' ? ['Conv'] : ['Pad', 'Conv']);
    });
  }

  it('grouped convolution matches the naive loop', async () => {
    const conv = new Conv2d(4, 6, 3, { groups: 2, stride: 1, seed: 9 });
    const input = random([1, 4, 5, 5], 10);
    const out = await run(conv, input);
    const expected = naiveConv(
      reader(input, 'zeros'),
      [1, 4, 5, 5],
      conv.weight.data,
      conv.bias!.data,
      [0, 0, 0, 0],
      2,
    );
    expect(maxAbsDiff(out.toArray(), expected.data)).toBeLessThan(1e-5);
  });

  it('functional pad uses torch order (last dim first)', async () => {
    class P extends Module {
      override forward(x: Value): Value {
        return pad(x, [1, 0, 0, 2], 'constant', 7);
      }
    }
    const out = await run(
      new P(),
      tensor([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
    );
    expect(out.shape).toEqual([1, 1, 4, 3]);
    expect(out.toArray()).toEqual([7, 1, 2, 7, 3, 4, 7, 7, 7, 7, 7, 7]);
  });

  it('ConvTranspose2d equals torch conv_transpose2d (ops.json)', async () => {
    const golden = readGoldenJson<{ cases: { conv_transpose2d: Record<string, unknown> } }>('ops.json').cases
      .conv_transpose2d;
    const input = flattenNested(golden.input);
    const weight = flattenNested(golden.weight);
    const out = flattenNested(golden.out);
    const m = new ConvTranspose2d(3, 2, 4, { stride: 2, padding: 1, outputPadding: 1, bias: false });
    expect(m.weight.shape).toEqual(weight.shape);
    m.loadStateDict({ weight: tensor(Float32Array.from(weight.data), weight.shape) });
    const y = await run(m, tensor(Float32Array.from(input.data), input.shape));
    expect(y.shape).toEqual(out.shape);
    expect(maxAbsDiff(y.toArray(), out.data)).toBeLessThan(1e-4);
  });

  it('Upsample equals torch interpolate (ops.json), with a known and a symbolic batch', async () => {
    type Case = {
      input: unknown;
      size: [number, number];
      mode: 'bilinear' | 'nearest';
      align_corners: boolean | null;
      out: unknown;
    };
    const cases = readGoldenJson<{ cases: { interpolate: Case[] } }>('ops.json').cases.interpolate;
    expect(cases).toHaveLength(3);
    for (const c of cases) {
      const input = flattenNested(c.input);
      const out = flattenNested(c.out);
      const opts = c.mode === 'bilinear' ? { alignCorners: c.align_corners === true } : {};
      const up = new Upsample({ size: c.size, mode: c.mode, ...opts });
      const x = tensor(Float32Array.from(input.data), input.shape);
      for (const shape of [input.shape, ['N', 'C', ...input.shape.slice(2)]] as Dim[][]) {
        const y = await run(up, x, shape);
        expect(y.shape).toEqual(out.shape);
        expect(maxAbsDiff(y.toArray(), out.data), `${c.mode} ${c.align_corners} ${shape}`).toBeLessThan(1e-5);
      }
    }
  });
});
