/**
 * Validation and flattening of a COCO ground-truth object and a list of result records into typed arrays, with
 * pycocotools' `COCO.loadRes` rules for the results (bbox records get `area = w * h`; segmentation records get the
 * mask area and, without a bbox, the mask's box). Every malformed field is a `DataError` naming the record.
 */
import { DataError, describeValue } from '@striate/core';
import { CountsPool, type Rle, rleArea, rleToBboxInto } from './rle.js';
import { rleFromSegmentation } from './rle-poly.js';

/** What is compared: boxes or masks. */
export type CocoIouType = 'bbox' | 'segm';

/** Flattened, validated inputs of one evaluation. Images and categories are sorted by id. */
export interface CocoData {
  imgIds: number[];
  catIds: number[];
  catNames: (string | undefined)[];
  gt: CocoRecords & { ids: Float64Array; crowd: Uint8Array };
  dt: CocoRecords & { scores: Float64Array };
}

/** Per annotation: image and category index, area, `[x, y, w, h]` box (bbox) or mask (segm). */
export interface CocoRecords {
  count: number;
  img: Int32Array;
  cat: Int32Array;
  area: Float64Array;
  boxes: Float64Array;
  rles: Rle[];
  /** segm: the box of each mask (`rleToBbox`), the prefilter of mask IoU. */
  rleBoxes: Float64Array;
}

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finiteNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new DataError(`${what}: expected a finite number, got ${describeValue(v)}`);
  }
  return v;
}

function box(v: unknown, what: string, out: Float64Array, offset: number): void {
  if (!Array.isArray(v) || v.length !== 4) {
    throw new DataError(`${what}: expected [x, y, w, h] (4 finite numbers), got ${describeValue(v)}`);
  }
  for (let j = 0; j < 4; j++) out[offset + j] = finiteNumber(v[j], `${what}[${j}]`);
}

function arrayField(obj: Rec, key: string, what: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw new DataError(`${what}.${key}: expected an array, got ${describeValue(v)}`);
  return v;
}

function idIndex(
  list: unknown[],
  what: string,
): { ids: number[]; index: Map<number, number>; records: Rec[]; order: number[] } {
  const seen = new Map<number, number>();
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!isRecord(r)) throw new DataError(`${what}[${i}]: expected an object, got ${describeValue(r)}`);
    const id = finiteNumber(r.id, `${what}[${i}].id`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new DataError(`${what}[${i}].id: ${id} repeats ${what}[${prev}].id`);
    seen.set(id, i);
  }
  const ids = [...seen.keys()].sort((a, b) => a - b);
  const index = new Map<number, number>();
  for (let k = 0; k < ids.length; k++) index.set(ids[k]!, k);
  return { ids, index, records: list as Rec[], order: ids.map((id) => seen.get(id)!) };
}

function lookup(index: Map<number, number>, v: unknown, what: string, known: string): number {
  const k = typeof v === 'number' ? index.get(v) : undefined;
  if (k === undefined) {
    throw new DataError(`${what}: ${describeValue(v)} is not the id of any ${known} in gt`);
  }
  return k;
}

function allocRecords(n: number): CocoRecords {
  return {
    count: n,
    img: new Int32Array(n),
    cat: new Int32Array(n),
    area: new Float64Array(n),
    boxes: new Float64Array(4 * n),
    rles: [],
    rleBoxes: new Float64Array(0),
  };
}

