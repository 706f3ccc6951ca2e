import { createModel } from '@striate/backbones';
import { referenceBackend, Tensor } from '@striate/core';
import { describe, expect, test } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import { BackboneUNet, bilinearKernel, FCN, type FeatureBackbone, MaskBranch, UNet } from '../index.js';

const features = (name: string) =>
  createModel(name, { featuresOnly: true, skipInit: true }) as unknown as FeatureBackbone;

/** The paper's double-conv UNet, counted by hand: 9*in*out + out per 3x3 conv, 4*in*out + out per 2x2 up-conv. */
function unetByHand(inC: number, classes: number): number {
  const dc = (i: number, o: number) => 9 * i * o + o + 9 * o * o + o;
  const ch = [64, 128, 256, 512, 1024];
  let s = 0;
  let prev = inC;
  for (const c of ch) {
    s += dc(prev, c);
    prev = c;
  }
  for (let i = 4; i > 0; i--) s += 4 * ch[i]! * ch[i - 1]! + ch[i - 1]! + dc(2 * ch[i - 1]!, ch[i - 1]!);
  return s + 64 * classes + classes;
}

describe('UNet', () => {
  test("the paper's configuration (1 channel in, 2 classes, depth 5, width 64) has 31,030,658 parameters", () => {
    const unet = new UNet({ skipInit: true });
    expect(unet.numParameters()).toBe(31_030_658);
    expect(unet.numParameters()).toBe(unetByHand(1, 2));
  });

  test('padded: output size = input size; unpadded: 572 -> 388 as the paper (Fig. 1)', () => {
    const padded = new UNet({ skipInit: true, depth: 3, width: 8, numClasses: 3, inChannels: 3 });
    expect(padded.toGraph({ inputs: { input: ['N', 3, 64, 48] } }).outputs[0]!.shape).toEqual(['N', 3, 64, 48]);
    const paper = new UNet({ skipInit: true, padding: false, width: 4 });
    expect(paper.toGraph({ inputs: { input: ['N', 1, 572, 572] } }).outputs[0]!.shape).toEqual(['N', 2, 388, 388]);
  });

  test('residual and BatchNorm variants trace and add the expected parameters', () => {
    const plain = new UNet({ skipInit: true, depth: 3, width: 8 });
    const res = new UNet({ skipInit: true, depth: 3, width: 8, residual: true });
    // 1x1 shortcuts where channels change: 1->8, 8->16, 16->32 (down) and 16->8, 32->16 (decoders, 2c -> c).
    expect(res.numParameters() - plain.numParameters()).toBe(8 + 8 * 16 + 16 * 32 + 16 * 8 + 32 * 16);
    expect(res.toGraph({ inputs: { input: ['N', 1, 32, 32] } }).outputs[0]!.shape).toEqual(['N', 2, 32, 32]);
    expect(() => new UNet({ residual: true, padding: false })).toThrow(/requires padding/);
    expect(() => new UNet({ depth: 1 })).toThrow(/depth/);
    expect(() => new UNet({ width: 0 })).toThrow(/width/);
  });

  test('runs on the reference backend: padded UNet output has the input size', async () => {
    const unet = new UNet({ depth: 2, width: 4, inChannels: 3, numClasses: 2, seed: 1 }).eval();
    const compiled = await referenceBackend.compile(unet.toGraph({ inputs: { input: ['N', 3, 8, 8] } }));
    const input = new Tensor(
      'float32',
      [2, 3, 8, 8],
      Float32Array.from({ length: 384 }, (_, i) => Math.sin(i)),
    );
    const { output } = await compiled.run({ input });
    expect(output!.shape).toEqual([2, 2, 8, 8]);
    expect((output!.data as Float32Array).every(Number.isFinite)).toBe(true);
    compiled.dispose();
  });

  test('any backbone as the encoder (resnet18, mobilenet_v3_small)', () => {
    for (const name of ['resnet18', 'mobilenet_v3_small']) {
      const m = new BackboneUNet(features(name), { numClasses: 4, skipInit: true });
      expect(m.toGraph({ inputs: { input: ['N', 3, 64, 64] } }).outputs[0]!.shape).toEqual(['N', 4, 64, 64]);
    }
    expect(() => new BackboneUNet({} as FeatureBackbone, { numClasses: 2 })).toThrow(/featureInfo/);
  });
});

