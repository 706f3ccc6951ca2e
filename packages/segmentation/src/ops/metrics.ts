/**
 * Semantic segmentation metrics from a confusion matrix: pixel accuracy, per-class and mean IoU, Dice, with an
 * ignore index; binary mask IoU and Dice. Conventions (documented, tested):
 * - pixels whose target is `ignoreIndex` are left out; any other id outside [0, numClasses) in either map is a
 *   RangeError naming the map, the value and its position;
 * - a class absent from both prediction and target has IoU and Dice NaN, and `meanIoU` / `meanDice` average over
 *   the classes that are not NaN (as torchmetrics / mmseg nanmean); with no valid pixel at all pixel accuracy is NaN;
 * - binary masks: with both masks empty (union 0) IoU and Dice are NaN.
 */
import { describeValue, type Tensor } from '@striate/core';
import { labelsOf, sameShape } from './labels.js';

export interface ConfusionOptions {
  /** Target id to leave out (e.g. 255 in Pascal VOC). Default none. */
  readonly ignoreIndex?: number;
}

/**
 * Confusion matrix [numClasses, numClasses] (row: target class, column: predicted class) of two label maps of the
 * same shape. Accumulate over a dataset by passing `into`.
 */
export function confusionMatrix(
  pred: Tensor,
  target: Tensor,
  numClasses: number,
  options: ConfusionOptions = {},
  into?: Float64Array,
): Float64Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`confusionMatrix: numClasses: expected a positive integer, got ${describeValue(numClasses)}`);
  }
  const p = labelsOf(pred, 'pred');
  const t = labelsOf(target, 'target');
  sameShape(pred, target, 'pred', 'target');
  const m = into ?? new Float64Array(numClasses * numClasses);
  if (m.length !== numClasses * numClasses) {
    throw new RangeError(`confusionMatrix: into: expected ${numClasses * numClasses} entries, got ${m.length}`);
  }
  const ignore = options.ignoreIndex;
  for (let i = 0; i < t.length; i++) {
    const tv = t[i]!;
    if (tv === ignore) continue;
    const pv = p[i]!;
    if (tv < 0 || tv >= numClasses) {
      throw new RangeError(
        `target: class id ${tv} at index ${i} is outside [0, ${numClasses}) and not the ignoreIndex (${ignore ?? 'none'})`,
      );
    }
    if (pv < 0 || pv >= numClasses) {
      throw new RangeError(`pred: class id ${pv} at index ${i} is outside [0, ${numClasses})`);
    }
    m[tv * numClasses + pv]! += 1;
  }
  return m;
}

export interface SegmentationScores {
  readonly pixelAccuracy: number;
  readonly perClassIoU: Float64Array;
  readonly meanIoU: number;
  readonly perClassDice: Float64Array;
  readonly meanDice: number;
}

function nanMean(v: Float64Array): number {
  let s = 0;
  let n = 0;
  for (const x of v) {
    if (!Number.isNaN(x)) {
      s += x;
      n++;
    }
  }
  return n === 0 ? Number.NaN : s / n;
}

/** Scores of a confusion matrix (from `confusionMatrix`). */
export function scoresFromConfusion(matrix: Float64Array, numClasses: number): SegmentationScores {
  if (matrix.length !== numClasses * numClasses) {
    throw new RangeError(
      `scoresFromConfusion: matrix: expected ${numClasses}x${numClasses} entries, got ${matrix.length}`,
    );
  }
  let total = 0;
  let correct = 0;
  const iou = new Float64Array(numClasses);
  const dice = new Float64Array(numClasses);
  for (let k = 0; k < numClasses; k++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < numClasses; j++) {
      row += matrix[k * numClasses + j]!;
      col += matrix[j * numClasses + k]!;
    }
    const tp = matrix[k * numClasses + k]!;
    total += row;
    correct += tp;
    const union = row + col - tp;
    iou[k] = union === 0 ? Number.NaN : tp / union;
    dice[k] = row + col === 0 ? Number.NaN : (2 * tp) / (row + col);
  }
  return {
    pixelAccuracy: total === 0 ? Number.NaN : correct / total,
    perClassIoU: iou,
    meanIoU: nanMean(iou),
    perClassDice: dice,
    meanDice: nanMean(dice),
  };
}

/** Pixel accuracy, per-class / mean IoU and Dice of one prediction against its target. */
export function segmentationScores(
  pred: Tensor,
  target: Tensor,
  numClasses: number,
  options: ConfusionOptions = {},
): SegmentationScores {
  return scoresFromConfusion(confusionMatrix(pred, target, numClasses, options), numClasses);
}

export interface BinaryScores {
  readonly intersection: number;
  readonly union: number;
  /** NaN when both masks are empty. */
  readonly iou: number;
  /** NaN when both masks are empty. */
  readonly dice: number;
}

/** IoU and Dice of two binary masks of the same shape (nonzero = foreground). */
export function binaryMaskScores(pred: Tensor, target: Tensor): BinaryScores {
  const p = labelsOf(pred, 'pred');
  const t = labelsOf(target, 'target');
  sameShape(pred, target, 'pred', 'target');
  let inter = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i] !== 0;
    const y = t[i] !== 0;
    if (x) a++;
    if (y) b++;
    if (x && y) inter++;
  }
  const union = a + b - inter;
  return {
    intersection: inter,
    union,
    iou: union === 0 ? Number.NaN : inter / union,
    dice: a + b === 0 ? Number.NaN : (2 * inter) / (a + b),
  };
}
