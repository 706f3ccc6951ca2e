/**
 * Architectures that torchvision lacks, against the reference implementations' counts: timm 1.0.29 (the `timm`
 * section of ../shared/golden/models.json) for MobileNet v1, Xception (legacy_xception), Inception-v4 and
 * Inception-ResNet-v2; LeNet-5 against the widely reproduced 61,706 of the 1998 layout (C1 156 + C3 2,416 + C5
 * 48,120 + F6 10,164 + output 850, see models/classic.ts). VGG-13 (with and without BatchNorm), absent from
 * models.json, against torchvision's documented counts (VGG13_Weights / VGG13_BN_Weights meta num_params).
 */
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { countFlops } from './flops.js';
import { createModel, getModelInfo } from './registry.js';

const timm = readGoldenJson<{ timm: Record<string, number> }>('models.json').timm;

const cases: [name: string, reference: number, source: string][] = [
  ['mobilenet_v1', timm.mobilenetv1_100!, 'timm 1.0.29 mobilenetv1_100'],
  ['xception', timm.legacy_xception!, 'timm 1.0.29 legacy_xception'],
  ['inception_v4', timm.inception_v4!, 'timm 1.0.29 inception_v4'],
  ['inception_resnet_v2', timm.inception_resnet_v2!, 'timm 1.0.29 inception_resnet_v2'],
  ['lenet5', 61_706, 'LeCun et al. 1998 layout (C3 fully connected, linear output)'],
  ['vgg13', 133_047_848, 'torchvision VGG13_Weights meta num_params'],
  ['vgg13_bn', 133_053_736, 'torchvision VGG13_BN_Weights meta num_params'],
];

describe('parameter counts of the reference implementations', () => {
  it('uses the numbers the issue states', () => {
    expect(timm).toEqual({
      inception_v4: 42_679_816,
      inception_resnet_v2: 55_843_464,
      legacy_xception: 22_855_952,
      mobilenetv1_100: 4_231_976,
    });
  });

  for (const [name, reference, source] of cases) {
    it(`${name}: ${reference} parameters (${source})`, () => {
      const model = createModel(name, { skipInit: true });
      expect(model.numParameters()).toBe(reference);
      const info = getModelInfo(name);
      expect(info.numParams).toBe(reference);
      const [c, h, w] = info.inputSize;
      const graph = model.toGraph({ inputs: { input: ['N', c, h, w] } });
      expect(graph.outputs[0]!.shape).toEqual(['N', name === 'lenet5' ? 10 : 1000]);
      expect(countFlops(graph, [1, c, h, w]).total).toBeGreaterThan(0);
    });
  }
});

describe('MobileNet v1 multipliers', () => {
  it('alpha scales the channels (rounded to multiples of 8) and rho the input size only', () => {
    const half = createModel('mobilenet_v1', { skipInit: true, alpha: 0.5 });
    expect(half.stateDict().get('conv_stem.weight')!.shape).toEqual([16, 3, 3, 3]);
    expect(half.featureInfo.map((f) => f.numChannels)).toEqual([32, 64, 128, 256, 512]);
    expect(half.numParameters()).toBeLessThan(4_231_976 / 2);
    const small = createModel('mobilenet_v1', { skipInit: true, rho: 160 / 224 }) as unknown as { resolution: number };
    expect(small.resolution).toBe(160);
    expect(createModel('mobilenet_v1', { skipInit: true, rho: 0.5 }).numParameters()).toBe(4_231_976);
    // Mult-adds against the paper (Howard et al. 2017, Tables 6 and 7): 569M for 1.0-224, 325M for 0.75-224,
    // 149M for 0.5-224, 418M for 1.0-192, 186M for 1.0-128 (within 2%; the paper rounds).
    const macs = (opts: object, size: number) =>
      countFlops(
        createModel('mobilenet_v1', { skipInit: true, ...opts }).toGraph({ inputs: { input: [1, 3, size, size] } }),
      ).total / 2;
    for (const [opts, size, paper] of [
      [{}, 224, 569e6],
      [{ alpha: 0.75 }, 224, 325e6],
      [{ alpha: 0.5 }, 224, 149e6],
      [{}, 192, 418e6],
      [{}, 128, 186e6],
    ] as const) {
      expect(Math.abs(macs(opts, size) / paper - 1), `${JSON.stringify(opts)} ${size}`).toBeLessThan(0.02);
    }
    expect(() => createModel('mobilenet_v1', { alpha: 0 })).toThrow(/alpha/);
    expect(() => createModel('mobilenet_v1', { rho: 'x' as never })).toThrow(TypeError);
  });
});
