/**
 * Detection losses with torchvision/PyTorch semantics, elementwise over paired inputs (not pairwise):
 * `smoothL1Loss` (F.smooth_l1_loss with beta), `giouLoss` / `diouLoss` / `ciouLoss`
 * (`torchvision.ops.generalized_box_iou_loss`, `distance_box_iou_loss`, `complete_box_iou_loss`, eps 1e-7) and
 * `sigmoidFocalLoss` (`torchvision.ops.sigmoid_focal_loss`). Reductions: `'none'` (a Float32Array, one value per
 * element or box pair), `'mean'`, `'sum'` (a number). Computed in float64.
 */
import { describeValue, ShapeError } from '@striate/core';
import { readBoxesArg, readNumber } from './internal/args.js';

export type Reduction = 'none' | 'mean' | 'sum';

type Numbers = Float32Array | Float64Array;

function reduce(values: Float64Array, reduction: Reduction | undefined, fn: string): Float32Array | number {
  const r = reduction ?? 'none';
  if (r === 'none') return Float32Array.from(values);
  if (r !== 'mean' && r !== 'sum') {
    throw new RangeError(`${fn}: reduction: expected 'none', 'mean' or 'sum', got ${describeValue(reduction)}`);
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  // torchvision returns 0 for the mean of an empty loss (`loss.sum() * 0.0`).
  return r === 'sum' ? sum : values.length === 0 ? 0 : sum / values.length;
}

function sameLength(a: Numbers, b: Numbers, fn: string): void {
  if (a.length !== b.length) throw new ShapeError(`${fn}: input and target lengths differ: ${a.length} vs ${b.length}`);
}

export interface SmoothL1Options {
  /** Switch point between the quadratic and linear parts. Default 1; 0 gives L1. */
  beta?: number;
  /** Default `'mean'` (PyTorch's default for this loss). */
  reduction?: Reduction;
}

/** `0.5 x^2 / beta` for `|x| < beta`, else `|x| - 0.5 beta` (x = input - target), as F.smooth_l1_loss. */
export function smoothL1Loss(input: Numbers, target: Numbers, options: SmoothL1Options = {}): Float32Array | number {
  sameLength(input, target, 'smoothL1Loss');
  const beta = readNumber(options.beta ?? 1, 'smoothL1Loss: options.beta', 0);
  const out = new Float64Array(input.length);
  for (let i = 0; i < out.length; i++) {
    const d = Math.abs(input[i]! - target[i]!);
    out[i] = d < beta ? (0.5 * d * d) / beta : d - 0.5 * beta;
  }
  return reduce(out, options.reduction ?? 'mean', 'smoothL1Loss');
}

export interface BoxLossOptions {
  /** Default `'none'` (torchvision's default). */
  reduction?: Reduction;
  /** Default 1e-7. */
  eps?: number;
}

type BoxLossKind = 'giou' | 'diou' | 'ciou';

function boxLoss(boxes1: Numbers, boxes2: Numbers, options: BoxLossOptions, kind: BoxLossKind, fn: string) {
  const a = readBoxesArg(boxes1, `${fn}: boxes1`);
  const b = readBoxesArg(boxes2, `${fn}: boxes2`);
  if (a.count !== b.count)
    throw new ShapeError(`${fn}: boxes1 and boxes2 need the same count, got ${a.count} and ${b.count}`);
  const eps = readNumber(options.eps ?? 1e-7, `${fn}: options.eps`, 0);
  const p = a.coords;
  const g = b.coords;
  const out = new Float64Array(a.count);
  for (let i = 0; i < a.count; i++) {
    const q = 4 * i;
    const [x1, y1, x2, y2] = [p[q]!, p[q + 1]!, p[q + 2]!, p[q + 3]!];
    const [x1g, y1g, x2g, y2g] = [g[q]!, g[q + 1]!, g[q + 2]!, g[q + 3]!];
    // torchvision's _loss_inter_union: intersection only where it is positive on both axes.
    const xk1 = Math.max(x1, x1g);
    const yk1 = Math.max(y1, y1g);
    const xk2 = Math.min(x2, x2g);
    const yk2 = Math.min(y2, y2g);
    const inter = yk2 > yk1 && xk2 > xk1 ? (xk2 - xk1) * (yk2 - yk1) : 0;
    const union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter;
    const iou = inter / (union + eps);
    const xc1 = Math.min(x1, x1g);
    const yc1 = Math.min(y1, y1g);
    const xc2 = Math.max(x2, x2g);
    const yc2 = Math.max(y2, y2g);
    if (kind === 'giou') {
      const areaC = (xc2 - xc1) * (yc2 - yc1);
      out[i] = 1 - (iou - (areaC - union) / (areaC + eps));
      continue;
    }
    const diag = (xc2 - xc1) ** 2 + (yc2 - yc1) ** 2 + eps;
    const centers = ((x2 + x1) / 2 - (x1g + x2g) / 2) ** 2 + ((y2 + y1) / 2 - (y1g + y2g) / 2) ** 2;
    const diou = 1 - iou + centers / diag;
    if (kind === 'diou') {
      out[i] = diou;
      continue;
    }
    const v = (4 / Math.PI ** 2) * (Math.atan((x2g - x1g) / (y2g - y1g)) - Math.atan((x2 - x1) / (y2 - y1))) ** 2;
    const alpha = v / (1 - iou + v + eps);
    out[i] = diou + alpha * v;
  }
  return reduce(out, options.reduction, fn);
}

/** `1 - GIoU` per box pair, as `torchvision.ops.generalized_box_iou_loss`. */
export function giouLoss(boxes1: Numbers, boxes2: Numbers, options: BoxLossOptions = {}): Float32Array | number {
  return boxLoss(boxes1, boxes2, options, 'giou', 'giouLoss');
}

/** `1 - IoU + d^2 / c^2` per box pair, as `torchvision.ops.distance_box_iou_loss`. */
export function diouLoss(boxes1: Numbers, boxes2: Numbers, options: BoxLossOptions = {}): Float32Array | number {
  return boxLoss(boxes1, boxes2, options, 'diou', 'diouLoss');
}

/** DIoU loss plus `alpha * v` (aspect-ratio consistency), as `torchvision.ops.complete_box_iou_loss`. */
export function ciouLoss(boxes1: Numbers, boxes2: Numbers, options: BoxLossOptions = {}): Float32Array | number {
  return boxLoss(boxes1, boxes2, options, 'ciou', 'ciouLoss');
}

export interface FocalLossOptions {
  /** Weight of positives in (0, 1); a negative value disables weighting. Default 0.25. */
  alpha?: number;
  /** Default 2. */
  gamma?: number;
  /** Default `'none'` (torchvision's default). */
  reduction?: Reduction;
}

/**
 * `alpha_t * (1 - p_t)^gamma * BCEWithLogits(x, t)` (Lin et al., RetinaNet), as
 * `torchvision.ops.sigmoid_focal_loss`; `targets` are in [0, 1].
 */
export function sigmoidFocalLoss(
  logits: Numbers,
  targets: Numbers,
  options: FocalLossOptions = {},
): Float32Array | number {
  sameLength(logits, targets, 'sigmoidFocalLoss');
  const alpha = readNumber(options.alpha ?? 0.25, 'sigmoidFocalLoss: options.alpha');
  const gamma = readNumber(options.gamma ?? 2, 'sigmoidFocalLoss: options.gamma', 0);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < out.length; i++) {
    const x = logits[i]!;
    const t = targets[i]!;
    const p = 1 / (1 + Math.exp(-x));
    const ce = Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
    const pt = p * t + (1 - p) * (1 - t);
    let loss = ce * (1 - pt) ** gamma;
    if (alpha >= 0) loss *= alpha * t + (1 - alpha) * (1 - t);
    out[i] = loss;
  }
  return reduce(out, options.reduction, 'sigmoidFocalLoss');
}