/** Validates `gt` (a COCO JSON object) and `dt` (result records as `loadRes` takes them) for `iouType`. */
export function prepareCocoData(gt: unknown, dt: unknown, iouType: CocoIouType): CocoData {
  if (!isRecord(gt)) throw new DataError(`gt: expected a COCO object { images, annotations, categories }`);
  const images = idIndex(arrayField(gt, 'images', 'gt'), 'gt.images');
  const cats = idIndex(arrayField(gt, 'categories', 'gt'), 'gt.categories');
  const anns = arrayField(gt, 'annotations', 'gt');
  if (!Array.isArray(dt)) {
    throw new DataError(`dt: expected an array of result records, got ${describeValue(dt)}`);
  }
  const segm = iouType === 'segm';
  const dims = (imgIdx: number, what: string): [number, number] => {
    const rec = images.records[images.order[imgIdx]!]!;
    const where = `gt.images[${images.order[imgIdx]}]`;
    const h = rec.height;
    const w = rec.width;
    if (typeof h !== 'number' || !Number.isSafeInteger(h) || h < 0) {
      throw new DataError(
        `${where}.height: expected a non-negative integer (needed by ${what}), got ${describeValue(h)}`,
      );
    }
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) {
      throw new DataError(
        `${where}.width: expected a non-negative integer (needed by ${what}), got ${describeValue(w)}`,
      );
    }
    return [h, w];
  };
  const pool = new CountsPool();
  const toRle = (segmentation: unknown, imgIdx: number, what: string): Rle => {
    if (Array.isArray(segmentation)) {
      const [h, w] = dims(imgIdx, what);
      return rleFromSegmentation(segmentation, h, w, what);
    }
    return rleFromSegmentation(segmentation, 0, 0, what, pool);
  };

  // Ground truth.
  const g = allocRecords(anns.length) as CocoData['gt'];
  g.ids = new Float64Array(anns.length);
  g.crowd = new Uint8Array(anns.length);
  const annIds = new Map<number, number>();
  for (let i = 0; i < anns.length; i++) {
    const a = anns[i];
    const what = `gt.annotations[${i}]`;
    if (!isRecord(a)) throw new DataError(`${what}: expected an object, got ${describeValue(a)}`);
    const id = finiteNumber(a.id, `${what}.id`);
    const prev = annIds.get(id);
    if (prev !== undefined) throw new DataError(`${what}.id: ${id} repeats gt.annotations[${prev}].id`);
    annIds.set(id, i);
    g.ids[i] = id;
    g.img[i] = lookup(images.index, a.image_id, `${what}.image_id`, 'image');
    g.cat[i] = lookup(cats.index, a.category_id, `${what}.category_id`, 'category');
    g.area[i] = finiteNumber(a.area, `${what}.area`);
    const crowd = a.iscrowd;
    if (crowd !== 0 && crowd !== 1 && crowd !== true && crowd !== false) {
      throw new DataError(`${what}.iscrowd: expected 0 or 1, got ${describeValue(crowd)}`);
    }
    g.crowd[i] = crowd ? 1 : 0;
    if (segm) g.rles.push(toRle(a.segmentation, g.img[i]!, `${what}.segmentation`));
    else box(a.bbox, `${what}.bbox`, g.boxes, 4 * i);
  }

  // Results, as COCO.loadRes reads them: the first record decides between box and mask results.
  const d = allocRecords(dt.length) as CocoData['dt'];
  d.scores = new Float64Array(dt.length);
  const first = dt[0];
  const boxResults =
    dt.length === 0
      ? !segm
      : isRecord(first) && 'bbox' in first && !(Array.isArray(first.bbox) && first.bbox.length === 0);
  if (dt.length > 0 && isRecord(first) && !boxResults && !('segmentation' in first)) {
    throw new DataError(`dt[0]: expected a 'bbox' or a 'segmentation' field (it decides the kind of results)`);
  }
  for (let i = 0; i < dt.length; i++) {
    const r = dt[i];
    const what = `dt[${i}]`;
    if (!isRecord(r)) throw new DataError(`${what}: expected an object, got ${describeValue(r)}`);
    const img = lookup(images.index, r.image_id, `${what}.image_id`, 'image');
    d.img[i] = img;
    d.cat[i] = lookup(cats.index, r.category_id, `${what}.category_id`, 'category');
    d.scores[i] = finiteNumber(r.score, `${what}.score`);
    if (boxResults) {
      box(r.bbox, `${what}.bbox`, d.boxes, 4 * i);
      d.area[i] = d.boxes[4 * i + 2]! * d.boxes[4 * i + 3]!;
      if (segm) {
        if (r.segmentation !== undefined) d.rles.push(toRle(r.segmentation, img, `${what}.segmentation`));
        else {
          const [x, y, w, h] = d.boxes.subarray(4 * i, 4 * i + 4);
          const poly = [[x!, y!, x!, y! + h!, x! + w!, y! + h!, x! + w!, y!]];
          d.rles.push(toRle(poly, img, `${what}.bbox`));
        }
      }
    } else {
      if (r.segmentation === undefined) throw new DataError(`${what}.segmentation: missing (dt[0] has one)`);
      const rle = toRle(r.segmentation, img, `${what}.segmentation`);
      d.rles.push(rle);
      d.area[i] = rleArea(rle);
      if (r.bbox !== undefined) box(r.bbox, `${what}.bbox`, d.boxes, 4 * i);
      else rleToBboxInto(rle, d.boxes, 4 * i);
    }
  }
  if (segm) {
    for (const rec of [g, d]) {
      rec.rleBoxes = new Float64Array(4 * rec.count);
      for (let j = 0; j < rec.count; j++) rleToBboxInto(rec.rles[j]!, rec.rleBoxes, 4 * j);
    }
  }
  const catNames = cats.order.map((i) => {
    const name = cats.records[i]!.name;
    return typeof name === 'string' ? name : undefined;
  });
  return { imgIds: images.ids, catIds: cats.ids, catNames, gt: g, dt: d };
}
