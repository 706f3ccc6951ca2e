import { DataError, Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import { evaluateCoco } from './coco-eval.js';
import { syntheticCoco } from './coco-synthetic.js';

type Json = Record<string, unknown>;

function baseGt(): Json {
  return {
    images: [
      { id: 1, width: 60, height: 40 },
      { id: 2, width: 60, height: 40 },
    ],
    categories: [{ id: 3, name: 'car' }],
    annotations: [
      {
        id: 10,
        image_id: 1,
        category_id: 3,
        bbox: [1, 2, 10, 10],
        area: 100,
        iscrowd: 0,
        segmentation: [[1, 2, 1, 12, 11, 12, 11, 2]],
      },
      {
        id: 11,
        image_id: 2,
        category_id: 3,
        bbox: [5, 5, 20, 10],
        area: 200,
        iscrowd: 0,
        segmentation: [[5, 5, 5, 15, 25, 15, 25, 5]],
      },
    ],
  };
}

function baseDt(): Json[] {
  return [
    { image_id: 1, category_id: 3, bbox: [1, 2, 10, 10], score: 0.9 },
    { image_id: 2, category_id: 3, bbox: [6, 5, 20, 10], score: 0.8 },
  ];
}

/** Applies `edit` to fresh copies and expects a DataError whose message matches `message`. */
function expectDataError(edit: (gt: Json, dt: Json[]) => void, message: RegExp, iouType: 'bbox' | 'segm' = 'bbox') {
  const gt = baseGt();
  const dt = baseDt();
  edit(gt, dt);
  let caught: unknown;
  try {
    evaluateCoco({ gt, dt, iouType });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  expect((caught as Error).message).toMatch(message);
}

const anns = (gt: Json) => gt.annotations as Json[];
const imgs = (gt: Json) => gt.images as Json[];

describe('malformed COCO input -> DataError naming the field and index', () => {
  it('accepts the well-formed base case', () => {
    expect(evaluateCoco({ gt: baseGt(), dt: baseDt(), iouType: 'bbox' }).stats[1]).toBeCloseTo(1, 12);
    expect(evaluateCoco({ gt: baseGt(), dt: baseDt(), iouType: 'segm' }).stats[1]).toBeCloseTo(1, 12);
  });

  it('ground truth structure', () => {
    expectDataError((gt) => delete gt.images, /gt\.images: expected an array, got undefined/);
    expectDataError((gt) => (gt.annotations = {}), /gt\.annotations: expected an array/);
    expectDataError((gt) => delete imgs(gt)[1]!.id, /gt\.images\[1\]\.id: expected a finite number/);
    expectDataError((gt) => (imgs(gt)[1]!.id = 1), /gt\.images\[1\]\.id: 1 repeats gt\.images\[0\]\.id/);
    expectDataError((gt) => ((gt.categories as unknown[])[0] = 'car'), /gt\.categories\[0\]: expected an object/);
  });

  it('ground-truth annotations', () => {
    expectDataError(
      (gt) => delete anns(gt)[1]!.area,
      /gt\.annotations\[1\]\.area: expected a finite number, got undefined/,
    );
    expectDataError((gt) => (anns(gt)[0]!.bbox = [1, 2, Number.NaN, 4]), /gt\.annotations\[0\]\.bbox\[2\]: .* got NaN/);
    expectDataError((gt) => (anns(gt)[0]!.bbox = [1, 2, 3]), /gt\.annotations\[0\]\.bbox: expected \[x, y, w, h\]/);
    expectDataError((gt) => (anns(gt)[1]!.iscrowd = 'no'), /gt\.annotations\[1\]\.iscrowd: expected 0 or 1, got "no"/);
    expectDataError((gt) => delete anns(gt)[0]!.iscrowd, /gt\.annotations\[0\]\.iscrowd/);
    expectDataError(
      (gt) => (anns(gt)[1]!.image_id = 99),
      /gt\.annotations\[1\]\.image_id: 99 is not the id of any image/,
    );
    expectDataError((gt) => (anns(gt)[0]!.category_id = '3'), /gt\.annotations\[0\]\.category_id: "3" is not the id/);
    expectDataError((gt) => (anns(gt)[1]!.id = 10), /gt\.annotations\[1\]\.id: 10 repeats gt\.annotations\[0\]\.id/);
    expectDataError((gt) => delete anns(gt)[1]!.segmentation, /gt\.annotations\[1\]\.segmentation/, 'segm');
    expectDataError(
      (gt) => delete imgs(gt)[0]!.height,
      /gt\.images\[0\]\.height: .*needed by gt\.annotations\[0\]/,
      'segm',
    );
  });

  it('results', () => {
    expectDataError((_, dt) => (dt[1]!.image_id = 42), /dt\[1\]\.image_id: 42 is not the id of any image in gt/);
    expectDataError((_, dt) => (dt[0]!.category_id = 9), /dt\[0\]\.category_id: 9 is not the id of any category/);
    expectDataError((_, dt) => (dt[1]!.bbox = [0, 0, Number.POSITIVE_INFINITY, 1]), /dt\[1\]\.bbox\[2\]: .*Infinity/);
    expectDataError((_, dt) => delete dt[1]!.bbox, /dt\[1\]\.bbox: expected \[x, y, w, h\]/);
    expectDataError((_, dt) => (dt[0]!.score = 'high'), /dt\[0\]\.score: expected a finite number, got "high"/);
    expectDataError((_, dt) => (dt[1] = null as unknown as Json), /dt\[1\]: expected an object, got null/);
    expectDataError((_, dt) => delete dt[0]!.bbox, /dt\[0\]: expected a 'bbox' or a 'segmentation'/);
    expectDataError(
      (_, dt) => {
        dt[0] = { image_id: 1, category_id: 3, score: 1, segmentation: { size: [40, 60], counts: 'bad counts' } };
      },
      /dt\[0\]\.segmentation\.counts: invalid character " "/,
      'segm',
    );
    let caught: unknown;
    try {
      evaluateCoco({ gt: baseGt(), dt: { annotations: [] }, iouType: 'bbox' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DataError);
  });
});

describe('fuzzing (seeded): malformed input never crashes opaquely', () => {
  const badValues: unknown[] = [undefined, null, 'x', Number.NaN, -1, 0, 1e12, 3e8, [], {}, [1, 2], [1, 2, 3, 4], true];

  function mutate(rng: Rng, gt: Json, dt: Json[]): void {
    const pools: Json[][] = [imgs(gt), gt.categories as Json[], anns(gt), dt];
    const pool = pools[rng.integers(0, pools.length)]!;
    if (pool.length === 0) return;
    const rec = pool[rng.integers(0, pool.length)]!;
    const keys = Object.keys(rec);
    if (keys.length === 0) return;
    const key = keys[rng.integers(0, keys.length)]!;
    const bad = badValues[rng.integers(0, badValues.length)];
    if (bad === undefined) delete rec[key];
    else if (Array.isArray(rec[key]) && rng.uniform() < 0.5 && (rec[key] as unknown[]).length > 0) {
      const arr = rec[key] as unknown[];
      const at = rng.integers(0, arr.length);
      const inner = arr[at];
      // One level deeper too (a polygon's coordinates, a box's numbers inside a list).
      if (Array.isArray(inner) && inner.length > 0 && rng.uniform() < 0.5) inner[rng.integers(0, inner.length)] = bad;
      else arr[at] = bad;
    } else rec[key] = bad;
  }

  it('either evaluates to stats in [-1, 1] or throws a DataError', () => {
    const gtAll = readGoldenJson<Json>('coco/gt.json');
    const keepImages = new Set((gtAll.images as Json[]).slice(0, 6).map((i) => i.id));
    const small = {
      ...gtAll,
      images: (gtAll.images as Json[]).filter((i) => keepImages.has(i.id)),
      annotations: (gtAll.annotations as Json[]).filter((a) => keepImages.has(a.image_id)),
    };
    const dts = {
      bbox: readGoldenJson<Json[]>('coco/dt_bbox.json').filter((d) => keepImages.has(d.image_id)),
      segm: readGoldenJson<Json[]>('coco/dt_segm.json').filter((d) => keepImages.has(d.image_id)),
    };
    const rng = new Rng(2024);
    let errors = 0;
    let ok = 0;
    for (let trial = 0; trial < 300; trial++) {
      const iouType = trial % 2 === 0 ? 'bbox' : 'segm';
      const gt = structuredClone(small) as Json;
      const dt = structuredClone(dts[iouType]);
      const n = rng.integers(1, 4);
      for (let k = 0; k < n; k++) mutate(rng, gt, dt);
      try {
        const { stats } = evaluateCoco({ gt, dt, iouType });
        for (const s of stats) expect(s >= -1 && s <= 1).toBe(true);
        ok++;
      } catch (e) {
        if (!(e instanceof DataError)) throw new Error(`trial ${trial}: opaque ${String(e)}`, { cause: e });
        expect((e as Error).message).toMatch(/^(gt|dt)/);
        errors++;
      }
    }
    // Both outcomes happen: the mutations hit fields that matter and fields that do not.
    expect(errors).toBeGreaterThan(50);
    expect(ok).toBeGreaterThan(20);
  });

  it('also on polygon ground truth and box results evaluated as masks', () => {
    const base = syntheticCoco({ images: 4, detsPerImage: 8, categories: 2, masks: true, seed: 77 });
    const rng = new Rng(99);
    let errors = 0;
    for (let trial = 0; trial < 150; trial++) {
      const gt = structuredClone(base.gt) as unknown as Json;
      const dt = structuredClone(trial % 2 ? base.dtSegm : base.dtBbox) as Json[];
      for (let k = rng.integers(1, 4); k > 0; k--) mutate(rng, gt, dt);
      try {
        for (const s of evaluateCoco({ gt, dt, iouType: 'segm' }).stats) expect(s >= -1 && s <= 1).toBe(true);
      } catch (e) {
        if (!(e instanceof DataError)) throw new Error(`trial ${trial}: opaque ${String(e)}`, { cause: e });
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(30);
  });
});
