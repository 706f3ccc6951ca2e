import { Rng, ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { Backbone } from './backbone.js';
import * as api from './index.js';
import { closestNames, createModel, editDistance, getModelInfo, listModels, registerModel } from './registry.js';

describe('listModels', () => {
  it('lists every model, sorted, and filters with a glob', () => {
    const all = listModels();
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(46);
    expect(listModels('resnet*')).toEqual(['resnet101', 'resnet152', 'resnet18', 'resnet34', 'resnet50']);
    expect(listModels('vgg1?_bn')).toEqual(['vgg11_bn', 'vgg13_bn', 'vgg16_bn', 'vgg19_bn']);
    expect(listModels('efficientnet_b*')).toHaveLength(8);
    expect(listModels('nothing*')).toEqual([]);
    expect(() => listModels(3 as never)).toThrow(TypeError);
  });

  it('has the names DESIGN.md promises and a typed builder for each', () => {
    for (const n of [
      'resnet50',
      'efficientnet_b0',
      'lenet5',
      'mobilenet_v1',
      'xception',
      'inception_v4',
      'inception_resnet_v2',
    ]) {
      expect(listModels()).toContain(n);
    }
    const exported = api as unknown as Record<string, unknown>;
    for (const n of listModels()) expect(typeof exported[n], n).toBe('function');
    const m = api.resnet18({ skipInit: true, numClasses: 7 });
    expect(m).toBeInstanceOf(Backbone);
    expect(m.numClasses).toBe(7);
  });
});

describe('createModel errors', () => {
  it('suggests the closest names for an unknown model', () => {
    expect(editDistance('resnet', 'resnet18')).toBe(2);
    expect(closestNames('resnet5')).toContain('resnet50');
    expect(() => createModel('resnet5')).toThrow(RangeError);
    expect(() => createModel('resnet5')).toThrow(/unknown model 'resnet5'.*'resnet50'/);
    expect(() => createModel('efficientnet-b0')).toThrow(/'efficientnet_b0'/);
    expect(() => getModelInfo('vgg20')).toThrow(/Did you mean/);
    expect(() => createModel(42 as never)).toThrow(TypeError);
  });

  it('rejects numClasses < 1 and other bad options, naming them', () => {
    expect(() => createModel('resnet18', { numClasses: 0 })).toThrow(RangeError);
    expect(() => createModel('resnet18', { numClasses: 0 })).toThrow(/numClasses.*got 0/);
    expect(() => createModel('resnet18', { numClasses: -3 })).toThrow(RangeError);
    expect(() => createModel('resnet18', { numClasses: 2.5 })).toThrow(TypeError);
    expect(() => createModel('resnet18', { inChannels: 0 })).toThrow(/inChannels/);
    expect(() => createModel('resnet18', { dropRate: 1.5 })).toThrow(/dropRate/);
    expect(() => createModel('resnet18', { numclasses: 10 } as never)).toThrow(/options.numclasses: unknown option/);
    expect(() => createModel('resnet18', { auxLogits: true })).toThrow(/auxLogits: unknown option/);
    expect(() => createModel('resnet18', { outIndices: [1] })).toThrow(/only used with featuresOnly/);
    expect(() => createModel('resnet18', { seed: -1 })).toThrow(/seed/);
    expect(() => createModel('resnet18', 'big' as never)).toThrow(TypeError);
  });

  it('refuses to register a name twice', () => {
    const entry = { info: { ...getModelInfo('lenet5'), name: 'lenet5' }, build: () => createModel('lenet5') };
    expect(() => registerModel(entry)).toThrow(/already registered/);
    expect(() => registerModel({ info: { ...entry.info, name: 'Bad Name' }, build: entry.build })).toThrow(RangeError);
    expect(() => registerModel(null as never)).toThrow(TypeError);
  });

  it('registers a new model that createModel and listModels then know', () => {
    const name = 'lenet5_wide_test';
    registerModel({
      info: { ...getModelInfo('lenet5'), name },
      build: (o) => api.lenet5({ numClasses: o.numClasses }),
    });
    expect(listModels('lenet5*')).toEqual(['lenet5', name]);
    expect(createModel(name, { numClasses: 3 }).numClasses).toBe(3);
  });
});

describe('metadata', () => {
  it('gives input size, preprocessing, paper and the reference parameter count', () => {
    const info = getModelInfo('inception_v3');
    expect(info.inputSize).toEqual([3, 299, 299]);
    expect(info.mean).toEqual([0.5, 0.5, 0.5]);
    expect(info.paper.url).toMatch(/^https:\/\/arxiv.org\/abs\//);
    expect(getModelInfo('resnet50').mean).toEqual([0.485, 0.456, 0.406]);
    expect(getModelInfo('efficientnet_b7').inputSize).toEqual([3, 600, 600]);
    for (const n of listModels()) {
      const i = getModelInfo(n);
      expect(i.paper.year, n).toBeGreaterThan(1990);
      expect(i.mean.length, n).toBe(i.inputSize[0]);
    }
  });
});

describe('initial weights', () => {
  it('are reproducible from a seed, differ across seeds, and are zero with skipInit', () => {
    const w = (opts: object) => createModel('lenet5', opts).stateDict().get('features.0.weight')!.toArray();
    expect(w({ seed: 3 })).toEqual(w({ seed: 3 }));
    expect(w({ seed: 3 })).not.toEqual(w({ seed: 4 }));
    expect(w({ rng: new Rng(3) })).toEqual(w({ seed: 3 }));
    expect(w({ skipInit: true }).every((v) => v === 0)).toBe(true);
    // PyTorch's default Conv2d init: kaiming_uniform(a=sqrt(5)) -> U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn 25.
    const bound = 1 / Math.sqrt(25);
    expect(Math.max(...w({ seed: 1 }).map(Math.abs))).toBeLessThanOrEqual(bound);
  });
});

describe('inputs too small', () => {
  const cases: [string, number][] = [
    ['alexnet', 63],
    ['vgg11', 32],
    ['inception_v3', 75],
    ['squeezenet1_1', 17],
    ['densenet121', 29],
    ['googlenet', 15],
    ['inception_v4', 75],
    ['xception', 7],
  ];
  for (const [name, min] of cases) {
    it(`${name} traces at ${min}x${min} and names the minimum below it`, () => {
      const model = createModel(name, { skipInit: true });
      expect(model.minInputSize).toBe(min);
      expect(model.toGraph({ inputs: { input: ['N', 3, min, min] } }).outputs[0]!.shape).toEqual(['N', 1000]);
      const small = () => model.toGraph({ inputs: { input: ['N', 3, min - 1, min + 10] } });
      expect(small).toThrow(ShapeError);
      expect(small).toThrow(`the minimum input size is ${min}x${min}`);
      // Below the minimum the architecture itself fails too (the declared minimum is tight).
      model.minInputSize = 1;
      expect(small).toThrow(ShapeError);
    });
  }

  it('rejects inputs that are not NCHW', () => {
    const model = createModel('resnet18', { skipInit: true });
    expect(() => model.toGraph({ inputs: { input: ['N', 3, 224] } })).toThrow(/4-D input/);
  });
});
