/**
 * COCO segm mAP of predicted instance masks through @striate/detection's evaluator (pycocotools' COCOeval number
 * for number): binary masks are encoded as COCO RLE with detection's codec and scored by
 * `evaluateCoco({ iouType: 'segm' })`.
 *
 * Empty masks: an empty predicted mask stays a detection (area 0, IoU 0 with everything, as pycocotools), so it
 * counts as a false positive at its score. An empty ground-truth mask (in the mask-list form) is a `DataError`:
 * nothing could ever match it and it would silently lower recall.
 */
import { DataError, describeValue, formatShape, ShapeError, Tensor } from '@striate/core';
import {
  type CocoEvalResult,
  type CompressedRle,
  evaluateCoco,
  type Rle,
  rleArea,
  rleEncode,
  rleToBbox,
  rleToString,
} from '@striate/detection';

/** One predicted instance: its mask on the image's full canvas, its score, class and image. */
export interface InstanceMaskPrediction {
  readonly imageId: number;
  readonly categoryId: number;
  readonly score: number;
  /** [H, W] or [1, H, W], any numeric dtype; foreground where the value is above `threshold`. */
  readonly mask: Tensor;
}

/** One ground-truth instance (the mask-list form of ground truth). */
export interface InstanceMaskAnnotation {
  readonly imageId: number;
  readonly categoryId: number;
  /** [H, W] or [1, H, W]; must not be empty. */
  readonly mask: Tensor;
  /** A crowd region (matched by intersection over the detection's area, never a miss). Default false. */
  readonly iscrowd?: boolean;
}

export interface EvaluateInstanceMasksOptions {
  readonly predictions: readonly InstanceMaskPrediction[];
  /**
   * A COCO ground-truth object `{ images, annotations, categories }` (images need `height` and `width`, which the
   * predicted masks must match), or a list of ground-truth instances with masks: then the images are those named
   * by either list (sizes from their masks) and the categories those named by either list.
   */
  readonly groundTruth: unknown;
  /** Foreground is `value > threshold` (default 0.5, torchvision's; 0/1 and 0/255 masks pass unchanged). */
  readonly threshold?: number;
}

/** A COCO result record for a mask (`COCO.loadRes` input). */
export interface CocoMaskResult {
  image_id: number;
  category_id: number;
  score: number;
  segmentation: CompressedRle;
}

interface Binary {
  rle: Rle;
  h: number;
  w: number;
}

function binaryRle(mask: unknown, threshold: number, what: string): Binary {
  if (!(mask instanceof Tensor)) throw new TypeError(`${what}: expected a Tensor, got ${describeValue(mask)}`);
  const s = mask.shape;
  if (!(s.length === 2 || (s.length === 3 && s[0] === 1))) {
    throw new ShapeError(`${what}: expected an [H, W] or [1, H, W] mask, got ${formatShape(s)}`);
  }
  const h = s[s.length - 2]!;
  const w = s[s.length - 1]!;
  const data = mask.data as ArrayLike<number | bigint>;
  const bin = new Uint8Array(h * w);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < bin.length; i++) bin[i] = Number(data[i]!) > threshold ? 1 : 0;
  } else {
    const d = data as ArrayLike<number>;
    for (let i = 0; i < bin.length; i++) bin[i] = d[i]! > threshold ? 1 : 0;
  }
  return { rle: rleEncode(bin, h, w, 'row-major'), h, w };
}

function id(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new TypeError(`${what}: expected an integer id, got ${describeValue(v)}`);
  }
  return v;
}

function list<T>(v: unknown, what: string): readonly T[] {
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array, got ${describeValue(v)}`);
  return v as readonly T[];
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${what}: expected an object, got ${describeValue(v)}`);
  }
  return v as Record<string, unknown>;
}

function readThreshold(t: unknown): number {
  if (t === undefined) return 0.5;
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new TypeError(`evaluateInstanceMasks: threshold: expected a finite number, got ${describeValue(t)}`);
  }
  return t;
}

function sizeMismatch(what: string, h: number, w: number, imageId: number, where: string, s: [number, number]) {
  return new ShapeError(
    `${what}: expected a [${s[0]}, ${s[1]}] mask (image ${imageId}, size from ${where}), got [${h}, ${w}]`,
  );
}

/**
 * COCO result records (`{ image_id, category_id, score, segmentation: { size, counts } }`) of predicted masks,
 * ready for `JSON.stringify` and `striate-bench eval --iou-type segm`. `imageSizes` (image id -> [h, w]), when
 * given, is checked against every mask.
 */
