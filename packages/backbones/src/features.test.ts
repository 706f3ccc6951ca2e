/**
 * featuresOnly on every model: the traced feature maps have the channels featureInfo announces, and a spatial size
 * of input / reduction (to within the rounding of valid convolutions: inception's 299 -> 8 at stride 32).
 */
import { describe, expect, it } from 'vitest';
import { FeatureExtractor } from './features.js';
import { createModel, getModelInfo, listModels } from './registry.js';

describe('featuresOnly for every model', () => {
  for (const name of listModels()) {
    it(`${name}: maps match featureInfo`, () => {
      const full = createModel(name, { skipInit: true });
      const model = new FeatureExtractor(full);
      const info = model.featureInfo;
      expect(info.length).toBeGreaterThanOrEqual(3);
      const [c, h] = getModelInfo(name).inputSize;
      const size = name === 'lenet5' ? 32 : 224;
      const graph = model.toGraph({ inputs: { input: ['N', c, size, size] } });
      expect(graph.outputs).toHaveLength(info.length);
      graph.outputs.forEach((o, i) => {
        const f = info[i]!;
        expect(o.shape[1], `${name} stage ${i} (${f.module})`).toBe(f.numChannels);
        const spatial = o.shape[2] as number;
        expect(spatial, `${name} stage ${i}`).toBeLessThanOrEqual(Math.ceil(size / f.reduction));
        expect(spatial, `${name} stage ${i}`).toBeGreaterThanOrEqual(Math.floor(size / f.reduction) - 4);
        if (i > 0) expect(f.reduction).toBeGreaterThan(info[i - 1]!.reduction);
      });
      // The module named by featureInfo exists and the head is gone.
      for (const f of info) expect(() => model.getSubmodule(f.module)).not.toThrow();
      const headKeys = [...full.stateDict().keys()].filter((k) => full.headNames.includes(k.split('.')[0]!));
      expect([...model.stateDict().keys()]).toEqual([...full.stateDict().keys()].filter((k) => !headKeys.includes(k)));
      void h;
    });
  }
});

describe('outIndices', () => {
  it('createModel returns a FeatureExtractor with featuresOnly', () => {
    const m = createModel('resnet18', { skipInit: true, featuresOnly: true });
    expect(m).toBeInstanceOf(FeatureExtractor);
    expect(m.backbone.numClasses).toBe(1000);
    expect(m.numParameters()).toBe(11_689_512 - 513_000);
  });

  it('selects stages (negative from the end) and validates them', () => {
    const m = createModel('resnet50', { skipInit: true, featuresOnly: true, outIndices: [1, -1] });
    expect(m.featureInfo).toEqual([
      { numChannels: 256, reduction: 4, module: 'layer1' },
      { numChannels: 2048, reduction: 32, module: 'layer4' },
    ]);
    const g = m.toGraph({ inputs: { input: ['N', 3, 224, 224] } });
    expect(g.outputs.map((o) => o.shape)).toEqual([
      ['N', 256, 56, 56],
      ['N', 2048, 7, 7],
    ]);
    const early = createModel('resnet50', { skipInit: true, featuresOnly: true, outIndices: [0, 2] });
    const eg = early.toGraph({ inputs: { input: ['N', 3, 224, 224] } });
    expect(eg.nodes.some((n) => n.name.startsWith('layer3'))).toBe(false);
    expect(() => createModel('resnet50', { featuresOnly: true, outIndices: [5] })).toThrow(/outIndices.*\[-5, 4\]/);
    expect(() => createModel('resnet50', { featuresOnly: true, outIndices: [2, 1] })).toThrow(/increasing/);
    expect(() => createModel('resnet50', { featuresOnly: true, outIndices: [] })).toThrow(TypeError);
  });

  it('gives FPN-ready maps for the mobile nets and EfficientNet (strides 4..32)', () => {
    for (const n of ['mobilenet_v2', 'mobilenet_v3_large', 'efficientnet_b0', 'vgg16']) {
      const m = createModel(n, { skipInit: true, featuresOnly: true, outIndices: [-3, -2, -1] });
      expect(
        m.featureInfo.map((f) => f.reduction),
        n,
      ).toEqual([8, 16, 32]);
    }
    expect(
      createModel('efficientnet_b0', { skipInit: true, featuresOnly: true }).featureInfo.map((f) => f.numChannels),
    ).toEqual([16, 24, 40, 112, 320]);
  });
});
