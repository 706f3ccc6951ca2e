/**
 * WIDER FACE validation protocol (the official `eval_tools`, as its Python port `WiderFace-Evaluation` runs it):
 * scores normalised to [0, 1] over the whole set, per image a greedy match of each detection to the face of highest
 * IoU (>= 0.5, IoU with the "+1" pixel convention), faces outside the setting's keep list are ignored (a detection on
 * one is neither a true nor a false positive), 1,000 score thresholds, and VOC-style AP on the summed curve.
 */
import { DataError, describeValue } from '@striate/core';

/** One image of the ground truth: face boxes `[x, y, w, h]` and the 0-based indices kept in each setting. */
export interface WiderFaceImage {
  file: string;
  boxes: number[][];
  keep_easy: number[];
  keep_medium: number[];
  keep_hard: number[];
}

export interface EvaluateWiderFaceOptions {
  /** `{ images: WiderFaceImage[] }` (the format of `shared/data/widerface-val200/wider_val200_gt.json`). */
  gt: unknown;
  /** Detections per image file: `[x, y, w, h, score]` rows. An image without an entry has no detections. */
  predictions: Record<string, number[][]>;
  /** IoU for a match (default 0.5). */
  iouThreshold?: number;
  /** Number of score thresholds (default 1000). */
  thresholdCount?: number;
}

export interface WiderFaceResult {
  easy: number;
  medium: number;
  hard: number;
}

const SETTINGS = ['easy', 'medium', 'hard'] as const;

interface Parsed {
  boxes: Float64Array;
  keep: Record<(typeof SETTINGS)[number], number[]>;
  preds: Float64Array; // 5 per detection, sorted by score (descending, stable)
}

function numbers(v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new DataError(`${what}: expected ${n} finite numbers, got ${describeValue(v)}`);
  }
  return v as number[];
}

function parse(options: EvaluateWiderFaceOptions): Parsed[] {
  const { gt, predictions } = options;
  const images = (gt as { images?: unknown } | null)?.images;
  if (!Array.isArray(images)) throw new DataError(`gt.images: expected an array, got ${describeValue(images)}`);
  if (predictions === null || typeof predictions !== 'object') {
    throw new DataError(`predictions: expected an object keyed by image file, got ${describeValue(predictions)}`);
  }
  return images.map((img, i) => {
    const what = `gt.images[${i}]`;
    if (img === null || typeof img !== 'object') throw new DataError(`${what}: expected an object`);
    const rec = img as Record<string, unknown>;
    if (typeof rec.file !== 'string')
      throw new DataError(`${what}.file: expected a string, got ${describeValue(rec.file)}`);
    if (!Array.isArray(rec.boxes))
      throw new DataError(`${what}.boxes: expected an array, got ${describeValue(rec.boxes)}`);
    const boxes = new Float64Array(4 * rec.boxes.length);
    for (let j = 0; j < rec.boxes.length; j++) boxes.set(numbers(rec.boxes[j], 4, `${what}.boxes[${j}]`), 4 * j);
    const keep = {} as Parsed['keep'];
    for (const s of SETTINGS) {
      const list = rec[`keep_${s}`];
      if (!Array.isArray(list)) throw new DataError(`${what}.keep_${s}: expected an array of face indices`);
      for (const k of list) {
        if (!Number.isInteger(k) || k < 0 || k >= rec.boxes.length) {
          throw new DataError(`${what}.keep_${s}: index ${describeValue(k)} outside [0, ${rec.boxes.length})`);
        }
      }
      keep[s] = list as number[];
    }
    const raw = predictions[rec.file] ?? [];
    if (!Array.isArray(raw)) throw new DataError(`predictions[${JSON.stringify(rec.file)}]: expected an array of rows`);
    const rows = raw.map((r, j) => numbers(r, 5, `predictions[${JSON.stringify(rec.file)}][${j}]`));
    const order = rows.map((_, j) => j).sort((a, b) => rows[b]![4]! - rows[a]![4]! || a - b);
    const preds = new Float64Array(5 * rows.length);
    for (let k = 0; k < order.length; k++) preds.set(rows[order[k]!]!, 5 * k);
    return { boxes, keep, preds };
  });
}

