import { ShapeError, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { naiveNms, scoreOrder } from './internal/nms-kernel.js';
import { lcg, randomBoxes } from './internal/test-data.js';
import { batchedNms, nms } from './nms.js';

interface NmsCase {
  boxes: number[][];
  scores: number[];
  iou: number;
  keep: number[];
}
const cases = readGoldenJson<{ cases: { nms: NmsCase[]; batched_nms: NmsCase & { idxs: number[] } } }>(
  'ops.json',
).cases;

/** torchvision's algorithm, O(N^2), for identity checks. */
function reference(boxes: Float32Array | Float64Array, scores: ArrayLike<number>, t: number): number[] {
  return Array.from(naiveNms(boxes, boxes.length / 4, boxes instanceof Float32Array, scoreOrder(scores), t));
}

function referenceBatched(boxes: Float32Array, scores: Float32Array, ids: Int32Array, t: number): number[] {
  const order = scoreOrder(scores);
  const kept = new Set<number>();
  for (const id of new Set(ids)) {
    const sub = Int32Array.from(Array.from(order).filter((i) => ids[i] === id));
    for (const k of naiveNms(boxes, boxes.length / 4, true, sub, t)) kept.add(k);
  }
  return Array.from(order).filter((i) => kept.has(i));
}

describe('nms: torchvision goldens', () => {
  it.each(cases.nms.map((c) => [c.iou, c]))('iou %s: exact keep list', (_, c) => {
    const keep = nms(Float32Array.from(c.boxes.flat()), Float32Array.from(c.scores), c.iou);
    expect(Array.from(keep)).toEqual(c.keep);
    // the golden has a score tie at 10/11: the lower index comes first
    expect(c.scores[10]).toBe(c.scores[11]);
  });

  it('batched_nms: exact keep list', () => {
    const c = cases.batched_nms;
    const keep = batchedNms(Float32Array.from(c.boxes.flat()), Float32Array.from(c.scores), c.idxs, c.iou);
    expect(Array.from(keep)).toEqual(c.keep);
  });

  it('accepts tensors', () => {
    const c = cases.nms[1]!;
    const boxes = new Tensor('float32', [c.boxes.length, 4], Float32Array.from(c.boxes.flat()));
    const scores = new Tensor('float32', [c.scores.length], Float32Array.from(c.scores));
    expect(Array.from(nms(boxes, scores, c.iou))).toEqual(c.keep);
  });
});

describe('nms: identical to the O(N^2) algorithm', () => {
  it.each([
    [2000, 640, 8, 200, 0.5],
    [3000, 2000, 4, 60, 0.3],
    [1500, 300, 2, 300, 0.7],
    [1000, 100, 1, 100, 0],
    [1000, 100, 1, 100, 1],
  ])('%i boxes, canvas %i, sides %i..%i, iou %s', (n, canvas, lo, hi, t) => {
    const { boxes, scores } = randomBoxes(n, n + canvas, canvas, lo, hi);
    expect(Array.from(nms(boxes, scores, t))).toEqual(reference(boxes, scores, t));
  });

  it('with score ties, duplicate boxes, degenerate and inverted boxes, and float64', () => {
    const next = lcg(11);
    for (let trial = 0; trial < 20; trial++) {
      const { boxes, scores } = randomBoxes(400, 100 + trial, 200, 1, 80);
      for (let i = 0; i < 400; i++) {
        scores[i] = Math.round(scores[i]! * 8) / 8; // many ties
        if (next() < 0.2) boxes.copyWithin(4 * i, 4 * Math.floor(next() * 400), 4 * Math.floor(next() * 400) + 4);
        if (next() < 0.03) [boxes[4 * i], boxes[4 * i + 2]] = [boxes[4 * i + 2]!, boxes[4 * i]!]; // x2 < x1
        if (next() < 0.03) boxes[4 * i + 3] = boxes[4 * i + 1]!; // zero height
      }
      const t = [0, 0.3, 0.5, 0.9][trial % 4]!;
      expect(Array.from(nms(boxes, scores, t))).toEqual(reference(boxes, scores, t));
      const b64 = Float64Array.from(boxes);
      expect(Array.from(nms(b64, scores, t))).toEqual(reference(b64, scores, t));
    }
  });

  it('with mixed tiny and huge boxes, far-off coordinates and thresholds near 0 and 1', () => {
    const next = lcg(21);
    for (const t of [0, 0.01, 0.2, 0.5, 0.8, 0.99, 1]) {
      const n = 1500;
      const boxes = new Float32Array(4 * n);
      const scores = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const w = 0.5 * 2 ** (next() * 10);
        const h = next() < 0.3 ? w : 0.5 * 2 ** (next() * 10);
        const x = 1e4 + next() * 300;
        const y = -2e4 + next() * 300;
        boxes.set([x, y, x + w, y + h], 4 * i);
        scores[i] = next() < 0.5 ? Math.floor(next() * 10) : next();
      }
      // near-duplicates of earlier boxes (IoU just around the threshold)
      for (let i = 100; i < n; i += 10) {
        const src = 4 * Math.floor(next() * 100);
        boxes.set([boxes[src]! + next(), boxes[src + 1]!, boxes[src + 2]! + next(), boxes[src + 3]!], 4 * i);
      }
      expect(Array.from(nms(boxes, scores, t))).toEqual(reference(boxes, scores, t));
    }
  });

  it('with infinite coordinates and NaN coordinates', () => {
    const { boxes, scores } = randomBoxes(300, 5, 100, 2, 50);
    boxes[0] = Number.NEGATIVE_INFINITY;
    boxes[6] = Number.POSITIVE_INFINITY;
    boxes[9] = Number.NaN;
    scores[0] = 0.99;
    expect(Array.from(nms(boxes, scores, 0.2))).toEqual(reference(boxes, scores, 0.2));
  });

  it('batchedNms equals per-class NMS', () => {
    const { boxes, scores } = randomBoxes(3000, 9, 640, 8, 200);
    const next = lcg(3);
    const ids = Int32Array.from({ length: 3000 }, () => Math.floor(next() * 7));
    expect(Array.from(batchedNms(boxes, scores, ids, 0.5))).toEqual(referenceBatched(boxes, scores, ids, 0.5));
  });
});

