/**
 * `evaluateCoco`: pycocotools' `COCOeval` (evaluate, accumulate, summarize) for boxes and masks, number for number.
 */
import { type CocoData, type CocoIouType, prepareCocoData } from './coco-data.js';
import {
  bucketize,
  type CategoryMatches,
  IGNORED,
  MATCHED,
  MatchScratch,
  matchCategory,
  sortBucketsByScore,
} from './coco-match.js';
import {
  AREA_LABELS,
  AREA_RANGES,
  COCO_STAT_NAMES,
  EPS,
  IOU_THRESHOLDS,
  MAX_DETS,
  RECALL_THRESHOLDS,
} from './coco-params.js';

/** Arguments of `evaluateCoco`. */
export interface EvaluateCocoOptions {
  /** Ground truth: a COCO JSON object `{ images, annotations, categories }` (parsed). */
  gt: unknown;
  /** Results: records `{ image_id, category_id, score, bbox }` or `{ ..., segmentation }` as `COCO.loadRes` takes. */
  dt: unknown;
  /** `'bbox'` compares boxes, `'segm'` masks. */
  iouType: CocoIouType;
}

/** What `evaluateCoco` returns. */
export interface CocoEvalResult {
  /** The 12 summary numbers in pycocotools' order (`statNames`); -1 where nothing could be measured. */
  stats: number[];
  statNames: readonly string[];
  /** AP@[.50:.95] (area all, 100 detections) per category id (keys are the ids as strings); -1 without gt. */
  perCategoryAp: Record<string, number>;
  /** Category ids and names in the order of the K axis. */
  categories: { id: number; name: string | undefined }[];
  /** Precision `[T=10, R=101, K, A=4, M=3]`, C order, -1 for categories without ground truth (`eval['precision']`). */
  precision: Float64Array;
  /** Recall `[T=10, K, A=4, M=3]` (`eval['recall']`). */
  recall: Float64Array;
  /** The parameters used (pycocotools' defaults). */
  params: {
    iouThrs: number[];
    recThrs: number[];
    maxDets: number[];
    areaRng: [number, number][];
    areaRngLbl: string[];
    imgIds: number[];
    catIds: number[];
  };
}

/**
 * Evaluates detections against COCO ground truth exactly as pycocotools' `COCOeval` does: 10 IoU thresholds
 * (.50:.05:.95), 101 recall points, areas all/small/medium/large, 1/10/100 detections per image and category,
 * crowd regions (IoU = intersection over the detection's area; crowd and out-of-range ground truth is ignored),
 * detections sorted by score with ties in input order. Malformed input is a `DataError` naming the field and index.
 */
export function evaluateCoco(options: EvaluateCocoOptions): CocoEvalResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`evaluateCoco: expected { gt, dt, iouType }, got ${String(options)}`);
  }
  const { gt, dt, iouType } = options;
  if (iouType !== 'bbox' && iouType !== 'segm') {
    throw new RangeError(`evaluateCoco: iouType must be 'bbox' or 'segm', got ${JSON.stringify(iouType)}`);
  }
  const data = prepareCocoData(gt, dt, iouType);
  const { precision, recall } = evaluatePrepared(data, iouType);
  const K = data.catIds.length;
  const stats = summarize(precision, recall, K);
  const perCategoryAp: Record<string, number> = {};
  for (let k = 0; k < K; k++) perCategoryAp[String(data.catIds[k])] = categoryAp(precision, K, k);
  return {
    stats,
    statNames: COCO_STAT_NAMES,
    perCategoryAp,
    categories: data.catIds.map((id, k) => ({ id, name: data.catNames[k] })),
    precision,
    recall,
    params: {
      iouThrs: Array.from(IOU_THRESHOLDS),
      recThrs: Array.from(RECALL_THRESHOLDS),
      maxDets: [...MAX_DETS],
      areaRng: AREA_RANGES.map(([lo, hi]) => [lo, hi]),
      areaRngLbl: [...AREA_LABELS],
      imgIds: [...data.imgIds],
      catIds: [...data.catIds],
    },
  };
}

function evaluatePrepared(data: CocoData, iouType: CocoIouType): { precision: Float64Array; recall: Float64Array } {
  const I = data.imgIds.length;
  const K = data.catIds.length;
  const T = IOU_THRESHOLDS.length;
  const R = RECALL_THRESHOLDS.length;
  const A = AREA_RANGES.length;
  const M = MAX_DETS.length;
  const keyOf = (rec: { img: Int32Array; cat: Int32Array; count: number }): Int32Array => {
    const keys = new Int32Array(rec.count);
    for (let j = 0; j < rec.count; j++) keys[j] = rec.cat[j]! * I + rec.img[j]!;
    return keys;
  };
  const gtB = bucketize(keyOf(data.gt), K * I);
  const dtB = bucketize(keyOf(data.dt), K * I);
  sortBucketsByScore(dtB.start, dtB.order, data.dt.scores);
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scratch = new MatchScratch();
  for (let k = 0; k < K; k++) {
    const cm = matchCategory(data, iouType, k, gtB, dtB, scratch);
    accumulateCategory(cm, k, K, precision, recall);
  }
  return { precision, recall };
}

