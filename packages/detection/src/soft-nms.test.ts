import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { softNms } from './soft-nms.js';

// A = [0,0,10,10] (0.9), B = [0,0,10,5] (0.8, IoU(A, B) = 50 / 100 = 0.5), C = [20,20,30,30] (0.7, disjoint).
const boxes = Float32Array.of(0, 0, 10, 10, 0, 0, 10, 5, 20, 20, 30, 30);
const scores = Float32Array.of(0.9, 0.8, 0.7);

describe('softNms', () => {
  it('linear: decays by 1 - IoU above the threshold', () => {
    const { keep, scores: s } = softNms(boxes, scores, { method: 'linear', iouThreshold: 0.3 });
    expect(Array.from(keep)).toEqual([0, 2, 1]);
    expect(Array.from(s)).toEqual([0.9, 0.7, 0.4].map(Math.fround));
    // below the threshold nothing decays
    const none = softNms(boxes, scores, { method: 'linear', iouThreshold: 0.6 });
    expect(Array.from(none.keep)).toEqual([0, 1, 2]);
    expect(none.scores[1]).toBeCloseTo(0.8, 6);
  });

  it('gaussian: decays by exp(-iou^2 / sigma)', () => {
    const { keep, scores: s } = softNms(boxes, scores, { method: 'gaussian', sigma: 0.5 });
    expect(Array.from(keep)).toEqual([0, 2, 1]);
    expect(s[2]).toBeCloseTo(0.8 * Math.exp(-0.25 / 0.5), 6);
    const wide = softNms(boxes, scores, { sigma: 10 });
    expect(Array.from(wide.keep)).toEqual([0, 1, 2]);
    expect(wide.scores[1]).toBeCloseTo(0.8 * Math.exp(-0.025), 6);
  });

  it('drops boxes whose decayed score falls below scoreThreshold', () => {
    const { keep } = softNms(boxes, scores, { method: 'linear', iouThreshold: 0.3, scoreThreshold: 0.45 });
    expect(Array.from(keep)).toEqual([0, 2]);
  });

  it('decays cumulatively and re-picks the maximum each round', () => {
    // Three nested boxes: the second is decayed below the disjoint fourth.
    const b = Float32Array.of(0, 0, 10, 10, 0, 0, 10, 9, 0, 0, 10, 2, 50, 50, 60, 60);
    const { keep, scores: s } = softNms(b, Float32Array.of(1, 0.95, 0.9, 0.5), { method: 'linear', iouThreshold: 0.1 });
    // round 1: B *= 1 - 0.9 -> 0.095, C *= 1 - 0.2 -> 0.72; round 2 picks C (0.72), then D (0.5), then B.
    expect(Array.from(keep)).toEqual([0, 2, 3, 1]);
    expect(s[1]).toBeCloseTo(0.72, 6);
    // C vs B: IoU = 20 / 90; B: 0.095 * (1 - 2/9)
    expect(s[3]).toBeCloseTo(0.095 * (1 - 20 / 90), 6);
  });

  it('ties go to the lower index; an identical box decays to 0 and is dropped; inverted boxes stay', () => {
    const b = Float32Array.of(0, 0, 10, 10, 0, 0, 10, 10, 10, 0, 0, 10);
    const { keep, scores: s } = softNms(b, Float32Array.of(0.5, 0.5, 0.3), { method: 'linear' });
    expect(Array.from(keep)).toEqual([0, 2]);
    expect(s[1]).toBeCloseTo(0.3, 6);
  });

  it('NaN scores are ignored', () => {
    const { keep } = softNms(boxes, Float32Array.of(Number.NaN, 0.8, 0.7));
    expect(Array.from(keep)).toEqual([1, 2]);
  });

  it('empty input and bad arguments', () => {
    expect(softNms(new Float32Array(0), new Float32Array(0)).keep.length).toBe(0);
    expect(() => softNms(boxes, Float32Array.of(1), {})).toThrow(ShapeError);
    expect(() => softNms(boxes, scores, { method: 'hard' as 'linear' })).toThrow(RangeError);
    expect(() => softNms(boxes, scores, { sigma: 0 })).toThrow(/sigma: expected a finite number > 0/);
    expect(() => softNms(boxes, scores, { iouThreshold: 2 })).toThrow(RangeError);
  });
});
