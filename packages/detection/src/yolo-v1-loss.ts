/**
 * The YOLOv1 loss (Redmon et al., "You Only Look Once", CVPR 2016, eq. 3), sum-squared error over an S x S grid
 * with B boxes per cell and C classes:
 *
 *   lambdaCoord * sum_ij 1obj_ij [(x - x^)^2 + (y - y^)^2]
 * + lambdaCoord * sum_ij 1obj_ij [(sqrt w - sqrt w^)^2 + (sqrt h - sqrt h^)^2]
 * +               sum_ij 1obj_ij (C - C^)^2
 * + lambdaNoobj * sum_ij 1noobj_ij (0 - C^)^2
 * +               sum_i  1obj_i sum_c (p(c) - p^(c))^2
 *
 * 1obj_ij marks the "responsible" predictor j of a cell i that holds an object: the one whose predicted box has
 * the highest IoU with the ground truth (ties: lower j); 1noobj_ij is its complement (every other predictor,
 * also in object cells). The confidence target C is that IoU (the paper's definition) or 1 with
 * `confidenceTarget: 'one'` (a common simplification).
 *
 * Layouts (row-major cells, row = y): predictions per cell `[x, y, w, h, conf] x B` then C class scores
 * (S*S*(5B + C) numbers per image, the 7x7x30 tensor for S=7, B=2, C=20); targets per cell
 * `[x, y, w, h, hasObject (0/1), one-hot C]` (S*S*(5 + C) per image). x, y are the centre's offset inside its
 * cell in [0, 1]; w, h are relative to the image. Predicted w, h enter the square root as `sign(v) sqrt(|v|)`
 * (defined for the negative values an untrained network outputs). Several images: concatenate; terms are summed.
 */
import { ShapeError } from '@striate/core';
import { readInt, readNumber } from './internal/args.js';

export interface YoloV1LossOptions {
  /** Grid size S (7 in the paper). */
  gridSize: number;
  /** Boxes per cell B (2 in the paper). */
  boxesPerCell: number;
  /** Classes C (20 for VOC). */
  numClasses: number;
  /** Default 5. */
  lambdaCoord?: number;
  /** Default 0.5. */
  lambdaNoobj?: number;
  /** Default `'iou'`. */
  confidenceTarget?: 'iou' | 'one';
}

export interface YoloV1LossResult {
  total: number;
  /** Weighted terms: centre, size (sqrt w/h), object confidence, no-object confidence, classes. */
  coord: number;
  size: number;
  object: number;
  noObject: number;
  classes: number;
  /** Per cell (all images): the responsible predictor, or -1 for a cell without object. */
  responsible: Int32Array;
}

const signedSqrt = (v: number): number => Math.sign(v) * Math.sqrt(Math.abs(v));

/** IoU of two (cx, cy, w, h) boxes (negative sizes count as 0). */
function iouCxcywh(a: readonly number[], b: readonly number[]): number {
  const aw = Math.max(a[2]!, 0);
  const ah = Math.max(a[3]!, 0);
  const bw = Math.max(b[2]!, 0);
  const bh = Math.max(b[3]!, 0);
  const iw = Math.max(0, Math.min(a[0]! + aw / 2, b[0]! + bw / 2) - Math.max(a[0]! - aw / 2, b[0]! - bw / 2));
  const ih = Math.max(0, Math.min(a[1]! + ah / 2, b[1]! + bh / 2) - Math.max(a[1]! - ah / 2, b[1]! - bh / 2));
  const inter = iw * ih;
  const union = aw * ah + bw * bh - inter;
  return union > 0 ? inter / union : 0;
}

export function yoloV1Loss(
  predictions: Float32Array | Float64Array,
  targets: Float32Array | Float64Array,
  options: YoloV1LossOptions,
): YoloV1LossResult {
  const S = readInt(options?.gridSize, 'yoloV1Loss: options.gridSize');
  const B = readInt(options.boxesPerCell, 'yoloV1Loss: options.boxesPerCell');
  const C = readInt(options.numClasses, 'yoloV1Loss: options.numClasses', 0);
  const lambdaCoord = readNumber(options.lambdaCoord ?? 5, 'yoloV1Loss: options.lambdaCoord', 0);
  const lambdaNoobj = readNumber(options.lambdaNoobj ?? 0.5, 'yoloV1Loss: options.lambdaNoobj', 0);
  const confTarget = options.confidenceTarget ?? 'iou';
  if (confTarget !== 'iou' && confTarget !== 'one') {
    throw new RangeError(`yoloV1Loss: options.confidenceTarget: expected 'iou' or 'one', got ${String(confTarget)}`);
  }
  const pStride = 5 * B + C;
  const tStride = 5 + C;
  if (predictions.length % (S * S * pStride) !== 0) {
    throw new ShapeError(
      `yoloV1Loss: predictions: expected a multiple of S*S*(5B+C) = ${S * S * pStride} numbers, got ${predictions.length}`,
    );
  }
  const cells = predictions.length / pStride;
  if (targets.length !== cells * tStride) {
    throw new ShapeError(
      `yoloV1Loss: targets: expected ${cells} cells x (5 + C) = ${cells * tStride} numbers, got ${targets.length}`,
    );
  }
  let coord = 0;
  let size = 0;
  let object = 0;
  let noObject = 0;
  let classes = 0;
  const responsible = new Int32Array(cells).fill(-1);
  for (let cell = 0; cell < cells; cell++) {
    const p = cell * pStride;
    const t = cell * tStride;
    const row = Math.floor((cell % (S * S)) / S);
    const col = cell % S;
    const hasObject = targets[t + 4]! > 0;
    let best = -1;
    let bestIou = 0;
    if (hasObject) {
      const truth = [(col + targets[t]!) / S, (row + targets[t + 1]!) / S, targets[t + 2]!, targets[t + 3]!];
      for (let j = 0; j < B; j++) {
        const q = p + 5 * j;
        const box = [
          (col + predictions[q]!) / S,
          (row + predictions[q + 1]!) / S,
          predictions[q + 2]!,
          predictions[q + 3]!,
        ];
        const iou = iouCxcywh(box, truth);
        if (best < 0 || iou > bestIou) {
          best = j;
          bestIou = iou;
        }
      }
      responsible[cell] = best;
      const q = p + 5 * best;
      coord += (targets[t]! - predictions[q]!) ** 2 + (targets[t + 1]! - predictions[q + 1]!) ** 2;
      size +=
        (Math.sqrt(targets[t + 2]!) - signedSqrt(predictions[q + 2]!)) ** 2 +
        (Math.sqrt(targets[t + 3]!) - signedSqrt(predictions[q + 3]!)) ** 2;
      object += ((confTarget === 'iou' ? bestIou : 1) - predictions[q + 4]!) ** 2;
      for (let c = 0; c < C; c++) classes += (targets[t + 5 + c]! - predictions[p + 5 * B + c]!) ** 2;
    }
    for (let j = 0; j < B; j++) if (j !== best) noObject += predictions[p + 5 * j + 4]! ** 2;
  }
  coord *= lambdaCoord;
  size *= lambdaCoord;
  noObject *= lambdaNoobj;
  return { total: coord + size + object + noObject + classes, coord, size, object, noObject, classes, responsible };
}
