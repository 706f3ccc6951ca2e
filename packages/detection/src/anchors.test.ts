import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../test-utils/fixtures.js';
import { AnchorGenerator } from './anchor-generator.js';
import { ssdDefaultBoxes, yoloAnchors } from './default-boxes.js';

interface AnchorCase {
  sizes: number[][];
  aspect_ratios: number[][];
  image_size: [number, number];
  feature_sizes: [number, number][];
  anchors: number[][];
}
const golden = readGoldenJson<{ cases: { anchor_generator: AnchorCase } }>('ops.json').cases.anchor_generator;

describe('AnchorGenerator', () => {
  it('equals torchvision exactly (values and order)', () => {
    const gen = new AnchorGenerator({ sizes: golden.sizes, aspectRatios: golden.aspect_ratios });
    const anchors = gen.generate(golden.image_size, golden.feature_sizes);
    expect(anchors.length).toBe(4 * golden.anchors.length);
    expect(maxAbsDiff(anchors, flattenNested(golden.anchors).data)).toBe(0);
    expect(gen.numAnchorsPerLocation()).toEqual([3, 3]);
  });

  it('rounds base anchors half to even, ratio-major', () => {
    // size 32, ratio 0.5: w = 32 * sqrt(2) = 45.25 -> +-22.63 -> 23; h = 22.63 -> +-11.31 -> 11
    expect(Array.from(AnchorGenerator.baseAnchors([32], [0.5, 1]))).toEqual([-23, -11, 23, 11, -16, -16, 16, 16]);
    // size 5, ratio 1: +-2.5 rounds to even (2)
    expect(Array.from(AnchorGenerator.baseAnchors([5, 7], [1]))).toEqual([-2, -2, 2, 2, -4, -4, 4, 4]);
  });

  it('rejects bad configuration', () => {
    expect(() => new AnchorGenerator({ sizes: [[32]], aspectRatios: [[1], [1]] })).toThrow(ShapeError);
    expect(() => new AnchorGenerator({ sizes: [[-1]] })).toThrow(RangeError);
    expect(() => new AnchorGenerator({ sizes: [[32]] }).generate([64, 64], [])).toThrow(ShapeError);
    expect(() => new AnchorGenerator({ sizes: [[32]] }).generate([64, 64], [[0, 4]])).toThrow(RangeError);
  });
});

describe('ssdDefaultBoxes', () => {
  const ssd300 = {
    aspectRatios: [[2], [2, 3], [2, 3], [2, 3], [2], [2]],
    featureSizes: [38, 19, 10, 5, 3, 1].map((s) => [s, s] as [number, number]),
    imageSize: [300, 300] as [number, number],
    scales: [0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05],
    steps: [8, 16, 32, 64, 100, 300],
  };

  it('gives SSD300 its 8732 boxes in torchvision order', () => {
    const { cxcywh, xyxy } = ssdDefaultBoxes(ssd300);
    expect(cxcywh.length / 4).toBe(8732);
    const s1 = Math.sqrt(0.07 * 0.15);
    const r = Math.SQRT2;
    const c = 0.5 / 37.5;
    const first = [c, c, 0.07, 0.07, c, c, s1, s1, c, c, 0.07 * r, 0.07 / r, c, c, 0.07 / r, 0.07 * r];
    expect(maxAbsDiff(cxcywh.subarray(0, 16), first)).toBeLessThan(1e-7);
    // second cell of the first row: x moves by one step (8 px)
    expect(cxcywh[16]).toBeCloseTo(1.5 / 37.5, 7);
    expect(xyxy[0]).toBeCloseTo((c - 0.035) * 300, 4);
    // last box: the 1x1 level, ratio 2 transposed, w clipped to 1
    const last = Array.from(cxcywh.subarray(cxcywh.length - 4));
    expect(last[2]).toBeCloseTo(0.87 / r, 6);
    expect(last[3]).toBeCloseTo(Math.min(1, 0.87 * r), 6);
  });

  it('linear scales from minRatio to maxRatio, and Caffe min/max sizes', () => {
    const { cxcywh } = ssdDefaultBoxes({
      aspectRatios: [[], []],
      featureSizes: [
        [1, 1],
        [1, 1],
      ],
      imageSize: [100, 100],
    });
    // scales 0.15, 0.9, 1: level 0 -> 0.15 and sqrt(0.135); level 1 -> 0.9 and sqrt(0.9)
    expect(Array.from(cxcywh.filter((_, i) => i % 4 === 2))).toEqual(
      [0.15, Math.sqrt(0.15 * 0.9), 0.9, Math.sqrt(0.9)].map(Math.fround),
    );
    const caffe = ssdDefaultBoxes({
      aspectRatios: [[]],
      featureSizes: [[1, 1]],
      imageSize: [300, 300],
      minSizes: [30],
      maxSizes: [60],
    });
    expect(caffe.cxcywh[2]).toBeCloseTo(0.1, 7);
    expect(caffe.cxcywh[6]).toBeCloseTo(Math.sqrt(1800) / 300, 7);
    expect(() => ssdDefaultBoxes({ ...ssd300, scales: [0.1] })).toThrow(ShapeError);
  });
});

describe('yoloAnchors', () => {
  it('lays anchors on every cell centre per stride', () => {
    const { levels, boxes } = yoloAnchors(
      [64, 96],
      [16, 32],
      [
        [
          [10, 13],
          [16, 30],
        ],
        [[116, 90]],
      ],
    );
    expect(levels.map((l) => [l.gridHeight, l.gridWidth])).toEqual([
      [4, 6],
      [2, 3],
    ]);
    expect(boxes.length / 4).toBe(4 * 6 * 2 + 2 * 3);
    expect(Array.from(boxes.subarray(0, 8))).toEqual([3, 1.5, 13, 14.5, 0, -7, 16, 23]);
    // last box: level 1, cell (1, 2), centre (80, 48)
    expect(Array.from(boxes.subarray(boxes.length - 4))).toEqual([22, 3, 138, 93]);
    expect(() => yoloAnchors([64, 64], [8, 16], [[[1, 1]]])).toThrow(ShapeError);
  });
});
