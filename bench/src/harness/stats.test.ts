import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatency, throughput } from './stats.js';

describe('percentile', () => {
  it('interpolates linearly between closest ranks (numpy default)', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    // numpy.percentile(range(1, 21), 95) = 19.05
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBeCloseTo(19.05, 12);
    expect(percentile([7], 95)).toBe(7);
  });

  it('does not reorder its input', () => {
    const s = [3, 1, 2];
    percentile(s, 50);
    expect(s).toEqual([3, 1, 2]);
  });

  it('rejects empty samples, bad p and non-finite samples, naming them', () => {
    expect(() => percentile([], 50)).toThrow(/samples: expected a non-empty array/);
    expect(() => percentile([1], 101)).toThrow(/p: expected a number in \[0, 100\], got 101/);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    expect(() => percentile([1, Number.POSITIVE_INFINITY], 50)).toThrow(/samples\[1\]: expected a finite number/);
  });
});

describe('summarizeLatency and throughput', () => {
  it('summarizes samples', () => {
    const s = summarizeLatency([10, 20, 30, 40, 50]);
    expect(s).toEqual({ samples: 5, meanMs: 30, p50Ms: 30, p95Ms: 48, minMs: 10, maxMs: 50 });
  });

  it('gives images per second for a batch', () => {
    expect(throughput(8, 100)).toBe(80);
    expect(() => throughput(1, 0)).toThrow(/p50Ms: expected a positive number, got 0/);
  });
});
