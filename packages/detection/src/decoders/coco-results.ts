/**
 * Detections as COCO results (`{ image_id, category_id, bbox: [x, y, w, h], score }`, what `COCO.loadRes` and
 * `evaluateCoco` take), with the model's class indices mapped to COCO category ids.
 */
import { DataError, describeValue } from '@striate/core';
import type { Detection } from './decoder.js';

export interface CocoResult {
  image_id: number;
  category_id: number;
  bbox: [number, number, number, number];
  score: number;
}

/**
 * Category ids by model class index from a COCO JSON whose categories carry `yolo_index` (the 0-79 index of
 * `coco.names`), e.g. `shared/data/coco128-val/instances_val2017.json`.
 */
export function cocoCategoryIdsByYoloIndex(gt: unknown): number[] {
  const cats = (gt as { categories?: unknown } | null)?.categories;
  if (!Array.isArray(cats)) throw new DataError(`gt.categories: expected an array, got ${describeValue(cats)}`);
  const ids: number[] = [];
  cats.forEach((c, i) => {
    const rec = c as { id?: unknown; yolo_index?: unknown } | null;
    if (rec === null || typeof rec !== 'object') throw new DataError(`gt.categories[${i}]: expected an object`);
    if (!Number.isInteger(rec.id))
      throw new DataError(`gt.categories[${i}].id: expected an integer, got ${describeValue(rec.id)}`);
    const y = rec.yolo_index;
    if (!Number.isInteger(y) || (y as number) < 0) {
      throw new DataError(`gt.categories[${i}].yolo_index: expected an integer >= 0, got ${describeValue(y)}`);
    }
    if (ids[y as number] !== undefined) throw new DataError(`gt.categories[${i}].yolo_index: ${y} appears twice`);
    ids[y as number] = rec.id as number;
  });
  return ids;
}

/**
 * COCO results of one image. `categoryIds[classIndex]` gives the category id (default: `classIndex + 1`); a class
 * index without a category id is a DataError.
 */
export function toCocoResults(
  detections: readonly Detection[],
  imageId: number,
  categoryIds?: readonly number[],
): CocoResult[] {
  if (!Number.isInteger(imageId))
    throw new TypeError(`toCocoResults: imageId: expected an integer, got ${describeValue(imageId)}`);
  return detections.map((d, i) => {
    const category = categoryIds ? categoryIds[d.classIndex] : d.classIndex + 1;
    if (category === undefined) {
      throw new DataError(
        `toCocoResults: detections[${i}].classIndex ${d.classIndex} has no category id in categoryIds`,
      );
    }
    const [x1, y1, x2, y2] = d.box;
    return { image_id: imageId, category_id: category, bbox: [x1, y1, x2 - x1, y2 - y1], score: d.score };
  });
}