describe('scoreOrder', () => {
  it('radix path equals a stable comparison sort (ties, -0/+0, infinities, NaN dropped)', () => {
    const next = lcg(8);
    const s = Float32Array.from({ length: 5000 }, () => (next() < 0.3 ? Math.round(next() * 10) - 5 : next() - 0.5));
    s.set([-0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -0, 1e-45, -1e-45], 0);
    const expected = Array.from({ length: 5000 }, (_, i) => i)
      .filter((i) => !Number.isNaN(s[i]!))
      .sort((a, b) => s[b]! - s[a]! || a - b);
    expect(Array.from(scoreOrder(s))).toEqual(expected);
    expect(Array.from(scoreOrder(Float64Array.from(s)))).toEqual(expected);
  });
});

describe('nms: edge cases and bad input', () => {
  const two = Float32Array.of(0, 0, 10, 10, 1, 1, 11, 11);

  it('keeps by descending score, ties by lower index', () => {
    expect(Array.from(nms(two, Float32Array.of(0.5, 0.9), 0.5))).toEqual([1]);
    expect(Array.from(nms(two, Float32Array.of(0.7, 0.7), 0.5))).toEqual([0]);
    expect(Array.from(nms(two, Float32Array.of(0.7, 0.7), 0.9))).toEqual([0, 1]);
  });

  it('suppresses only IoU strictly above the threshold', () => {
    // IoU of [0,0,2,1] and [1,0,3,1] is 1/3; identical boxes have IoU 1.
    const b = Float32Array.of(0, 0, 2, 1, 1, 0, 3, 1);
    expect(Array.from(nms(b, Float32Array.of(2, 1), Math.fround(1 / 3)))).toEqual([0, 1]);
    expect(Array.from(nms(b, Float32Array.of(2, 1), 0.33))).toEqual([0]);
    const same = Float32Array.of(0, 0, 5, 5, 0, 0, 5, 5);
    expect(Array.from(nms(same, Float32Array.of(1, 2), 1))).toEqual([1, 0]);
    expect(Array.from(nms(same, Float32Array.of(1, 2), 0.99))).toEqual([1]);
  });

  it('x2 < x1: zero area, IoU 0, kept and suppresses nothing', () => {
    const b = Float32Array.of(10, 0, 0, 10, 0, 0, 10, 10, 10, 0, 0, 10);
    expect(Array.from(nms(b, Float32Array.of(0.9, 0.5, 0.8), 0))).toEqual([0, 2, 1]);
  });

  it('NaN scores are ignored', () => {
    const b = Float32Array.of(0, 0, 10, 10, 0, 0, 10, 10, 50, 50, 60, 60);
    expect(Array.from(nms(b, Float32Array.of(Number.NaN, 0.5, 0.7), 0.5))).toEqual([2, 1]);
    expect(nms(b, Float32Array.of(Number.NaN, Number.NaN, Number.NaN), 0.5).length).toBe(0);
  });

  it('empty input gives an empty result', () => {
    expect(nms(new Float32Array(0), new Float32Array(0), 0.5)).toEqual(new Int32Array(0));
    expect(batchedNms(new Float32Array(0), new Float32Array(0), new Int32Array(0), 0.5)).toEqual(new Int32Array(0));
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => nms(two, Float32Array.of(1), 0.5)).toThrow(ShapeError);
    expect(() => nms(two, Float32Array.of(1), 0.5)).toThrow(/scores: expected 2 values/);
    expect(() => nms(Float32Array.of(1, 2, 3), Float32Array.of(1), 0.5)).toThrow(ShapeError);
    expect(() => nms(two, Float32Array.of(1, 2), 1.5)).toThrow(RangeError);
    expect(() => nms(two, Float32Array.of(1, 2), -0.1)).toThrow(/iouThreshold: expected a number in \[0, 1\]/);
    expect(() => nms(two, Float32Array.of(1, 2), Number.NaN)).toThrow(RangeError);
    expect(() => nms([0, 0, 1, 1] as unknown as Float32Array, Float32Array.of(1), 0.5)).toThrow(TypeError);
    expect(() => batchedNms(two, Float32Array.of(1, 2), [0], 0.5)).toThrow(/classIds: expected 2 values/);
    expect(() => batchedNms(two, Float32Array.of(1, 2), [0, Number.NaN], 0.5)).toThrow(/classIds\[1\]/);
    expect(() => nms(new Tensor('float32', [2, 3], new Float32Array(6)), Float32Array.of(1, 2), 0.5)).toThrow(
      ShapeError,
    );
  });
});
