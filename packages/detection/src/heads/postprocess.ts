/**
 * Turning raw head outputs into detections: `postprocessRoiDetections` (torchvision's
 * `RoIHeads.postprocess_detections`: softmax, class-specific box decoding, clipping, background removal, score
 * threshold, small-box removal, per-class NMS, max detections) and `selectDetections` (the one-stage form:
 * per-class scores over shared boxes, score threshold, top-k, per-class NMS, max detections).
 */
import { DataError, ShapeError } from '@striate/core';
import { BoxCoder } from '../box-coder.js';
import { batchedNms } from '../nms.js';

/** Detections of one image, best first: boxes (x1, y1, x2, y2) 4N, scores N, labels N. */
export interface Detections {
  readonly boxes: Float32Array;
  readonly scores: Float32Array;
  readonly labels: Int32Array;
}

export interface PostprocessRoiDetectionsOptions {
  /** Keep scores strictly above this (torchvision box_score_thresh, default 0.05). */
  readonly scoreThresh?: number;
  /** IoU threshold of the per-class NMS (default 0.5). */
  readonly nmsThresh?: number;
  /** At most this many detections (default 100). */
  readonly detectionsPerImg?: number;
  /** Drop boxes narrower or shorter than this (default 1e-2, torchvision's remove_small_boxes). */
  readonly minSize?: number;
  /** Default `new BoxCoder([10, 10, 5, 5])`. */
  readonly boxCoder?: BoxCoder;
}

