/**
 * Soft-NMS (Bodla et al., "Soft-NMS -- Improving Object Detection With One Line of Code", ICCV 2017). Follows the
 * authors' reference `cpu_soft_nms` (github.com/bharatsingh430/soft-nms, `lib/nms/cpu_nms.pyx`): repeatedly take
 * the remaining box with the highest (decayed) score, then decay every other remaining box by
 * - linear:   `score *= iou > iouThreshold ? 1 - iou : 1`
 * - gaussian: `score *= exp(-iou^2 / sigma)`
 * and drop boxes whose score falls below `scoreThreshold`. Differences from the reference, on purpose: continuous
 * coordinates (IoU as torchvision, no "+1" pixel convention), and ties in the max search go to the lower index
 * (the reference's swap-based loop makes them depend on earlier swaps). O(N^2): meant for post-processing sizes.
 *
 * Returns the kept indices in selection order and their decayed scores. NaN scores are ignored; boxes with
 * x2 <= x1 or y2 <= y1 have IoU 0 with everything (they are never decayed and decay nothing).
 */
import { describeValue } from '@striate/core';
import {
  type BoxesInput,
  readBoxesArg,
  readIouThreshold,
  readNumber,
  readVectorArg,
  type VectorInput,
} from './internal/args.js';

export interface SoftNmsOptions {
  /** `'linear'` or `'gaussian'` (default). */
  method?: 'linear' | 'gaussian';
  /** Gaussian: the sigma of `exp(-iou^2 / sigma)` (as in the reference, no factor 2). Default 0.5. */
  sigma?: number;
  /** Linear: IoU above which scores decay. Default 0.3 (the reference's Nt). */
  iouThreshold?: number;
  /** Boxes whose decayed score falls below this are dropped. Default 0.001 (the reference's value). */
  scoreThreshold?: number;
}

export interface SoftNmsResult {
  /** Indices of the kept boxes, in selection order (decayed scores are non-increasing along it). */
  keep: Int32Array;
  /** The decayed score of each kept box (same order as `keep`). */
  scores: Float32Array;
}

export function softNms(boxes: BoxesInput, scores: VectorInput, options: SoftNmsOptions = {}): SoftNmsResult {
  const { coords: c, count } = readBoxesArg(boxes, 'softNms: boxes');
  const s = readVectorArg(scores, 'softNms: scores', count);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`softNms: options: expected an object, got ${describeValue(options)}`);
  }
  const method = options.method ?? 'gaussian';
  if (method !== 'linear' && method !== 'gaussian') {
    throw new RangeError(`softNms: options.method: expected 'linear' or 'gaussian', got ${describeValue(method)}`);
  }
  const sigma = readNumber(options.sigma ?? 0.5, 'softNms: options.sigma', 0, true);
  const nt = readIouThreshold(options.iouThreshold ?? 0.3, 'softNms: options.iouThreshold');
  const minScore = readNumber(options.scoreThreshold ?? 0.001, 'softNms: options.scoreThreshold');

  // Remaining boxes: indices and current scores, compacted as boxes are taken or dropped.
  const alive: number[] = [];
  for (let i = 0; i < count; i++) if (!Number.isNaN(s[i]!)) alive.push(i);
  const score = Float64Array.from(s);
  const area = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    area[i] = (c[4 * i + 2]! - c[4 * i]!) * (c[4 * i + 3]! - c[4 * i + 1]!);
  }
  const keep: number[] = [];
  const kept: number[] = [];
  while (alive.length > 0) {
    let best = 0;
    for (let a = 1; a < alive.length; a++) {
      const i = alive[a]!;
      const b = alive[best]!;
      if (score[i]! > score[b]! || (score[i] === score[b] && i < b)) best = a;
    }
    const i = alive[best]!;
    alive[best] = alive[alive.length - 1]!;
    alive.pop();
    keep.push(i);
    kept.push(score[i]!);
    const p = 4 * i;
    let write = 0;
    for (let a = 0; a < alive.length; a++) {
      const j = alive[a]!;
      const q = 4 * j;
      const w = Math.min(c[p + 2]!, c[q + 2]!) - Math.max(c[p]!, c[q]!);
      const h = Math.min(c[p + 3]!, c[q + 3]!) - Math.max(c[p + 1]!, c[q + 1]!);
      if (w > 0 && h > 0) {
        const inter = w * h;
        const iou = inter / (area[i]! + area[j]! - inter);
        const weight = method === 'linear' ? (iou > nt ? 1 - iou : 1) : Math.exp(-(iou * iou) / sigma);
        score[j] = score[j]! * weight;
        if (score[j]! < minScore) continue;
      }
      alive[write++] = j;
    }
    alive.length = write;
  }
  return { keep: Int32Array.from(keep), scores: Float32Array.from(kept) };
}
