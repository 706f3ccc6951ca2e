import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import { evaluateCoco } from './coco-eval.js';
import { COCO_STAT_NAMES } from './coco-params.js';

interface StatsJson {
  summary_order: string[];
  bbox: { summary: number[]; per_category_ap: Record<string, number> };
  segm: { summary: number[]; per_category_ap: Record<string, number> };
}

describe('evaluateCoco against pycocotools (golden)', () => {
  const gt = readGoldenJson('coco/gt.json');
  const golden = readGoldenJson<StatsJson>('coco/stats.json');

  it('uses pycocotools summary order', () => {
    expect([...COCO_STAT_NAMES]).toEqual(golden.summary_order);
  });

  for (const iouType of ['bbox', 'segm'] as const) {
    it(`${iouType}: all 12 numbers and per-category AP within 1e-6`, () => {
      const dt = readGoldenJson<unknown[]>(`coco/dt_${iouType}.json`);
      expect(dt.length).toBeGreaterThan(100);
      const result = evaluateCoco({ gt, dt, iouType });
      const want = golden[iouType];
      expect(result.stats).toHaveLength(12);
      for (let i = 0; i < 12; i++) expect(Math.abs(result.stats[i]! - want.summary[i]!)).toBeLessThan(1e-6);
      expect(Object.keys(result.perCategoryAp).sort()).toEqual(Object.keys(want.per_category_ap).sort());
      for (const [id, ap] of Object.entries(want.per_category_ap)) {
        expect(Math.abs(result.perCategoryAp[id]! - ap)).toBeLessThan(1e-6);
      }
      expect(result.precision.length).toBe(10 * 101 * 4 * 4 * 3);
      expect(result.recall.length).toBe(10 * 4 * 4 * 3);
    });
  }

  it('does not modify its inputs', () => {
    const dt = readGoldenJson<unknown[]>('coco/dt_segm.json');
    const before = JSON.stringify([gt, dt]);
    evaluateCoco({ gt, dt, iouType: 'segm' });
    expect(JSON.stringify([gt, dt])).toBe(before);
  });
});

const image = { id: 1, width: 100, height: 100 };
const cat = { id: 1, name: 'thing' };
function ann(id: number, bbox: number[], extra: Record<string, unknown> = {}) {
  const [x, y, w, h] = bbox as [number, number, number, number];
  return {
    id,
    image_id: 1,
    category_id: 1,
    bbox,
    area: w * h,
    iscrowd: 0,
    segmentation: [[x, y, x, y + h, x + w, y + h, x + w, y]],
    ...extra,
  };
}
const det = (bbox: number[], score: number) => ({ image_id: 1, category_id: 1, bbox, score });

