import { createModel, type FeatureExtractor } from '@striate/backbones';
import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { OverFeatHead, YoloAnchorHead, YoloV1Head } from './classic.js';

describe('OverFeatHead', () => {
  it('scores every window of a larger map in one pass', () => {
    const head = new OverFeatHead({
      inChannels: 256,
      numClasses: 10,
      classifierHidden: [64, 32],
      regressorHidden: [32, 16],
    });
    const g = head.toGraph({ inputs: { x: ['N', 256, 8, 9] } });
    expect(g.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['scores', ['N', 10, 4, 5]],
      ['boxes', ['N', 40, 4, 5]],
    ]);
    const agnostic = new OverFeatHead({
      inChannels: 4,
      numClasses: 3,
      window: 2,
      classifierHidden: [5, 5],
      regressorHidden: [5, 5],
      classSpecificBoxes: false,
    });
    // classifier 4*5*4+5 + 5*5+5 + 5*3+3; regressor 4*5*4+5 + 5*5+5 + 5*4+4
    expect(agnostic.numParameters()).toBe(85 + 30 + 18 + 85 + 30 + 24);
  });

  it('rejects a map smaller than the window and bad options', () => {
    const head = new OverFeatHead({ inChannels: 8, numClasses: 2, classifierHidden: [4, 4], regressorHidden: [4, 4] });
    expect(() => head.toGraph({ inputs: { x: ['N', 8, 4, 9] } })).toThrow(ShapeError);
    expect(() => new OverFeatHead({ inChannels: 8, numClasses: 0 })).toThrow(
      /numClasses: expected an integer >= 1, got 0/,
    );
  });
});

describe('YoloV1Head', () => {
  it('gives the 7x7x30 tensor on a backbone map (VOC: S=7, B=2, C=20)', () => {
    const backbone = createModel('resnet18', {
      featuresOnly: true,
      outIndices: [4],
      skipInit: true,
    }) as FeatureExtractor;
    const head = new YoloV1Head({ inChannels: backbone.featureInfo[0]!.numChannels, hidden: 256 });
    const g = head.toGraph({ inputs: { x: ['N', 512, 14, 14] } });
    expect(g.outputs[0]!.shape).toEqual(['N', 7, 7, 30]);
    expect(head.numParameters()).toBe(512 * 49 * 256 + 256 + 256 * 7 * 7 * 30 + 7 * 7 * 30);
    const h2 = new YoloV1Head({ inChannels: 16, gridSize: 4, boxesPerCell: 3, numClasses: 5, hidden: 8 });
    expect(h2.toGraph({ inputs: { x: ['N', 16, 4, 4] } }).outputs[0]!.shape).toEqual(['N', 4, 4, 20]);
  });

  it('rejects bad options', () => {
    expect(() => new YoloV1Head({ inChannels: 16, gridSize: 0 })).toThrow(RangeError);
  });
});

describe('YoloAnchorHead', () => {
  it('predicts A x (5 + C) per cell on three levels, as [N, A, H, W, 5 + C]', () => {
    const backbone = createModel('resnet18', {
      featuresOnly: true,
      outIndices: [2, 3, 4],
      skipInit: true,
    }) as FeatureExtractor;
    const head = new YoloAnchorHead({
      inChannels: backbone.featureInfo.map((f) => f.numChannels),
      anchorsPerLevel: 3,
      numClasses: 80,
    });
    const g = head.toGraph({
      inputs: { p3: ['N', 128, 52, 52], p4: ['N', 256, 26, 26], p5: ['N', 512, 13, 13] },
    });
    expect(g.outputs.map((o) => o.shape)).toEqual([
      ['N', 3, 52, 52, 85],
      ['N', 3, 26, 26, 85],
      ['N', 3, 13, 13, 85],
    ]);
    expect(head.numParameters()).toBe((128 + 256 + 512) * 255 + 3 * 255);
  });

  it('rejects mismatched anchors and map counts', () => {
    expect(() => new YoloAnchorHead({ inChannels: [8, 8], anchorsPerLevel: [3], numClasses: 2 })).toThrow(
      /expected 2 entries/,
    );
    const head = new YoloAnchorHead({ inChannels: [8, 8], anchorsPerLevel: 2, numClasses: 2 });
    expect(() => head.toGraph({ inputs: { a: ['N', 8, 4, 4] } })).toThrow(/expected 2 maps, got 1/);
  });
});