describe('FCN', () => {
  test('bilinear kernel of size 4 is the outer product of [1/4, 3/4, 3/4, 1/4]', () => {
    const k = bilinearKernel(4);
    const v = [0.25, 0.75, 0.75, 0.25];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(k[i * 4 + j]).toBeCloseTo(v[i]! * v[j]!, 7);
    expect([...bilinearKernel(3)]).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
  });

  test('32s/16s/8s with transposed or bilinear upsampling output the input size (also not a multiple of 32)', () => {
    for (const variant of ['32s', '16s', '8s'] as const) {
      for (const upsample of ['transposed', 'bilinear'] as const) {
        const fcn = new FCN(features('resnet18'), { numClasses: 21, variant, upsample, skipInit: true });
        for (const [h, w] of [
          [64, 96],
          [70, 75],
        ]) {
          const g = fcn.toGraph({ inputs: { input: ['N', 3, h!, w!] } });
          expect(g.outputs[0]!.shape).toEqual(['N', 21, h, w]);
        }
      }
    }
  });

  test('parameters: score convs (1x1 with bias) plus bias-free c x c x 2f x 2f upsampling', () => {
    const fcn = new FCN(features('resnet18'), { numClasses: 21, variant: '8s', skipInit: true });
    const backbone = features('resnet18').numParameters();
    const score = (512 + 256 + 128) * 21 + 3 * 21;
    const up = 21 * 21 * (4 * 4 + 4 * 4 + 16 * 16);
    expect(fcn.numParameters()).toBe(backbone + score + up);
  });

  test('transposed upsampling is bilinear-initialized: a constant score map stays constant inside', async () => {
    const fcn = new FCN(features('resnet18'), { numClasses: 2, variant: '32s' });
    const up = fcn.upscore.getSubmodule('0') as unknown as { toGraph: FCN['toGraph'] };
    const compiled = await referenceBackend.compile(up.toGraph({ inputs: { input: [1, 2, 3, 3] } }));
    const { output } = await compiled.run({ input: new Tensor('float32', [1, 2, 3, 3], new Float32Array(18).fill(2)) });
    expect(output!.shape).toEqual([1, 2, 96, 96]);
    const d = output!.data as Float32Array;
    // Away from the border (16 px of padding, kernel 64) every output is 2 * sum of the overlapping weights = 2.
    for (const [y, x] of [
      [48, 48],
      [40, 60],
      [30, 70],
    ]) {
      expect(d[y! * 96 + x!]).toBeCloseTo(2, 5);
      expect(d[96 * 96 + y! * 96 + x!]).toBeCloseTo(2, 5);
    }
    compiled.dispose();
  });

  test('bad arguments are named', () => {
    expect(() => new FCN(features('resnet18'), { numClasses: 0 })).toThrow(/numClasses/);
    expect(() => new FCN(features('resnet18'), { numClasses: 2, variant: '4s' as never })).toThrow(/variant/);
    expect(() => new FCN({} as FeatureBackbone, { numClasses: 2 })).toThrow(/featureInfo/);
  });
});

describe('Mask R-CNN mask branch', () => {
  test('parameters: four 3x3 convs, 2x2 transposed conv, 1x1 to 91 classes; maskrcnn = fasterrcnn + branch', () => {
    const branch = new MaskBranch({ skipInit: true });
    const expected = 4 * (256 * 256 * 9 + 256) + (256 * 256 * 4 + 256) + (256 * 91 + 91);
    expect(branch.numParameters()).toBe(expected);
    const keys = [...branch.stateDict().keys()];
    expect(keys).toEqual([
      'mask_head.0.0.weight',
      'mask_head.0.0.bias',
      'mask_head.1.0.weight',
      'mask_head.1.0.bias',
      'mask_head.2.0.weight',
      'mask_head.2.0.bias',
      'mask_head.3.0.weight',
      'mask_head.3.0.bias',
      'mask_predictor.conv5_mask.weight',
      'mask_predictor.conv5_mask.bias',
      'mask_predictor.mask_fcn_logits.weight',
      'mask_predictor.mask_fcn_logits.bias',
    ]);
  });

  test('maskrcnn_resnet50_fpn = fasterrcnn_resnet50_fpn + this branch, both counts from torchvision', () => {
    const golden = readGoldenJson<{ models: Record<string, { params: number }> }>('detseg_models.json').models;
    const branch = new MaskBranch({ skipInit: true }).numParameters();
    expect(golden.fasterrcnn_resnet50_fpn!.params + branch).toBe(golden.maskrcnn_resnet50_fpn!.params);
  });

  test('traced: [K, 256, 14, 14] -> [K, 91, 28, 28] with symbolic K', () => {
    const g = new MaskBranch({ skipInit: true }).toGraph({ inputs: { input: ['K', 256, 14, 14] } });
    expect(g.outputs[0]!.shape).toEqual(['K', 91, 28, 28]);
  });

  test('MultiScaleRoIAlign pooling then the branch on the reference backend', async () => {
    const branch = new MaskBranch({ numClasses: 3, inChannels: 4, seed: 3 });
    const level = (s: number) =>
      new Tensor(
        'float32',
        [1, 4, s, s],
        Float32Array.from({ length: 4 * s * s }, (_, i) => (i % 7) / 7),
      );
    const feats = { '0': level(16), '1': level(8), '2': level(4), '3': level(2) };
    const rois = branch.poolRois(feats, [Float32Array.of(0, 0, 20, 20, 10, 10, 60, 40)], [[64, 64]]);
    expect(rois.shape).toEqual([2, 4, 14, 14]);
    const compiled = await referenceBackend.compile(branch.eval().toGraph({ inputs: { input: ['K', 4, 14, 14] } }));
    const { output } = await compiled.run({ input: rois });
    expect(output!.shape).toEqual([2, 3, 28, 28]);
    compiled.dispose();
  });
});
