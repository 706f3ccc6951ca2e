/**
 * Per image and category: IoUs, then pycocotools' greedy matching (`COCOeval.evaluateImg`) for every area range and
 * IoU threshold. Results go into per-category arrays that `accumulate` turns into precision and recall.
 */

import type { CocoData, CocoIouType } from './coco-data.js';
import { bboxIouInto, refineWithMasks } from './coco-iou.js';
import { AREA_RANGES, IOU_THRESHOLDS, MAX_DETS } from './coco-params.js';
import type { Rle } from './rle.js';

/** Flag bits per (area, threshold, detection): matched to a gt whose id is non-zero; ignored. */
export const MATCHED = 1;
export const IGNORED = 2;

/** Everything `accumulate` needs for one category. */
export interface CategoryMatches {
  /** Detections kept (at most `MAX_DETS[-1]` per image), images in id order, each image's by score. */
  count: number;
  scores: Float64Array;
  /** Rank of each detection in its image (0 = highest score), for the maxDets cut. */
  rank: Int32Array;
  /** `flags[(a * T + t) * count + j]`: MATCHED / IGNORED bits. */
  flags: Uint8Array;
  /** Non-ignored ground truth per area range. */
  npig: Int32Array;
}

/** Stable bucket of record indices by `key` (counting sort): records of bucket `b` are `order[start[b]..start[b+1])`. */
export function bucketize(keys: Int32Array, buckets: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < keys.length; i++) start[keys[i]! + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b]!;
  const fill = start.slice(0, buckets);
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[fill[keys[i]!]++] = i;
  return { start, order };
}

/** Sorts each bucket of detections by score, highest first, ties in input order (numpy's stable mergesort). */
export function sortBucketsByScore(start: Int32Array, order: Int32Array, scores: Float64Array): void {
  const byScore = (a: number, b: number): number => scores[b]! - scores[a]! || a - b;
  for (let b = 0; b + 1 < start.length; b++) {
    const s = start[b]!;
    const e = start[b + 1]!;
    if (e - s > 1) order.subarray(s, e).sort(byScore);
  }
}

/** Reusable buffers of `matchCategory`, grown on demand. */
export class MatchScratch {
  ious = new Float64Array(64);
  db = new Float64Array(64);
  gb = new Float64Array(64);
  crowd = new Uint8Array(16);
  sorted = new Int32Array(16);
  gIg = new Uint8Array(16);
  gtm = new Uint8Array(16);
  gtAreas = new Float64Array(16);
  dtRles: Rle[] = [];
  gtRles: Rle[] = [];

  ensure(D: number, G: number): void {
    if (this.ious.length < D * G) this.ious = new Float64Array(2 * D * G);
    if (this.db.length < 4 * D) this.db = new Float64Array(8 * D);
    if (this.gb.length < 4 * G) {
      this.gb = new Float64Array(8 * G);
      this.crowd = new Uint8Array(2 * G);
      this.sorted = new Int32Array(2 * G);
      this.gIg = new Uint8Array(2 * G);
      this.gtm = new Uint8Array(2 * G);
      this.gtAreas = new Float64Array(2 * G);
    }
  }
}

