/**
 * Pairwise IoU family with torchvision's formulas (`torchvision.ops.box_iou`, `generalized_box_iou`,
 * `distance_box_iou`, `complete_box_iou`).
 *
 * Boxes are `(x1, y1, x2, y2)`: a Float32Array/Float64Array of 4N coordinates or an `[N, 4]` tensor. The result
 * for N boxes against M boxes is row-major `[N, M]` (entry `i * M + j` compares `a[i]` with `b[j]`): a
 * Float32Array of length N*M for typed-array inputs, a float32 Tensor of shape `[N, M]` when either input is a
 * Tensor. Values are computed in float64 and stored as float32.
 *
 * Special values follow torch's arithmetic: a NaN coordinate makes every entry of that box's row (or column)
 * NaN; degenerate pairs give what the formula gives (two zero-area boxes: 0 / 0 = NaN IoU); infinite coordinates
 * give the IEEE result of the formula (e.g. an infinitely large box has IoU 0 with a finite box). Empty inputs
 * (N = 0 or M = 0) give an empty result. Finite coordinates take branch-free kernels (`internal/box-iou-kernels.ts`);
 * inputs with NaN, +-Infinity or magnitudes above 1e150 take a pair-by-pair path with torch's min/max semantics.
 */
import { type BoxesLike, type PairwiseResult, readBoxes } from './internal/box-input.js';
import {
  diouKernel,
  fastPathApplies,
  giouKernel,
  type IouKind,
  iouKernel,
  referenceKernel,
} from './internal/box-iou-kernels.js';
import { Tensor } from './tensor.js';

/** Options of `distanceBoxIou` and `completeBoxIou`. */
export interface BoxIouEpsOptions {
  /** Added to the enclosing box's squared diagonal (and to CIoU's alpha denominator). Default 1e-7 (torchvision). */
  eps?: number;
}

function readEps(options: BoxIouEpsOptions | undefined, fnName: string): number {
  if (options === undefined) return 1e-7;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${fnName}: options: expected an object like { eps: 1e-7 }, got ${String(options)}`);
  }
  const eps = options.eps ?? 1e-7;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new RangeError(`${fnName}: options.eps: expected a finite number >= 0, got ${String(eps)}`);
  }
  return eps;
}

function pairwise<A extends BoxesLike, B extends BoxesLike>(a: A, b: B, fnName: string, kind: IouKind, eps = 0) {
  const boxesA = readBoxes(a, `${fnName}: a`);
  const boxesB = readBoxes(b, `${fnName}: b`);
  const n = boxesA.count;
  const m = boxesB.count;
  const out = new Float32Array(n * m);
  if (n > 0 && m > 0) {
    const ca = boxesA.coords;
    const cb = boxesB.coords;
    if (!fastPathApplies(ca) || !fastPathApplies(cb)) referenceKernel(kind, ca, n, cb, m, eps, out);
    else if (kind === 'iou') iouKernel(ca, n, cb, m, out);
    else if (kind === 'giou') giouKernel(ca, n, cb, m, out);
    else diouKernel(ca, n, cb, m, eps, kind === 'ciou', out);
  }
  const result = boxesA.isTensor || boxesB.isTensor ? new Tensor('float32', [n, m], out) : out;
  return result as PairwiseResult<A, B>;
}

/**
 * Pairwise intersection over union of `(x1, y1, x2, y2)` boxes, as `torchvision.ops.box_iou`:
 * `inter / (areaA + areaB - inter)`. Returns `[N, M]` row-major (see the module comment for the result type).
 */
export function boxIou<A extends BoxesLike, B extends BoxesLike>(a: A, b: B): PairwiseResult<A, B> {
  return pairwise(a, b, 'boxIou', 'iou');
}

/**
 * Pairwise generalized IoU, as `torchvision.ops.generalized_box_iou`: `iou - (areaC - union) / areaC` with C the
 * smallest box enclosing both. In [-1, 1] for valid boxes.
 */
export function generalizedBoxIou<A extends BoxesLike, B extends BoxesLike>(a: A, b: B): PairwiseResult<A, B> {
  return pairwise(a, b, 'generalizedBoxIou', 'giou');
}

/**
 * Pairwise distance IoU, as `torchvision.ops.distance_box_iou`: `iou - d^2 / (c^2 + eps)` with d the distance
 * between the centres and c the diagonal of the enclosing box.
 */
export function distanceBoxIou<A extends BoxesLike, B extends BoxesLike>(
  a: A,
  b: B,
  options?: BoxIouEpsOptions,
): PairwiseResult<A, B> {
  const eps = readEps(options, 'distanceBoxIou');
  return pairwise(a, b, 'distanceBoxIou', 'diou', eps);
}

/**
 * Pairwise complete IoU, as `torchvision.ops.complete_box_iou`: `diou - alpha * v` with
 * `v = 4 / pi^2 * (atan(wA / hA) - atan(wB / hB))^2` and `alpha = v / (1 - iou + v + eps)`.
 */
export function completeBoxIou<A extends BoxesLike, B extends BoxesLike>(
  a: A,
  b: B,
  options?: BoxIouEpsOptions,
): PairwiseResult<A, B> {
  const eps = readEps(options, 'completeBoxIou');
  return pairwise(a, b, 'completeBoxIou', 'ciou', eps);
}
