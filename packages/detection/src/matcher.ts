/**
 * Anchor-to-ground-truth matching as torchvision's `Matcher` (`models/detection/_utils.py`) and
 * `BalancedPositiveNegativeSampler`.
 */
import { describeValue, type Rng, ShapeError } from '@striate/core';
import { readNumber } from './internal/args.js';

/** Prediction whose best IoU is below `lowThreshold`. */
export const BELOW_LOW_THRESHOLD = -1;
/** Prediction whose best IoU is in [lowThreshold, highThreshold). */
export const BETWEEN_THRESHOLDS = -2;

export interface MatcherOptions {
  highThreshold: number;
  lowThreshold: number;
  /** Also match each ground truth to the predictions of its highest IoU (ties included). Default false. */
  allowLowQualityMatches?: boolean;
}

export class Matcher {
  readonly highThreshold: number;
  readonly lowThreshold: number;
  readonly allowLowQualityMatches: boolean;

  constructor(options: MatcherOptions) {
    this.highThreshold = readNumber(options?.highThreshold, 'Matcher: highThreshold');
    this.lowThreshold = readNumber(options?.lowThreshold, 'Matcher: lowThreshold');
    if (this.lowThreshold > this.highThreshold) {
      throw new RangeError(
        `Matcher: lowThreshold (${this.lowThreshold}) must be <= highThreshold (${this.highThreshold})`,
      );
    }
    this.allowLowQualityMatches = options.allowLowQualityMatches ?? false;
  }

  /**
   * `quality`: the `[M ground truths, N predictions]` IoU matrix (row-major, e.g. `boxIou(gt, anchors)`).
   * Returns, per prediction, the index of its matched ground truth, or `BELOW_LOW_THRESHOLD` (-1) /
   * `BETWEEN_THRESHOLDS` (-2). Ties in a prediction's best ground truth go to the lower index (torch.max).
   */
  match(quality: Float32Array | Float64Array, m: number, n: number): Int32Array {
    if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0 || quality.length !== m * n) {
      throw new ShapeError(`Matcher.match: quality: expected ${m} x ${n} = ${m * n} values, got ${quality.length}`);
    }
    if (m === 0) {
      throw new ShapeError('Matcher.match: no ground-truth boxes available for one of the images (M = 0)');
    }
    const matches = new Int32Array(n);
    const best = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let bi = 0;
      let bv = quality[j]!;
      for (let i = 1; i < m; i++) {
        const v = quality[i * n + j]!;
        if (v > bv) {
          bv = v;
          bi = i;
        }
      }
      matches[j] = bi;
      best[j] = bv;
    }
    const all = matches.slice();
    for (let j = 0; j < n; j++) {
      if (best[j]! < this.lowThreshold) matches[j] = BELOW_LOW_THRESHOLD;
      else if (best[j]! < this.highThreshold) matches[j] = BETWEEN_THRESHOLDS;
    }
    if (this.allowLowQualityMatches) {
      for (let i = 0; i < m; i++) {
        let hi = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < n; j++) hi = Math.max(hi, quality[i * n + j]!);
        for (let j = 0; j < n; j++) if (quality[i * n + j] === hi) matches[j] = all[j]!;
      }
    }
    return matches;
  }
}

export interface SampledMasks {
  /** 1 where a positive (label >= 1) was sampled. */
  positive: Uint8Array;
  /** 1 where a negative (label 0) was sampled. */
  negative: Uint8Array;
}

/**
 * torchvision's `BalancedPositiveNegativeSampler`: from labels (>= 1 positive, 0 negative, -1 ignored), samples
 * up to `batchSizePerImage * positiveFraction` positives and fills the rest with negatives, uniformly without
 * replacement (random permutations from the given `Rng`, so runs are reproducible).
 */
export class BalancedPositiveNegativeSampler {
  constructor(
    readonly batchSizePerImage: number,
    readonly positiveFraction: number,
  ) {
    if (!Number.isInteger(batchSizePerImage) || batchSizePerImage < 0) {
      throw new RangeError(
        `BalancedPositiveNegativeSampler: batchSizePerImage: expected an integer >= 0, got ${describeValue(batchSizePerImage)}`,
      );
    }
    if (!(positiveFraction >= 0 && positiveFraction <= 1)) {
      throw new RangeError(
        `BalancedPositiveNegativeSampler: positiveFraction: expected a number in [0, 1], got ${describeValue(positiveFraction)}`,
      );
    }
  }

  sample(labels: Int32Array | Float32Array, rng: Rng): SampledMasks {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i]! >= 1) pos.push(i);
      else if (labels[i] === 0) neg.push(i);
    }
    const numPos = Math.min(pos.length, Math.trunc(this.batchSizePerImage * this.positiveFraction));
    const numNeg = Math.min(neg.length, this.batchSizePerImage - numPos);
    const positive = new Uint8Array(labels.length);
    const negative = new Uint8Array(labels.length);
    const permPos = rng.permutation(pos.length);
    for (let t = 0; t < numPos; t++) positive[pos[permPos[t]!]!] = 1;
    const permNeg = rng.permutation(neg.length);
    for (let t = 0; t < numNeg; t++) negative[neg[permNeg[t]!]!] = 1;
    return { positive, negative };
  }
}
