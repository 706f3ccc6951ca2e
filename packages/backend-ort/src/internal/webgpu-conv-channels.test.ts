import { type Graph, GraphBuilder, Rng, referenceBackend, Tensor } from '@striate/core';
import { exportOnnx } from '@striate/onnx';
import { describe, expect, it } from 'vitest';
import { padConvChannelsForWebgpu } from './webgpu-conv-channels.js';

interface ConvSpec {
  cin: number;
  cout: number;
  k: number;
  attrs?: Record<string, number | number[]>;
  weightInput?: boolean;
}

function convGraph({ cin, cout, k, attrs = {}, weightInput = false }: ConvSpec): Graph {
  const rng = new Rng(cin * 100 + cout);
  const b = new GraphBuilder('conv');
  const x = b.input('x', 'float32', ['N', cin, 9, 9]);
  const w = weightInput
    ? b.input('w', 'float32', [cout, cin, k, k])
    : b.initializer('w', new Tensor('float32', [cout, cin, k, k], rng.normalArray(cout * cin * k * k)));
  const bias = b.initializer('b', new Tensor('float32', [cout], rng.normalArray(cout)));
  const [y] = b.op('Conv', [x, w, bias], { kernel_shape: [k, k], ...attrs }, { name: 'conv' });
  b.output(y!, 'y');
  return b.build();
}

describe('padConvChannelsForWebgpu', () => {
  it('leaves convs outside the faulty kernel path untouched (same graph object)', () => {
    for (const spec of [
      { cin: 3, cout: 16, k: 3 }, // RGB stem: xCh is always 0, correct
      { cin: 4, cout: 16, k: 3 }, // vec4 path
      { cin: 6, cout: 5, k: 3 }, // out channels not a multiple of 4: scalar path
      { cin: 6, cout: 16, k: 1 }, // 1x1, no padding, stride 1: MatMul path
      { cin: 6, cout: 16, k: 3, attrs: { group: 2 } }, // grouped path
    ]) {
      const g = spec.attrs?.group
        ? (() => {
            const b = new GraphBuilder('g');
            const x = b.input('x', 'float32', [1, 6, 9, 9]);
            const w = b.initializer('w', new Tensor('float32', [16, 3, 3, 3], new Float32Array(16 * 27)));
            const [y] = b.op('Conv', [x, w, null], { kernel_shape: [3, 3], group: 2 }, { name: 'conv' });
            b.output(y!, 'y');
            return b.build();
          })()
        : convGraph(spec);
      expect(padConvChannelsForWebgpu(g), JSON.stringify(spec)).toBe(g);
    }
  });

  it('pads input and weight channels to a multiple of 4 for 6/9/18 -> 4k convs, without touching the original', () => {
    const g = convGraph({ cin: 6, cout: 16, k: 5 });
    const before = JSON.stringify(g.nodes);
    const r = padConvChannelsForWebgpu(g);
    expect(JSON.stringify(g.nodes)).toBe(before);
    expect(r.nodes.map((n) => n.op)).toEqual(['Pad', 'Conv', 'Identity']);
    const conv = r.nodes[1]!;
    const w = r.initializers.get(conv.inputs[1]!)!;
    expect(w.shape).toEqual([16, 8, 5, 5]);
    expect(r.values.get(conv.inputs[0]!)?.shape).toEqual(['N', 8, 9, 9]);
    expect(r.initializers.has('w')).toBe(false);
    // Original channels in place, the two extra ones zero.
    const orig = g.initializers.get('w')!.data as Float32Array;
    const padded = w.data as Float32Array;
    expect(Array.from(padded.subarray(0, 150))).toEqual(Array.from(orig.subarray(0, 150)));
    expect(padded.subarray(150, 200).every((v) => v === 0)).toBe(true);
    expect(Array.from(padded.subarray(200, 350))).toEqual(Array.from(orig.subarray(150, 300)));
    expect(padConvChannelsForWebgpu(convGraph({ cin: 9, cout: 4, k: 3 })).nodes[0]!.op).toBe('Pad');
    expect(
      padConvChannelsForWebgpu(convGraph({ cin: 18, cout: 8, k: 1, attrs: { pads: [1, 1, 1, 1] } })).nodes[0]!.op,
    ).toBe('Pad');
  });

  it('gives the same outputs as the original graph on the reference backend (and exports to ONNX)', async () => {
    for (const spec of [
      { cin: 6, cout: 16, k: 5 },
      { cin: 9, cout: 8, k: 3, attrs: { pads: [1, 0, 2, 1], strides: [2, 1] } },
      { cin: 6, cout: 4, k: 3, weightInput: true },
    ]) {
      const g = convGraph(spec);
      const r = padConvChannelsForWebgpu(g);
      expect(r).not.toBe(g);
      expect(exportOnnx(r).byteLength).toBeGreaterThan(0);
      const rng = new Rng(3);
      const feeds: Record<string, Tensor> = {
        x: new Tensor('float32', [2, spec.cin, 9, 9], rng.normalArray(2 * spec.cin * 81)),
      };
      if (spec.weightInput) {
        const n = spec.cout * spec.cin * spec.k * spec.k;
        feeds.w = new Tensor('float32', [spec.cout, spec.cin, spec.k, spec.k], rng.normalArray(n));
      }
      const a = (await (await referenceBackend.compile(g)).run(feeds)).y!;
      const b = (await (await referenceBackend.compile(r)).run(feeds)).y!;
      expect(b.shape).toEqual(a.shape);
      let max = 0;
      const ad = a.data as Float32Array;
      const bd = b.data as Float32Array;
      for (let i = 0; i < ad.length; i++) max = Math.max(max, Math.abs(ad[i]! - bd[i]!));
      expect(max, JSON.stringify(spec)).toBeLessThan(1e-5);
    }
  });
});