export function instanceMasksToCocoResults(
  predictions: readonly InstanceMaskPrediction[],
  options: { threshold?: number; imageSizes?: ReadonlyMap<number, readonly [number, number]> } = {},
): CocoMaskResult[] {
  const threshold = readThreshold(options.threshold);
  return list<InstanceMaskPrediction>(predictions, 'predictions').map((p, i) => {
    const what = `predictions[${i}]`;
    const r = record(p, what);
    const imageId = id(r.imageId, `${what}.imageId`);
    const categoryId = id(r.categoryId, `${what}.categoryId`);
    if (typeof r.score !== 'number' || !Number.isFinite(r.score)) {
      throw new TypeError(`${what}.score: expected a finite number, got ${describeValue(r.score)}`);
    }
    const { rle, h, w } = binaryRle(r.mask, threshold, `${what}.mask`);
    if (options.imageSizes) {
      const size = options.imageSizes.get(imageId);
      if (size === undefined) {
        throw new DataError(`${what}.imageId: ${imageId} is not the id of any image in groundTruth.images`);
      }
      if (size[0] !== h || size[1] !== w) {
        throw sizeMismatch(`${what}.mask`, h, w, imageId, 'groundTruth.images', [size[0], size[1]]);
      }
    }
    return {
      image_id: imageId,
      category_id: categoryId,
      score: r.score,
      segmentation: { size: [h, w], counts: rleToString(rle) },
    };
  });
}

/** image id -> [height, width] of a COCO ground-truth object's images. */
function cocoImageSizes(gt: Record<string, unknown>): Map<number, [number, number]> {
  const sizes = new Map<number, [number, number]>();
  list<unknown>(gt.images, 'groundTruth.images').forEach((img, i) => {
    const what = `groundTruth.images[${i}]`;
    const r = record(img, what);
    const dims = [r.height, r.width].map((v, j) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
        throw new DataError(
          `${what}.${j === 0 ? 'height' : 'width'}: expected a non-negative integer, got ${describeValue(v)}`,
        );
      }
      return v;
    });
    sizes.set(id(r.id, `${what}.id`), [dims[0]!, dims[1]!]);
  });
  return sizes;
}

/** A COCO ground-truth object built from a list of ground-truth masks (and the predictions' images/classes). */
function cocoFromMasks(
  annotations: readonly InstanceMaskAnnotation[],
  results: readonly CocoMaskResult[],
  threshold: number,
): Record<string, unknown> {
  const sizes = new Map<number, { size: [number, number]; where: string }>();
  const categories = new Set<number>();
  const anns = annotations.map((a, i) => {
    const what = `groundTruth[${i}]`;
    const r = record(a, what);
    const imageId = id(r.imageId, `${what}.imageId`);
    const categoryId = id(r.categoryId, `${what}.categoryId`);
    if (r.iscrowd !== undefined && typeof r.iscrowd !== 'boolean') {
      throw new TypeError(`${what}.iscrowd: expected a boolean, got ${describeValue(r.iscrowd)}`);
    }
    const { rle, h, w } = binaryRle(r.mask, threshold, `${what}.mask`);
    const known = sizes.get(imageId);
    if (known && (known.size[0] !== h || known.size[1] !== w)) {
      throw sizeMismatch(`${what}.mask`, h, w, imageId, known.where, known.size);
    }
    if (!known) sizes.set(imageId, { size: [h, w], where: `${what}.mask` });
    const area = rleArea(rle);
    if (area === 0) {
      throw new DataError(
        `${what}.mask: empty (no pixel above ${threshold}); an empty ground-truth instance can never be matched. Leave it out`,
      );
    }
    categories.add(categoryId);
    return {
      id: i + 1,
      image_id: imageId,
      category_id: categoryId,
      iscrowd: r.iscrowd ? 1 : 0,
      area,
      bbox: rleToBbox(rle),
      segmentation: { size: [h, w], counts: rleToString(rle) },
    };
  });
  results.forEach((d, i) => {
    const [h, w] = d.segmentation.size;
    const known = sizes.get(d.image_id);
    if (known && (known.size[0] !== h || known.size[1] !== w)) {
      throw sizeMismatch(`predictions[${i}].mask`, h, w, d.image_id, known.where, known.size);
    }
    if (!known) sizes.set(d.image_id, { size: [h, w], where: `predictions[${i}].mask` });
    categories.add(d.category_id);
  });
  return {
    images: [...sizes].map(([imageId, { size }]) => ({ id: imageId, height: size[0], width: size[1] })),
    annotations: anns,
    categories: [...categories].sort((a, b) => a - b).map((c) => ({ id: c })),
  };
}

/**
 * COCO segm evaluation of predicted instance masks: returns `evaluateCoco`'s result, whose `stats` are the 12
 * numbers of pycocotools' summary (AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl).
 * Masks whose size differs from their image's are a `ShapeError` naming the mask.
 */
export function evaluateInstanceMasks(options: EvaluateInstanceMasksOptions): CocoEvalResult {
  const o = record(options, 'evaluateInstanceMasks: options');
  const threshold = readThreshold(o.threshold);
  const gt = o.groundTruth;
  if (Array.isArray(gt)) {
    const results = instanceMasksToCocoResults(o.predictions as InstanceMaskPrediction[], { threshold });
    const coco = cocoFromMasks(gt as InstanceMaskAnnotation[], results, threshold);
    return evaluateCoco({ gt: coco, dt: results, iouType: 'segm' });
  }
  const cocoGt = record(gt, 'groundTruth');
  const imageSizes = cocoImageSizes(cocoGt);
  const results = instanceMasksToCocoResults(o.predictions as InstanceMaskPrediction[], { threshold, imageSizes });
  return evaluateCoco({ gt: cocoGt, dt: results, iouType: 'segm' });
}
