import { DataError, ShapeError, Tensor } from '@striate/core';
import { describe, expect, test } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import {
  evaluateInstanceMasks,
  type InstanceMaskAnnotation,
  type InstanceMaskPrediction,
  instanceMasksToCocoResults,
  rleToMask,
} from '../index.js';

interface Rle {
  size: [number, number];
  counts: string;
}
interface GtJson {
  images: { id: number; height: number; width: number }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    iscrowd: number;
    area: number;
    segmentation: Rle;
  }[];
  categories: { id: number; name: string }[];
}
interface DtJson {
  image_id: number;
  category_id: number;
  score: number;
  segmentation: Rle;
}
interface StatsJson {
  segm: { summary: number[]; per_category_ap: Record<string, number> };
}

const gt = readGoldenJson<GtJson>('coco/gt.json');
const dt = readGoldenJson<DtJson[]>('coco/dt_segm.json');
const want = readGoldenJson<StatsJson>('coco/stats.json').segm;

// The golden detections' RLEs decoded to binary [H, W] masks: what a model's pasted masks look like.
const predictions: InstanceMaskPrediction[] = dt.map((d) => ({
  imageId: d.image_id,
  categoryId: d.category_id,
  score: d.score,
  mask: rleToMask(d.segmentation),
}));

function expectStats(stats: number[], ref: number[]) {
  expect(stats).toHaveLength(12);
  for (let i = 0; i < 12; i++) expect(Math.abs(stats[i]! - ref[i]!), `stat ${i}`).toBeLessThan(1e-6);
}

describe('evaluateInstanceMasks against pycocotools (../shared/golden/coco, segm)', { timeout: 30_000 }, () => {
  test('masks decoded from the golden detections re-encode to the golden RLE strings', () => {
    expect(predictions.length).toBe(dt.length);
    expect(dt.length).toBeGreaterThan(100);
    const results = instanceMasksToCocoResults(predictions);
    for (let i = 0; i < dt.length; i++) {
      expect(results[i]!.segmentation, `dt[${i}]`).toEqual(dt[i]!.segmentation);
      expect(results[i]!.score).toBe(dt[i]!.score);
    }
  });

  test('COCO ground-truth object: the 12 stats and per-category AP within 1e-6', () => {
    const r = evaluateInstanceMasks({ predictions, groundTruth: gt });
    expectStats(r.stats, want.summary);
    for (const [id, ap] of Object.entries(want.per_category_ap)) {
      expect(Math.abs(r.perCategoryAp[id]! - ap), `category ${id}`).toBeLessThan(1e-6);
    }
  });

  test('ground truth as a list of masks (crowd flags kept): the same 12 stats within 1e-6', () => {
    const annotations: InstanceMaskAnnotation[] = gt.annotations.map((a) => ({
      imageId: a.image_id,
      categoryId: a.category_id,
      iscrowd: a.iscrowd === 1,
      mask: rleToMask(a.segmentation),
    }));
    expect(annotations.filter((a) => a.iscrowd).length).toBeGreaterThan(0);
    const r = evaluateInstanceMasks({ predictions, groundTruth: annotations });
    expectStats(r.stats, want.summary);
  });

  test('float probability masks are thresholded at 0.5 (torchvision): same stats as their binary masks', () => {
    const some = predictions.slice(0, 80);
    const probs = some.map((p) => ({
      ...p,
      mask: new Tensor(
        'float32',
        p.mask.shape,
        Float32Array.from(p.mask.data as Uint8Array, (v) => (v ? 0.7 : 0.5)),
      ),
    }));
    const binary = evaluateInstanceMasks({ predictions: some, groundTruth: gt }).stats;
    expect(binary[0]).toBeGreaterThan(0);
    expect(evaluateInstanceMasks({ predictions: probs, groundTruth: gt }).stats).toEqual(binary);
  });
});

// Hand-computed cases on one 10x10 image, one category.
const H = 10;
const W = 10;
function square(y0: number, x0: number, size: number): Tensor<'uint8'> {
  const d = new Uint8Array(H * W);
  for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) d[y * W + x] = 1;
  return new Tensor('uint8', [H, W], d);
}
const gtAnn = (mask: Tensor, categoryId = 1): InstanceMaskAnnotation => ({ imageId: 1, categoryId, mask });
const pred = (mask: Tensor, score: number, categoryId = 1): InstanceMaskPrediction => ({
  imageId: 1,
  categoryId,
  score,
  mask,
});

