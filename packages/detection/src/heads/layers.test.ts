import { Module, ReLU, Rng, referenceBackend, Sequential, ShapeError, Tensor, type Value } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { BackboneWithFPN, FeaturePyramidNetwork, LastLevelMaxPool, LastLevelP6P7 } from './fpn.js';
import { GroupNorm, TapBody } from './layers.js';
import { L2NormChannels } from './ssd.js';

function random(shape: number[], seed: number): Tensor<'float32'> {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    'float32',
    shape,
    Float32Array.from({ length: n }, () => rng.uniform() * 4 - 2),
  );
}

async function run(m: Module, x: Tensor<'float32'>): Promise<Float32Array> {
  const g = m.eval().toGraph({ inputs: { x: ['N', ...x.shape.slice(1)] } });
  const compiled = await referenceBackend.compile(g);
  try {
    const out = await compiled.run({ x });
    return Object.values(out)[0]!.data as Float32Array;
  } finally {
    compiled.dispose();
  }
}

describe('GroupNorm', () => {
  it('normalises each group of each sample (PyTorch nn.GroupNorm formula) and applies the affine', async () => {
    const gn = new GroupNorm(2, 4, 1e-5);
    (gn.weight.data.data as Float32Array).set([1, 2, 3, 4]);
    (gn.bias.data.data as Float32Array).set([0, 1, -1, 0.5]);
    const x = random([2, 4, 3, 5], 1);
    const y = await run(gn, x);
    const hw = 15;
    let maxDiff = 0;
    for (let n = 0; n < 2; n++) {
      for (let g = 0; g < 2; g++) {
        const start = (n * 4 + g * 2) * hw;
        const vals = Array.from(x.data.subarray(start, start + 2 * hw));
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
        vals.forEach((v, i) => {
          const c = g * 2 + Math.floor(i / hw);
          const expected = ((v - mean) / Math.sqrt(variance + 1e-5)) * (c + 1) + [0, 1, -1, 0.5][c]!;
          maxDiff = Math.max(maxDiff, Math.abs(expected - y[start + i]!));
        });
      }
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('validates its arguments and input', () => {
    expect(() => new GroupNorm(3, 4)).toThrow(/divisible by numGroups/);
    expect(() => new GroupNorm(0, 4)).toThrow(RangeError);
    expect(() => new GroupNorm(2, 4).toGraph({ inputs: { x: ['N', 6, 3, 3] } })).toThrow(ShapeError);
  });
});

describe('L2NormChannels', () => {
  it('equals x / ||x||_2 over channels (F.normalize)', async () => {
    const x = random([1, 6, 2, 3], 2);
    const y = await run(new L2NormChannels(6), x);
    let maxDiff = 0;
    for (let p = 0; p < 6; p++) {
      let ss = 0;
      for (let c = 0; c < 6; c++) ss += x.data[c * 6 + p]! ** 2;
      for (let c = 0; c < 6; c++)
        maxDiff = Math.max(maxDiff, Math.abs(x.data[c * 6 + p]! / Math.sqrt(ss) - y[c * 6 + p]!));
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });
});

describe('FeaturePyramidNetwork', () => {
  class TwoMaps extends Module {
    a = new Sequential(new ReLU());
    override forward(x: Value): Value[] {
      return [x, this.a.forward(x)];
    }
  }

  it('uses torchvision parameter names and adds the extra levels', () => {
    const fpn = new FeaturePyramidNetwork([8, 16], 4, new LastLevelMaxPool());
    expect([...fpn.stateDict().keys()]).toEqual([
      'inner_blocks.0.0.weight',
      'inner_blocks.0.0.bias',
      'inner_blocks.1.0.weight',
      'inner_blocks.1.0.bias',
      'layer_blocks.0.0.weight',
      'layer_blocks.0.0.bias',
      'layer_blocks.1.0.weight',
      'layer_blocks.1.0.bias',
    ]);
    expect(fpn.outputNames).toEqual(['0', '1', 'pool']);
    const p6p7 = new LastLevelP6P7(16, 4);
    expect(p6p7.useP5).toBe(false);
    expect(new LastLevelP6P7(4, 4).useP5).toBe(true);
  });

  it('upsamples to odd lateral sizes (nearest to the exact size) and rejects a wrong number of maps', () => {
    const body = new (class extends Module {
      a = new Sequential(new ReLU());
      override forward(x: Value): Value[] {
        return [
          x,
          (this.a.forward(x) as Value).builder.op(
            'MaxPool',
            [x],
            { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
            { name: 'pool' },
          )[0]!,
        ];
      }
    })();
    const fpn = new FeaturePyramidNetwork([3, 3], 4, new LastLevelP6P7(4, 4));
    const g = new BackboneWithFPN(body, fpn).toGraph({ inputs: { x: ['N', 3, 13, 11] } });
    expect(g.outputs.map((o) => o.shape)).toEqual([
      ['N', 4, 13, 11],
      ['N', 4, 7, 6],
      ['N', 4, 4, 3],
      ['N', 4, 2, 2],
    ]);
    const bad = new BackboneWithFPN(new TwoMaps(), new FeaturePyramidNetwork([3, 3, 3], 4, null));
    expect(() => bad.toGraph({ inputs: { x: ['N', 3, 8, 8] } })).toThrow(/expected 3 input maps, got 2/);
  });

  it('TapBody returns the outputs of the named children and rejects unknown names', () => {
    expect(() => new TapBody([['a', new ReLU()]], ['b'])).toThrow(RangeError);
    const body = new TapBody(
      [
        ['0', new ReLU()],
        ['1', new ReLU()],
      ],
      ['0', '1'],
    );
    expect(body.toGraph({ inputs: { x: ['N', 2, 4, 4] } }).outputs).toHaveLength(2);
  });
});

describe('permuteAndFlatten (torchvision view/permute/reshape order)', () => {
  it('puts location-major, anchor, then class on the last axis', async () => {
    const { permuteAndFlatten } = await import('./dense-outputs.js');
    const m = new (class extends Module {
      override forward(x: Value): Value {
        return permuteAndFlatten(x, 3);
      }
    })();
    const a = 2;
    const k = 3;
    const h = 2;
    const w = 3;
    const x = new Tensor(
      'float32',
      [1, a * k, h, w],
      Float32Array.from({ length: a * k * h * w }, (_, i) => i),
    );
    const y = await run(m, x);
    for (let yy = 0; yy < h; yy++) {
      for (let xx = 0; xx < w; xx++) {
        for (let ai = 0; ai < a; ai++) {
          for (let ki = 0; ki < k; ki++) {
            const got = y[((yy * w + xx) * a + ai) * k + ki];
            expect(got).toBe(x.data[((ai * k + ki) * h + yy) * w + xx]);
          }
        }
      }
    }
  });
});