function num(v: unknown, name: string, ctx: string, lo: number, hi = Number.POSITIVE_INFINITY): number {
  if (typeof v !== 'number' || Number.isNaN(v) || v < lo || v > hi) {
    throw new RangeError(`${ctx}: ${name}: expected a number in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

function intAtLeast(v: unknown, name: string, ctx: string, lo: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) {
    throw new RangeError(`${ctx}: ${name}: expected an integer >= ${lo}, got ${String(v)}`);
  }
  return v;
}

function floats(v: unknown, name: string, ctx: string, length: number): Float32Array | Float64Array {
  if (!(v instanceof Float32Array || v instanceof Float64Array)) {
    throw new TypeError(
      `${ctx}: ${name}: expected a Float32Array or Float64Array, got ${Object.prototype.toString.call(v)}`,
    );
  }
  if (v.length !== length) throw new ShapeError(`${ctx}: ${name}: expected ${length} numbers, got ${v.length}`);
  return v;
}

/** Indices kept by a per-class NMS over the candidates, then cut to `max`. */
function finish(
  boxes: Float32Array,
  scores: Float32Array,
  labels: Int32Array,
  nmsThresh: number,
  max: number,
): Detections {
  const keep = batchedNms(boxes, scores, labels, nmsThresh).subarray(0, max);
  const out = {
    boxes: new Float32Array(keep.length * 4),
    scores: new Float32Array(keep.length),
    labels: new Int32Array(keep.length),
  };
  keep.forEach((k, i) => {
    out.boxes.set(boxes.subarray(k * 4, k * 4 + 4), i * 4);
    out.scores[i] = scores[k]!;
    out.labels[i] = labels[k]!;
  });
  return out;
}

/**
 * torchvision `RoIHeads.postprocess_detections` for one image. `classLogits` [R, K] (K with background at 0),
 * `boxRegression` [R, 4K] (class-specific deltas), `proposals` [R, 4], `imageSize` [height, width] of the
 * network input. Candidates are (proposal, class >= 1) pairs in proposal-major order, as torchvision flattens
 * them, so NMS ties break the same way.
 */
export function postprocessRoiDetections(
  input: {
    readonly classLogits: Float32Array | Float64Array;
    readonly boxRegression: Float32Array | Float64Array;
    readonly proposals: Float32Array | Float64Array;
    readonly numClasses: number;
    readonly imageSize: readonly [number, number];
  },
  options: PostprocessRoiDetectionsOptions = {},
): Detections {
  const ctx = 'postprocessRoiDetections';
  const k = intAtLeast(input?.numClasses, 'numClasses', ctx, 2);
  const proposals = input.proposals;
  if (!(proposals instanceof Float32Array || proposals instanceof Float64Array) || proposals.length % 4 !== 0) {
    throw new TypeError(`${ctx}: proposals: expected a Float32Array or Float64Array of 4R numbers`);
  }
  const r = proposals.length / 4;
  const logits = floats(input.classLogits, 'classLogits', ctx, r * k);
  const deltas = floats(input.boxRegression, 'boxRegression', ctx, r * k * 4);
  const [h, w] = input.imageSize ?? [];
  num(h, 'imageSize[0]', ctx, 0);
  num(w, 'imageSize[1]', ctx, 0);
  const scoreThresh = num(options.scoreThresh ?? 0.05, 'scoreThresh', ctx, 0, 1);
  const nmsThresh = num(options.nmsThresh ?? 0.5, 'nmsThresh', ctx, 0, 1);
  const max = intAtLeast(options.detectionsPerImg ?? 100, 'detectionsPerImg', ctx, 0);
  const minSize = num(options.minSize ?? 1e-2, 'minSize', ctx, 0);
  const coder = options.boxCoder ?? new BoxCoder([10, 10, 5, 5]);
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i]!)) throw new DataError(`${ctx}: classLogits[${i}] is not finite (${logits[i]})`);
  }
  const reference = new Float32Array(r * k * 4);
  for (let i = 0; i < r; i++)
    for (let c = 0; c < k; c++) reference.set(proposals.subarray(i * 4, i * 4 + 4), (i * k + c) * 4);
  const decoded = coder.decode(deltas, reference);
  const cb: number[] = [];
  const cs: number[] = [];
  const cl: number[] = [];
  const probs = new Float64Array(k);
  for (let i = 0; i < r; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) m = Math.max(m, logits[i * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += probs[c] = Math.exp(logits[i * k + c]! - m);
    for (let c = 1; c < k; c++) {
      const score = Math.fround(probs[c]! / sum);
      if (!(score > scoreThresh)) continue;
      const o = (i * k + c) * 4;
      const x1 = Math.min(Math.max(decoded[o]!, 0), w!);
      const y1 = Math.min(Math.max(decoded[o + 1]!, 0), h!);
      const x2 = Math.min(Math.max(decoded[o + 2]!, 0), w!);
      const y2 = Math.min(Math.max(decoded[o + 3]!, 0), h!);
      if (x2 - x1 < minSize || y2 - y1 < minSize) continue;
      cb.push(x1, y1, x2, y2);
      cs.push(score);
      cl.push(c);
    }
  }
  return finish(Float32Array.from(cb), Float32Array.from(cs), Int32Array.from(cl), nmsThresh, max);
}

export interface SelectDetectionsOptions {
  /** Keep scores strictly above this (default 0.05). */
  readonly scoreThresh?: number;
  /** Keep at most this many (box, class) candidates by score before NMS (default 1000; Infinity for all). */
  readonly topK?: number;
  readonly nmsThresh?: number;
  readonly maxDetections?: number;
  /** Label of score column 0 (default 0; 1 when column 0 is the first foreground class of a 1-based label set). */
  readonly labelOffset?: number;
}

/**
 * One-stage selection over M boxes shared by K classes: `scores` [M, K] probabilities (after sigmoid/softmax, no
 * background column), `boxes` [M, 4] decoded. Candidates (box, class) with score > scoreThresh, the topK best
 * (ties: lower flat index), per-class NMS, the first maxDetections. NaN scores never pass the threshold.
 */
export function selectDetections(
  boxes: Float32Array | Float64Array,
  scores: Float32Array | Float64Array,
  numClasses: number,
  options: SelectDetectionsOptions = {},
): Detections {
  const ctx = 'selectDetections';
  const k = intAtLeast(numClasses, 'numClasses', ctx, 1);
  if (!(boxes instanceof Float32Array || boxes instanceof Float64Array) || boxes.length % 4 !== 0) {
    throw new TypeError(`${ctx}: boxes: expected a Float32Array or Float64Array of 4M numbers`);
  }
  const m = boxes.length / 4;
  floats(scores, 'scores', ctx, m * k);
  const scoreThresh = num(options.scoreThresh ?? 0.05, 'scoreThresh', ctx, 0, 1);
  const topK = options.topK ?? 1000;
  if (topK !== Number.POSITIVE_INFINITY) intAtLeast(topK, 'topK', ctx, 0);
  const nmsThresh = num(options.nmsThresh ?? 0.5, 'nmsThresh', ctx, 0, 1);
  const max = intAtLeast(options.maxDetections ?? 100, 'maxDetections', ctx, 0);
  const offset = options.labelOffset ?? 0;
  if (!Number.isInteger(offset)) throw new RangeError(`${ctx}: labelOffset: expected an integer, got ${offset}`);
  const cand: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scoreThresh) cand.push(i);
  cand.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const chosen = cand.slice(0, Math.min(cand.length, topK));
  const cb = new Float32Array(chosen.length * 4);
  const cs = new Float32Array(chosen.length);
  const cl = new Int32Array(chosen.length);
  chosen.forEach((flat, j) => {
    const box = Math.floor(flat / k);
    cb.set(boxes.subarray(box * 4, box * 4 + 4), j * 4);
    cs[j] = scores[flat]!;
    cl[j] = (flat % k) + offset;
  });
  return finish(cb, cs, cl, nmsThresh, max);
}