describe('evaluateInstanceMasks: hand-computed cases', () => {
  test('exact match: every AP and AR is 1 where measurable (small objects only)', () => {
    const s = evaluateInstanceMasks({
      predictions: [pred(square(1, 1, 5), 0.9)],
      groundTruth: [gtAnn(square(1, 1, 5))],
    }).stats;
    // pycocotools' precision is tp / (tp + fp + eps), so "1" is 1 - 2.2e-16.
    const want1 = [1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1];
    for (let i = 0; i < 12; i++) expect(s[i]).toBeCloseTo(want1[i]!, 12);
  });

  test('IoU 16/25 = 0.64 matches at thresholds .50, .55, .60 only: AP = 3/10, AP50 = 1, AP75 = 0', () => {
    const s = evaluateInstanceMasks({
      predictions: [pred(square(1, 1, 4), 0.9)],
      groundTruth: [gtAnn(square(1, 1, 5))],
    }).stats;
    expect(s[0]).toBeCloseTo(0.3, 12);
    expect(s[1]).toBeCloseTo(1, 12);
    expect(s[2]).toBe(0);
    expect(s[8]).toBeCloseTo(0.3, 12); // AR@100
  });

  test('one of two instances found: recall 1/2, AP = 51/101 (recall thresholds 0, .01, ..., .50)', () => {
    const s = evaluateInstanceMasks({
      predictions: [pred(square(0, 0, 3), 0.8)],
      groundTruth: [gtAnn(square(0, 0, 3)), gtAnn(square(6, 6, 3))],
    }).stats;
    expect(s[0]).toBeCloseTo(51 / 101, 12);
    expect(s[8]).toBeCloseTo(0.5, 12);
  });

  test('an empty predicted mask stays a detection: a false positive at its score (AP 1/2 here)', () => {
    const empty = new Tensor('uint8', [H, W], new Uint8Array(H * W));
    const s = evaluateInstanceMasks({
      predictions: [pred(empty, 0.95), pred(square(2, 2, 4), 0.9)],
      groundTruth: [gtAnn(square(2, 2, 4))],
    }).stats;
    expect(s[0]).toBeCloseTo(0.5, 12);
    expect(s[8]).toBe(1);
  });

  test('the wrong class matches nothing; a class without ground truth is left out of the mean', () => {
    const r = evaluateInstanceMasks({
      predictions: [pred(square(1, 1, 5), 0.9, 2)],
      groundTruth: [gtAnn(square(1, 1, 5), 1)],
    });
    expect(r.perCategoryAp).toEqual({ '1': 0, '2': -1 });
    expect(r.stats[0]).toBe(0);
  });

  test('[1, H, W] masks (a pasteMasksInImage slice) are accepted', () => {
    const m = square(1, 1, 5).reshape([1, H, W]);
    expect(evaluateInstanceMasks({ predictions: [pred(m, 0.5)], groundTruth: [gtAnn(m)] }).stats[0]).toBeCloseTo(1, 12);
  });
});

describe('evaluateInstanceMasks: bad input is named', () => {
  test('a predicted mask whose size differs from its image (COCO ground truth)', () => {
    const bad = { ...predictions[0]!, mask: new Tensor('uint8', [5, 5], new Uint8Array(25)) };
    expect(() => evaluateInstanceMasks({ predictions: [predictions[1]!, bad], groundTruth: gt })).toThrow(ShapeError);
    expect(() => evaluateInstanceMasks({ predictions: [predictions[1]!, bad], groundTruth: gt })).toThrow(
      /predictions\[1\]\.mask: expected a \[\d+, \d+\] mask \(image \d+, size from groundTruth\.images\), got \[5, 5\]/,
    );
  });

  test('mismatched mask shapes within one image (mask-list ground truth)', () => {
    const small = new Tensor('uint8', [4, 6], new Uint8Array(24).fill(1));
    expect(() =>
      evaluateInstanceMasks({ predictions: [pred(small, 0.5)], groundTruth: [gtAnn(square(0, 0, 2))] }),
    ).toThrow(
      /predictions\[0\]\.mask: expected a \[10, 10\] mask \(image 1, size from groundTruth\[0\]\.mask\), got \[4, 6\]/,
    );
    expect(() =>
      evaluateInstanceMasks({ predictions: [], groundTruth: [gtAnn(square(0, 0, 2)), gtAnn(small)] }),
    ).toThrow(ShapeError);
  });

  test('an empty ground-truth mask is a DataError naming it', () => {
    const empty = new Tensor('uint8', [H, W], new Uint8Array(H * W));
    expect(() =>
      evaluateInstanceMasks({ predictions: [], groundTruth: [gtAnn(square(0, 0, 2)), gtAnn(empty)] }),
    ).toThrow(DataError);
    expect(() => evaluateInstanceMasks({ predictions: [], groundTruth: [gtAnn(empty)] })).toThrow(
      /groundTruth\[0\]\.mask: empty/,
    );
  });

  test('unknown image, wrong types, bad threshold', () => {
    expect(() =>
      evaluateInstanceMasks({ predictions: [{ ...predictions[0]!, imageId: 123456 }], groundTruth: gt }),
    ).toThrow(/predictions\[0\]\.imageId: 123456 is not the id of any image/);
    expect(() =>
      evaluateInstanceMasks({ predictions: [{ ...predictions[0]!, mask: [[1]] as never }], groundTruth: gt }),
    ).toThrow(/predictions\[0\]\.mask: expected a Tensor/);
    expect(() =>
      evaluateInstanceMasks({ predictions: [{ ...predictions[0]!, score: Number.NaN }], groundTruth: gt }),
    ).toThrow(/predictions\[0\]\.score/);
    expect(() =>
      evaluateInstanceMasks({
        predictions: [pred(new Tensor('uint8', [2, H, W], new Uint8Array(2 * H * W)), 0.5)],
        groundTruth: gt,
      }),
    ).toThrow(/expected an \[H, W\] or \[1, H, W\] mask, got \[2, 10, 10\]/);
    expect(() => evaluateInstanceMasks({ predictions: [], groundTruth: gt, threshold: Number.NaN })).toThrow(
      /threshold/,
    );
    expect(() => evaluateInstanceMasks({ predictions: 'x' as never, groundTruth: gt })).toThrow(/predictions/);
  });
});