/** IoU with the "+1" convention of the official tool, on `[x1, y1, x2, y2]`. */
function overlap(p: Float64Array, pi: number, g: Float64Array, gi: number): number {
  const px1 = p[pi]!;
  const py1 = p[pi + 1]!;
  const px2 = px1 + p[pi + 2]!;
  const py2 = py1 + p[pi + 3]!;
  const gx1 = g[gi]!;
  const gy1 = g[gi + 1]!;
  const gx2 = gx1 + g[gi + 2]!;
  const gy2 = gy1 + g[gi + 3]!;
  const iw = Math.min(px2, gx2) - Math.max(px1, gx1) + 1;
  if (iw <= 0) return 0;
  const ih = Math.min(py2, gy2) - Math.max(py1, gy1) + 1;
  if (ih <= 0) return 0;
  const ua = (px2 - px1 + 1) * (py2 - py1 + 1) + (gx2 - gx1 + 1) * (gy2 - gy1 + 1) - iw * ih;
  return (iw * ih) / ua;
}

/** Easy / medium / hard AP of face detections, as the official WIDER FACE evaluation computes them. */
export function evaluateWiderFace(options: EvaluateWiderFaceOptions): WiderFaceResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`evaluateWiderFace: expected { gt, predictions }, got ${String(options)}`);
  }
  const iouThr = options.iouThreshold ?? 0.5;
  const T = options.thresholdCount ?? 1000;
  if (!(iouThr >= 0 && iouThr <= 1)) throw new RangeError(`iouThreshold: expected a value in [0, 1], got ${iouThr}`);
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`thresholdCount: expected a positive integer, got ${T}`);
  const images = parse(options);
  // Score normalisation over the whole set (starting from max 0 and min 1, as the tool does).
  let maxScore = 0;
  let minScore = 1;
  for (const im of images) {
    for (let k = 4; k < im.preds.length; k += 5) {
      maxScore = Math.max(maxScore, im.preds[k]!);
      minScore = Math.min(minScore, im.preds[k]!);
    }
  }
  const diff = maxScore - minScore;
  if (!(diff > 0) && images.some((im) => im.preds.length > 0)) {
    throw new DataError(`predictions: scores must not all be equal (normalisation divides by max - min = ${diff})`);
  }
  const result = {} as WiderFaceResult;
  for (const setting of SETTINGS) {
    let faces = 0;
    const proposals = new Float64Array(T);
    const recalled = new Float64Array(T);
    for (const im of images) {
      const keep = im.keep[setting];
      faces += keep.length;
      const G = im.boxes.length / 4;
      const D = im.preds.length / 5;
      if (G === 0 || D === 0) continue;
      const kept = new Uint8Array(G);
      for (const k of keep) kept[k] = 1;
      const recallList = new Int8Array(G);
      const proposal = new Int8Array(D).fill(1);
      const predRecall = new Float64Array(D);
      let nRecalled = 0;
      for (let h = 0; h < D; h++) {
        let best = -1;
        let bestIdx = 0;
        for (let g = 0; g < G; g++) {
          const o = overlap(im.preds, 5 * h, im.boxes, 4 * g);
          if (o > best) {
            best = o;
            bestIdx = g;
          }
        }
        if (best >= iouThr) {
          if (kept[bestIdx] === 0) {
            recallList[bestIdx] = -1;
            proposal[h] = -1;
          } else if (recallList[bestIdx] === 0) {
            recallList[bestIdx] = 1;
            nRecalled++;
          }
        }
        predRecall[h] = nRecalled;
      }
      // Per threshold (decreasing): the last detection whose normalised score reaches it, and the proposals
      // (detections not on an ignored face) up to it.
      const cumProposals = new Int32Array(D);
      for (let h = 0, c = 0; h < D; h++) cumProposals[h] = c += proposal[h] === 1 ? 1 : 0;
      let r = -1;
      for (let t = 0; t < T; t++) {
        const thresh = 1 - (t + 1) / T;
        while (r + 1 < D && (im.preds[5 * (r + 1) + 4]! - minScore) / diff >= thresh) r++;
        if (r < 0) continue;
        proposals[t] += cumProposals[r]!;
        recalled[t] += predRecall[r]!;
      }
    }
    const prec = new Float64Array(T + 2);
    const rec = new Float64Array(T + 2);
    for (let t = 0; t < T; t++) {
      prec[t + 1] = recalled[t]! / proposals[t]!;
      rec[t + 1] = recalled[t]! / faces;
    }
    rec[T + 1] = 1;
    for (let i = T + 1; i > 0; i--) prec[i - 1] = nanMax(prec[i - 1]!, prec[i]!);
    let ap = 0;
    for (let i = 0; i < T + 1; i++) if (rec[i + 1] !== rec[i]) ap += (rec[i + 1]! - rec[i]!) * prec[i + 1]!;
    result[setting] = ap;
  }
  return result;
}

/** `np.maximum`: NaN if either is NaN. */
function nanMax(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b);
}