/** Matches every image of category `k`. `gtB`/`dtB` are the buckets of key `k * images + image`. */
export function matchCategory(
  data: CocoData,
  iouType: CocoIouType,
  k: number,
  gtB: { start: Int32Array; order: Int32Array },
  dtB: { start: Int32Array; order: Int32Array },
  scratch: MatchScratch = new MatchScratch(),
): CategoryMatches {
  const I = data.imgIds.length;
  const A = AREA_RANGES.length;
  const thresholds = IOU_THRESHOLDS;
  const T = thresholds.length;
  const areaLo = AREA_RANGES.map((r) => r[0]);
  const areaHi = AREA_RANGES.map((r) => r[1]);
  const maxDet = MAX_DETS[MAX_DETS.length - 1]!;
  const isMatched = MATCHED;
  const isIgnored = IGNORED;
  let count = 0;
  for (let i = 0; i < I; i++) {
    const key = k * I + i;
    count += Math.min(dtB.start[key + 1]! - dtB.start[key]!, maxDet);
  }
  const scores = new Float64Array(count);
  const rank = new Int32Array(count);
  const flags = new Uint8Array(A * T * count);
  const npig = new Int32Array(A);
  const { gt, dt } = data;
  const gtIds = gt.ids;
  const dtArea = dt.area;
  let pos = 0;
  for (let i = 0; i < I; i++) {
    const key = k * I + i;
    const g0 = gtB.start[key]!;
    const G = gtB.start[key + 1]! - g0;
    const d0 = dtB.start[key]!;
    const D = Math.min(dtB.start[key + 1]! - d0, maxDet);
    if (G === 0 && D === 0) continue;
    scratch.ensure(D, G);
    const gIdx = gtB.order.subarray(g0, g0 + G);
    const dIdx = dtB.order.subarray(d0, d0 + D);
    const { crowd, sorted, gIg, gtm, gtAreas } = scratch;
    for (let g = 0; g < G; g++) {
      crowd[g] = gt.crowd[gIdx[g]!]!;
      gtAreas[g] = gt.area[gIdx[g]!]!;
    }
    const ious = G > 0 && D > 0 ? computeIous(data, iouType, gIdx, dIdx, scratch) : scratch.ious;
    for (let d = 0; d < D; d++) {
      scores[pos + d] = dt.scores[dIdx[d]!]!;
      rank[pos + d] = d;
    }
    for (let a = 0; a < A; a++) {
      const lo = areaLo[a]!;
      const hi = areaHi[a]!;
      // Ground truth sorted with ignored last (stable), as evaluateImg does; gIg is by sorted position.
      let n = 0;
      for (let g = 0; g < G; g++) {
        const area = gtAreas[g]!;
        if (!(crowd[g] || area < lo || area > hi)) {
          gIg[n] = 0;
          sorted[n++] = g;
        }
      }
      npig[a] += n;
      for (let g = 0; g < G; g++) {
        const area = gtAreas[g]!;
        if (crowd[g] || area < lo || area > hi) {
          gIg[n] = 1;
          sorted[n++] = g;
        }
      }
      if (D === 0) continue;
      for (let t = 0; t < T; t++) {
        gtm.fill(0, 0, G);
        const base = (a * T + t) * count + pos;
        const thr = Math.min(thresholds[t]!, 1 - 1e-10);
        for (let d = 0; d < D; d++) {
          let iou = thr;
          let m = -1;
          const row = d * G;
          for (let s = 0; s < G; s++) {
            const g = sorted[s]!;
            if (gtm[s] && !crowd[g]) continue;
            if (m > -1 && gIg[m] === 0 && gIg[s] === 1) break;
            const v = ious[row + g]!;
            if (v < iou) continue;
            iou = v;
            m = s;
          }
          let f = 0;
          if (m !== -1) {
            gtm[m] = 1;
            if (gIg[m]) f |= isIgnored;
            if (gtIds[gIdx[sorted[m]!]!] !== 0) f |= isMatched;
          }
          if (!(f & isMatched)) {
            const area = dtArea[dIdx[d]!]!;
            if (area < lo || area > hi) f |= isIgnored;
          }
          flags[base + d] = f;
        }
      }
    }
    pos += D;
  }
  return { count, scores, rank, flags, npig };
}

/** IoUs `D x G` (detection-major) into `scratch.ious`. */
function computeIous(
  data: CocoData,
  iouType: CocoIouType,
  gIdx: Int32Array,
  dIdx: Int32Array,
  scratch: MatchScratch,
): Float64Array {
  const G = gIdx.length;
  const D = dIdx.length;
  const segm = iouType === 'segm';
  const dBoxes = segm ? data.dt.rleBoxes : data.dt.boxes;
  const gBoxes = segm ? data.gt.rleBoxes : data.gt.boxes;
  const { db, gb, ious, crowd } = scratch;
  for (let d = 0; d < D; d++) {
    const src = 4 * dIdx[d]!;
    db[4 * d] = dBoxes[src]!;
    db[4 * d + 1] = dBoxes[src + 1]!;
    db[4 * d + 2] = dBoxes[src + 2]!;
    db[4 * d + 3] = dBoxes[src + 3]!;
  }
  for (let g = 0; g < G; g++) {
    const src = 4 * gIdx[g]!;
    gb[4 * g] = gBoxes[src]!;
    gb[4 * g + 1] = gBoxes[src + 1]!;
    gb[4 * g + 2] = gBoxes[src + 2]!;
    gb[4 * g + 3] = gBoxes[src + 3]!;
  }
  bboxIouInto(db, gb, crowd, D, G, ious);
  if (segm) {
    const dr = scratch.dtRles;
    const gr = scratch.gtRles;
    dr.length = D;
    gr.length = G;
    for (let d = 0; d < D; d++) dr[d] = data.dt.rles[dIdx[d]!]!;
    for (let g = 0; g < G; g++) gr[g] = data.gt.rles[gIdx[g]!]!;
    refineWithMasks(dr, gr, crowd, ious);
  }
  return ious;
}
