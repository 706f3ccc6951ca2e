import { describe, expect, test } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import {
  deeplabv3_mobilenet_v3_large,
  deeplabv3_resnet50,
  deeplabv3_resnet101,
  dilatedMobileNetV3Large,
  dilatedResNet,
  fcn_resnet50,
  fcn_resnet101,
  lraspp_mobilenet_v3_large,
} from '../index.js';

const golden = readGoldenJson('detseg_models.json') as {
  models: Record<string, { params: number; num_classes: number }>;
};

const BUILDERS = {
  fcn_resnet50,
  fcn_resnet101,
  deeplabv3_resnet50,
  deeplabv3_mobilenet_v3_large,
  lraspp_mobilenet_v3_large,
};

describe('torchvision segmentation models', () => {
  for (const [name, build] of Object.entries(BUILDERS)) {
    test(`${name}: parameter count equals torchvision's`, () => {
      const ref = golden.models[name]!;
      const model = build({ numClasses: ref.num_classes, skipInit: true });
      expect(model.numParameters()).toBe(ref.params);
    });
  }

  test('deeplabv3_resnet101: 58,630,997 = torchvision docs 60,996,202 (aux_loss) minus the FCNHead(1024, 21) aux', () => {
    // The aux classifier: 3x3 conv 1024->256 (no bias) + BN(256) + 1x1 conv 256->21 with bias.
    const aux = 1024 * 256 * 9 + 2 * 256 + 256 * 21 + 21;
    expect(deeplabv3_resnet101({ skipInit: true }).numParameters()).toBe(60_996_202 - aux);
  });

  test('traced output shapes keep a symbolic batch and equal the input size', () => {
    for (const build of [fcn_resnet50, deeplabv3_mobilenet_v3_large, lraspp_mobilenet_v3_large]) {
      const g = build({ numClasses: 5, skipInit: true }).toGraph({ inputs: { input: ['N', 3, 72, 96] } });
      expect(g.outputs[0]!.shape).toEqual(['N', 5, 72, 96]);
    }
  });

  test('dilated backbones: ResNet output stride 8, MobileNetV3 stride 16 with features.4 at stride 8', () => {
    const r = dilatedResNet('resnet50', [2, 3, 4], true);
    expect(r.reductions).toEqual([8, 8, 8]);
    const g = r.extractor.toGraph({ inputs: { input: ['N', 3, 64, 64] } });
    expect(g.outputs.map((o) => o.shape)).toEqual([
      ['N', 512, 8, 8],
      ['N', 1024, 8, 8],
      ['N', 2048, 8, 8],
    ]);
    const m = dilatedMobileNetV3Large([4, 16], true).toGraph({ inputs: { input: ['N', 3, 64, 64] } });
    expect(m.outputs.map((o) => o.shape)).toEqual([
      ['N', 40, 8, 8],
      ['N', 960, 4, 4],
    ]);
  });

  test("state_dict keys are torchvision's", () => {
    const keys = [...lraspp_mobilenet_v3_large({ skipInit: true }).stateDict().keys()];
    expect(keys).toContain('backbone.0.0.weight');
    expect(keys).toContain('backbone.16.1.running_var');
    expect(keys).toContain('classifier.cbr.0.weight');
    expect(keys).toContain('classifier.scale.1.weight');
    expect(keys).toContain('classifier.high_classifier.bias');
    const dl = [...deeplabv3_resnet50({ skipInit: true }).stateDict().keys()];
    expect(dl).toContain('backbone.layer4.2.conv3.weight');
    expect(dl).toContain('classifier.0.convs.4.1.weight');
    expect(dl).toContain('classifier.0.project.0.weight');
    expect(dl).toContain('classifier.4.bias');
    expect(dl.some((k) => k.startsWith('backbone.fc'))).toBe(false);
  });

  test('bad options are rejected by name', () => {
    expect(() => fcn_resnet50({ numClasses: 0 })).toThrow(/numClasses/);
    expect(() => fcn_resnet50({ numClass: 3 } as never)).toThrow(/unknown option "numClass"/);
    expect(() => fcn_resnet50({ skipInit: true }).toGraph({ inputs: { input: ['N', 3, 'H', 'W'] } })).toThrow(
      /known H and W/,
    );
  });
});
