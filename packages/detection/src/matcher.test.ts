import { Rng, ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { BalancedPositiveNegativeSampler, BELOW_LOW_THRESHOLD, BETWEEN_THRESHOLDS, Matcher } from './matcher.js';

// 2 ground truths x 5 predictions
const quality = Float32Array.of(0.9, 0.5, 0.2, 0.35, 0.1, 0.1, 0.6, 0.3, 0.35, 0.05);

describe('Matcher', () => {
  it('thresholds the best match per prediction', () => {
    const m = new Matcher({ highThreshold: 0.7, lowThreshold: 0.3 });
    expect(Array.from(m.match(quality, 2, 5))).toEqual([0, BETWEEN_THRESHOLDS, BETWEEN_THRESHOLDS, -2, -1]);
    expect(BELOW_LOW_THRESHOLD).toBe(-1);
  });

  it('allowLowQualityMatches restores each gt best predictions, ties included', () => {
    const m = new Matcher({ highThreshold: 0.7, lowThreshold: 0.3, allowLowQualityMatches: true });
    // gt 1's best is 0.6 at prediction 1; gt 0's best is 0.9 (already matched)
    expect(Array.from(m.match(quality, 2, 5))).toEqual([0, 1, -2, -2, -1]);
    // a tie: both predictions with gt 0's highest IoU are matched (to their own best gt)
    const tie = Float32Array.of(0.4, 0.4, 0.1);
    expect(Array.from(m.match(tie, 1, 3))).toEqual([0, 0, -1]);
  });

  it('ties in a prediction best gt go to the lower index; bad input', () => {
    const m = new Matcher({ highThreshold: 0.5, lowThreshold: 0.5 });
    expect(Array.from(m.match(Float32Array.of(0.6, 0.6), 2, 1))).toEqual([0]);
    expect(() => m.match(new Float32Array(0), 0, 0)).toThrow(/no ground-truth boxes/);
    expect(() => m.match(quality, 3, 5)).toThrow(ShapeError);
    expect(() => new Matcher({ highThreshold: 0.3, lowThreshold: 0.7 })).toThrow(RangeError);
  });
});

describe('BalancedPositiveNegativeSampler', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : i < 90 ? 0 : -1));

  it('samples up to the positive fraction, fills with negatives, never ignored ones', () => {
    const sampler = new BalancedPositiveNegativeSampler(32, 0.25);
    const { positive, negative } = sampler.sample(labels, new Rng(1));
    const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
    expect(count(positive)).toBe(8);
    expect(count(negative)).toBe(24);
    for (let i = 0; i < labels.length; i++) {
      if (positive[i]) expect(labels[i]).toBeGreaterThanOrEqual(1);
      if (negative[i]) expect(labels[i]).toBe(0);
    }
    // too few positives: all of them, the rest negatives
    const more = new BalancedPositiveNegativeSampler(64, 0.5).sample(labels, new Rng(2));
    expect([count(more.positive), count(more.negative)]).toEqual([10, 54]);
  });

  it('is reproducible with the same seed and differs with another', () => {
    const sampler = new BalancedPositiveNegativeSampler(16, 0.5);
    const a = sampler.sample(labels, new Rng(7));
    const b = sampler.sample(labels, new Rng(7));
    const c = sampler.sample(labels, new Rng(8));
    expect(a).toEqual(b);
    expect(Array.from(c.negative)).not.toEqual(Array.from(a.negative));
    expect(() => new BalancedPositiveNegativeSampler(16, 1.5)).toThrow(RangeError);
  });
});