describe('evaluateCoco on hand-computed cases', () => {
  const gt = { images: [image], categories: [cat], annotations: [ann(1, [0, 0, 20, 20]), ann(2, [50, 50, 20, 20])] };

  it('hit, false positive, hit: AP = (51 + 50 * 2/3) / 101', () => {
    const dt = [det([0, 0, 20, 20], 0.9), det([80, 0, 10, 10], 0.8), det([50, 50, 20, 20], 0.7)];
    for (const iouType of ['bbox', 'segm'] as const) {
      const { stats } = evaluateCoco({ gt, dt, iouType });
      const ap = (51 + (50 * 2) / 3) / 101;
      for (const i of [0, 1, 2, 3]) expect(stats[i]).toBeCloseTo(ap, 12);
      // No medium or large ground truth: -1, as pycocotools.
      expect([stats[4], stats[5], stats[10], stats[11]]).toEqual([-1, -1, -1, -1]);
      expect(stats[6]).toBe(0.5); // AR@1: one detection per image
      expect([stats[7], stats[8], stats[9]]).toEqual([1, 1, 1]);
    }
  });

  it('a detection on a crowd region is ignored, not a false positive', () => {
    const crowdGt = { ...gt, annotations: [...gt.annotations, ann(3, [75, 0, 20, 20], { iscrowd: 1 })] };
    const dt = [det([0, 0, 20, 20], 0.9), det([80, 0, 10, 10], 0.8), det([50, 50, 20, 20], 0.7)];
    expect(evaluateCoco({ gt: crowdGt, dt, iouType: 'bbox' }).stats[0]).toBeCloseTo(1, 12);
    // Without the crowd flag the region is ordinary ground truth that the detection misses (IoU 0.25).
    const plain = { ...gt, annotations: [...gt.annotations, ann(3, [75, 0, 20, 20])] };
    expect(evaluateCoco({ gt: plain, dt, iouType: 'bbox' }).stats[0]).toBeLessThan(0.9);
  });

  it('breaks score ties by input order (numpy mergesort)', () => {
    const oneGt = { ...gt, annotations: [ann(1, [0, 0, 20, 20])] };
    const fpFirst = [det([80, 80, 10, 10], 0.5), det([0, 0, 20, 20], 0.5)];
    const tpFirst = [fpFirst[1]!, fpFirst[0]!];
    expect(evaluateCoco({ gt: oneGt, dt: fpFirst, iouType: 'bbox' }).stats[0]).toBeCloseTo(0.5, 12);
    expect(evaluateCoco({ gt: oneGt, dt: tpFirst, iouType: 'bbox' }).stats[0]).toBeCloseTo(1, 12);
  });

  it('keeps at most 100 detections per image and category', () => {
    const oneGt = { ...gt, annotations: [ann(1, [0, 0, 20, 20])] };
    const misses = Array.from({ length: 100 }, (_, i) => det([80, 80, 5, 5], 0.9 - i * 1e-4));
    const dt = [...misses, det([0, 0, 20, 20], 0.1)];
    const { stats } = evaluateCoco({ gt: oneGt, dt, iouType: 'bbox' });
    expect(stats[8]).toBe(0); // the hit is the 101st detection
  });

  it('empty results give zero AP/AR where there is ground truth', () => {
    const { stats, perCategoryAp } = evaluateCoco({ gt, dt: [], iouType: 'bbox' });
    expect(stats).toEqual([0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1]);
    expect(perCategoryAp).toEqual({ '1': 0 });
  });

  it('reports -1 for a category without ground truth', () => {
    const twoCats = { ...gt, categories: [cat, { id: 7, name: 'absent' }] };
    const dt = [det([0, 0, 20, 20], 0.9), { ...det([0, 0, 20, 20], 0.9), category_id: 7 }];
    const r = evaluateCoco({ gt: twoCats, dt, iouType: 'bbox' });
    expect(r.perCategoryAp['7']).toBe(-1);
    expect(r.categories.map((c) => c.name)).toEqual(['thing', 'absent']);
  });

  it('segm: box results are rasterised as polygons, mask results use their RLE', () => {
    const dt = [det([0, 0, 20, 20], 0.9), det([50, 50, 20, 20], 0.8)];
    expect(evaluateCoco({ gt, dt, iouType: 'segm' }).stats[0]).toBeCloseTo(1, 12);
    const rleDt = [{ image_id: 1, category_id: 1, score: 0.9, segmentation: { size: [100, 100], counts: [0, 10000] } }];
    // A full-image mask covers each 400-pixel square with IoU 0.04: no match at .5.
    expect(evaluateCoco({ gt, dt: rleDt, iouType: 'segm' }).stats[1]).toBe(0);
  });

  it('reproduces the pycocotools quirk that a match to ground truth with id 0 counts as unmatched', () => {
    const zeroId = { ...gt, annotations: [ann(0, [0, 0, 20, 20])] };
    expect(evaluateCoco({ gt: zeroId, dt: [det([0, 0, 20, 20], 0.9)], iouType: 'bbox' }).stats[0]).toBe(0);
  });
});

describe('evaluateCoco argument errors', () => {
  it('rejects a bad iouType or options object', () => {
    expect(() => evaluateCoco({ gt: {}, dt: [], iouType: 'keypoints' as 'bbox' })).toThrow(RangeError);
    expect(() => evaluateCoco(null as unknown as Parameters<typeof evaluateCoco>[0])).toThrow(TypeError);
  });
});