function accumulateCategory(
  cm: CategoryMatches,
  k: number,
  K: number,
  precision: Float64Array,
  recall: Float64Array,
): void {
  const T = IOU_THRESHOLDS.length;
  const R = RECALL_THRESHOLDS.length;
  const A = AREA_RANGES.length;
  const M = MAX_DETS.length;
  const N = cm.count;
  const recThrs = RECALL_THRESHOLDS;
  const isIgnored = IGNORED;
  const isMatched = MATCHED;
  const eps = EPS;
  // One stable sort by score (ties: image order, then rank) serves every maxDets cut: a cut keeps a subsequence.
  const order = new Int32Array(N);
  for (let j = 0; j < N; j++) order[j] = j;
  const scores = cm.scores;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept = new Int32Array(N);
  const rc = new Float64Array(N);
  const pr = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    const maxDet = MAX_DETS[m]!;
    let nd = 0;
    for (let j = 0; j < N; j++) if (cm.rank[order[j]!]! < maxDet) kept[nd++] = order[j]!;
    for (let a = 0; a < A; a++) {
      const npig = cm.npig[a]!;
      if (npig === 0) continue;
      for (let t = 0; t < T; t++) {
        const flags = cm.flags.subarray((a * T + t) * N, (a * T + t + 1) * N);
        let tp = 0;
        let fp = 0;
        for (let q = 0; q < nd; q++) {
          const f = flags[kept[q]!]!;
          if (!(f & isIgnored)) {
            if (f & isMatched) tp++;
            else fp++;
          }
          rc[q] = tp / npig;
          pr[q] = tp / (fp + tp + eps);
        }
        recall[((t * K + k) * A + a) * M + m] = nd > 0 ? rc[nd - 1]! : 0;
        for (let q = nd - 1; q > 0; q--) if (pr[q]! > pr[q - 1]!) pr[q - 1] = pr[q]!;
        let q = 0;
        for (let r = 0; r < R; r++) {
          const thr = recThrs[r]!;
          while (q < nd && rc[q]! < thr) q++;
          precision[(((t * R + r) * K + k) * A + a) * M + m] = q < nd ? pr[q]! : 0;
        }
      }
    }
  }
}

function meanOverValid(values: number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v > -1) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? -1 : sum / n;
}

function summaryValue(
  precision: Float64Array,
  recall: Float64Array,
  K: number,
  ap: boolean,
  iouThr: number | undefined,
  area: string,
  maxDets: number,
): number {
  const T = IOU_THRESHOLDS.length;
  const R = RECALL_THRESHOLDS.length;
  const A = AREA_RANGES.length;
  const M = MAX_DETS.length;
  const a = AREA_LABELS.indexOf(area);
  const m = MAX_DETS.indexOf(maxDets);
  const ts: number[] = [];
  for (let t = 0; t < T; t++) if (iouThr === undefined || IOU_THRESHOLDS[t] === iouThr) ts.push(t);
  const values: number[] = [];
  for (const t of ts) {
    if (ap) {
      for (let r = 0; r < R; r++) {
        for (let k = 0; k < K; k++) values.push(precision[(((t * R + r) * K + k) * A + a) * M + m]!);
      }
    } else {
      for (let k = 0; k < K; k++) values.push(recall[((t * K + k) * A + a) * M + m]!);
    }
  }
  return meanOverValid(values);
}

function summarize(precision: Float64Array, recall: Float64Array, K: number): number[] {
  const last = MAX_DETS[2]!;
  const s = (ap: boolean, iouThr: number | undefined, area: string, maxDets: number): number =>
    summaryValue(precision, recall, K, ap, iouThr, area, maxDets);
  return [
    s(true, undefined, 'all', last),
    s(true, 0.5, 'all', last),
    s(true, 0.75, 'all', last),
    s(true, undefined, 'small', last),
    s(true, undefined, 'medium', last),
    s(true, undefined, 'large', last),
    s(false, undefined, 'all', MAX_DETS[0]!),
    s(false, undefined, 'all', MAX_DETS[1]!),
    s(false, undefined, 'all', last),
    s(false, undefined, 'small', last),
    s(false, undefined, 'medium', last),
    s(false, undefined, 'large', last),
  ];
}

function categoryAp(precision: Float64Array, K: number, k: number): number {
  const T = IOU_THRESHOLDS.length;
  const R = RECALL_THRESHOLDS.length;
  const A = AREA_RANGES.length;
  const M = MAX_DETS.length;
  const values: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < R; r++) values.push(precision[(((t * R + r) * K + k) * A + 0) * M + (M - 1)]!);
  }
  return meanOverValid(values);
}
