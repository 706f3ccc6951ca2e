/**
 * Non-maximum suppression with torchvision's semantics (`torchvision.ops.nms`, `batched_nms`).
 *
 * Boxes are `(x1, y1, x2, y2)`: a Float32Array/Float64Array of 4N coordinates or an `[N, 4]` tensor. Boxes are
 * visited by descending score (ties: lower index first, a stable sort) and a box is dropped when its IoU with an
 * already kept box is `> iouThreshold`. The result lists the kept indices in that order (an Int32Array).
 * IoU is computed with torchvision's formula, in float32 for float32 input (so keep lists are identical to
 * torchvision's, ties included) and in float64 for Float64Array input.
 *
 * Edge cases (documented behaviour, tested):
 * - A box with x2 <= x1 or y2 <= y1 has zero intersection with everything, so its IoU is 0: it is kept (if its
 *   score is not NaN) and suppresses nothing. (torchvision gives the same keep list: its negative area only
 *   enters a ratio whose numerator is 0.)
 * - A NaN score: the box is ignored (never kept, suppresses nothing). torchvision would sort NaN first instead.
 * - A NaN coordinate: every IoU with that box is NaN, which is not `> iouThreshold`: kept, suppresses nothing.
 * - Empty input: an empty Int32Array. Mismatched lengths: ShapeError. `iouThreshold` outside [0, 1]: RangeError.
 *
 * Speed: candidates are tested only against kept boxes that share a grid cell with them (see
 * `internal/nms-kernel.ts`), so the work grows with the local density instead of N^2.
 */
import { describeValue } from '@striate/core';
import { type BoxesInput, readBoxesArg, readIouThreshold, readVectorArg, type VectorInput } from './internal/args.js';
import { gridNms, scoreOrder } from './internal/nms-kernel.js';

export type { BoxesInput, VectorInput } from './internal/args.js';

/**
 * Greedy NMS: indices of the kept boxes, highest score first (ties broken by lower index), as
 * `torchvision.ops.nms(boxes, scores, iou_threshold)`.
 */
export function nms(boxes: BoxesInput, scores: VectorInput, iouThreshold: number): Int32Array {
  const { coords, count, f32 } = readBoxesArg(boxes, 'nms: boxes');
  const s = readVectorArg(scores, 'nms: scores', count);
  const threshold = readIouThreshold(iouThreshold, 'nms: iouThreshold');
  return gridNms(coords, count, f32, scoreOrder(s), threshold);
}

/**
 * Class-aware NMS, as `torchvision.ops.batched_nms(boxes, scores, idxs, iou_threshold)`: boxes of different
 * classes never suppress each other. Runs NMS per class (torchvision's `_batched_nms_vanilla`; its coordinate
 * offset trick is a way to get the same result in one call) and returns the kept indices by descending score,
 * ties by lower index. `classIds` are integers (any finite numbers compare by equality; NaN is a RangeError).
 */
export function batchedNms(
  boxes: BoxesInput,
  scores: VectorInput,
  classIds: VectorInput | readonly number[],
  iouThreshold: number,
): Int32Array {
  const { coords, count, f32 } = readBoxesArg(boxes, 'batchedNms: boxes');
  const s = readVectorArg(scores, 'batchedNms: scores', count);
  const ids = readVectorArg(classIds, 'batchedNms: classIds', count);
  const threshold = readIouThreshold(iouThreshold, 'batchedNms: iouThreshold');
  const order = scoreOrder(s);
  // Split the global order into per-class orders (each stays sorted).
  const groups = new Map<number, number[]>();
  for (let t = 0; t < order.length; t++) {
    const i = order[t]!;
    const id = ids[i]!;
    if (!Number.isFinite(id)) {
      throw new RangeError(`batchedNms: classIds[${i}]: expected a finite number, got ${describeValue(id)}`);
    }
    let g = groups.get(id);
    if (!g) {
      g = [];
      groups.set(id, g);
    }
    g.push(i);
  }
  const kept = new Uint8Array(count);
  for (const group of groups.values()) {
    const keep = gridNms(coords, count, f32, Int32Array.from(group), threshold);
    for (let k = 0; k < keep.length; k++) kept[keep[k]!] = 1;
  }
  const out = new Int32Array(order.length);
  let m = 0;
  for (let t = 0; t < order.length; t++) if (kept[order[t]!]) out[m++] = order[t]!;
  return out.slice(0, m);
}
