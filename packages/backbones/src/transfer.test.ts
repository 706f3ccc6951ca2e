import { referenceBackend, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { createModel } from './registry.js';
import { freeze, freezeBackbone, replaceHead, unfreeze } from './transfer.js';

describe('replaceHead', () => {
  it('swaps the classifier for numClasses outputs and keeps every other weight', async () => {
    const model = createModel('lenet5', { seed: 1 });
    const before = model.stateDict();
    replaceHead(model, 3, { seed: 2 });
    const after = model.stateDict();
    expect(model.numClasses).toBe(3);
    expect(after.get('classifier.2.weight')!.shape).toEqual([3, 84]);
    expect(after.get('features.0.weight')).toBe(before.get('features.0.weight'));
    expect(after.get('classifier.0.weight')).toBe(before.get('classifier.0.weight'));
    expect([...after.keys()]).toEqual([...before.keys()]);
    const graph = model.toGraph({ inputs: { input: ['N', 1, 32, 32] } });
    expect(graph.outputs[0]!.shape).toEqual(['N', 3]);
    const compiled = await referenceBackend.compile(graph);
    try {
      const input = new Tensor(
        'float32',
        [2, 1, 32, 32],
        new Float32Array(2048).map((_, i) => Math.sin(i)),
      );
      const { output } = await compiled.run({ input });
      expect(output!.shape).toEqual([2, 3]);
      expect([...output!.data].every(Number.isFinite)).toBe(true);
    } finally {
      compiled.dispose();
    }
  });

  it('works for every family (the new head has the right size)', () => {
    for (const name of [
      'resnet18',
      'vgg11',
      'squeezenet1_0',
      'mobilenet_v3_small',
      'efficientnet_b0',
      'densenet121',
      'googlenet',
      'inception_v3',
      'convnext_tiny',
      'regnet_y_400mf',
      'xception',
      'inception_v4',
      'inception_resnet_v2',
      'mobilenet_v1',
      'mnasnet1_0',
      'shufflenet_v2_x1_0',
      'alexnet',
      'mobilenet_v2',
    ]) {
      const model = createModel(name, { skipInit: true });
      const n = model.numParameters();
      replaceHead(model, 1001);
      expect(model.numClasses).toBe(1001);
      // One more class adds one weight row (inFeatures) and one bias.
      const head = [...model.stateDict()].filter(([k, t]) => k.endsWith('weight') && t.shape[0] === 1001);
      expect(head, name).toHaveLength(1);
      expect(model.numParameters() - n, name).toBe(head[0]![1].shape[1]! + 1);
      if (['resnet18', 'squeezenet1_0', 'mobilenet_v3_small', 'convnext_tiny', 'googlenet'].includes(name)) {
        expect(model.toGraph({ inputs: { input: ['N', 3, 224, 224] } }).outputs[0]!.shape, name).toEqual(['N', 1001]);
      }
    }
  });

  it('validates its arguments', () => {
    const model = createModel('lenet5', { skipInit: true });
    expect(() => replaceHead(model, 0)).toThrow(RangeError);
    expect(() => replaceHead(model, 1.5)).toThrow(TypeError);
    const features = createModel('lenet5', { skipInit: true, featuresOnly: true });
    expect(() => replaceHead(features as never, 3)).toThrow(/not featuresOnly/);
  });
});

describe('freezing', () => {
  it('freezes by glob, list, RegExp or predicate, and unfreezes', () => {
    const model = createModel('resnet18', { skipInit: true });
    const total = model.numParameters();
    const frozen = freeze(model, 'layer1.*');
    expect(frozen.length).toBe(12); // 2 blocks x (conv1, bn1 weight+bias, conv2, bn2 weight+bias)
    expect(frozen.every((n) => n.startsWith('layer1.'))).toBe(true);
    const layer1 = frozen.reduce((s, n) => s + model.stateDict().get(n)!.size, 0);
    expect(model.numParameters({ trainable: true })).toBe(total - layer1);
    freeze(model, ['conv1.*', 'bn1.*']);
    freeze(model, /^layer2\.0\./);
    unfreeze(model);
    expect(model.numParameters({ trainable: true })).toBe(total);
    const head = freezeBackbone(model);
    expect(head).not.toContain('fc.weight');
    expect(model.numParameters({ trainable: true })).toBe(512 * 1000 + 1000);
    expect(() => freeze(model, 'nothing.*')).toThrow(/matches no parameter/);
    expect(() => freeze(model, 42 as never)).toThrow(TypeError);
  });
});
