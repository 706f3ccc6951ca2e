import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../../../test-utils/fixtures.js';
import { evaluateWiderFace, type WiderFaceImage } from './widerface.js';

const face = (file: string, boxes: number[][], easy: number[], medium: number[], hard: number[]): WiderFaceImage => ({
  file,
  boxes,
  keep_easy: easy,
  keep_medium: medium,
  keep_hard: hard,
});

describe('evaluateWiderFace on hand-computed cases', () => {
  it('two faces found: AP 1 in every setting', () => {
    const gt = {
      images: [
        face(
          'a.jpg',
          [
            [10, 10, 20, 20],
            [50, 50, 20, 20],
          ],
          [0, 1],
          [0, 1],
          [0, 1],
        ),
      ],
    };
    const predictions = {
      'a.jpg': [
        [10, 10, 20, 20, 0.9],
        [50, 50, 20, 20, 0.8],
      ],
    };
    expect(evaluateWiderFace({ gt, predictions })).toEqual({ easy: 1, medium: 1, hard: 1 });
  });

  it('a detection on a face outside the keep list is neither true nor false positive', () => {
    // Face 1 is hard only. Detections (normalised scores 1, 0.5, 0): face 1, a false positive, face 0.
    const gt = {
      images: [
        face(
          'a.jpg',
          [
            [10, 10, 20, 20],
            [50, 50, 20, 20],
          ],
          [0],
          [0],
          [0, 1],
        ),
      ],
    };
    const predictions = {
      'a.jpg': [
        [50, 50, 20, 20, 0.9],
        [100, 100, 10, 10, 0.85],
        [10, 10, 20, 20, 0.8],
      ],
    };
    const ap = evaluateWiderFace({ gt, predictions });
    // easy: recall reaches 1 only at the last threshold, where precision is 1/2.
    expect(ap.easy).toBeCloseTo(0.5, 12);
    expect(ap.medium).toBeCloseTo(0.5, 12);
    // hard: recall 1/2 at precision 1, then recall 1 at precision 2/3.
    expect(ap.hard).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
  });

  it('sorts detections by score and counts faces of images without detections', () => {
    const gt = {
      images: [face('a.jpg', [[10, 10, 20, 20]], [0], [0], [0]), face('b.jpg', [[0, 0, 9, 9]], [0], [0], [0])],
    };
    const predictions = {
      'a.jpg': [
        [0, 100, 5, 5, 0.1],
        [10, 10, 20, 20, 0.9],
      ],
    };
    // Half the faces are found, at precision 1 (the false positive has the lowest score).
    const ap = evaluateWiderFace({ gt, predictions });
    expect(ap.easy).toBeCloseTo(0.5, 12);
  });

  it('rejects malformed input with a DataError naming the field', () => {
    const ok = face('a.jpg', [[10, 10, 20, 20]], [0], [0], [0]);
    const run = (gt: unknown, predictions: unknown) =>
      evaluateWiderFace({ gt, predictions: predictions as Record<string, number[][]> });
    expect(() => run({}, {})).toThrow(/gt\.images: expected an array/);
    expect(() => run({ images: [{ ...ok, keep_hard: [3] }] }, {})).toThrow(/gt\.images\[0\]\.keep_hard: index 3/);
    expect(() => run({ images: [{ ...ok, boxes: [[1, 2, 3]] }] }, {})).toThrow(/gt\.images\[0\]\.boxes\[0\]/);
    expect(() => run({ images: [ok] }, { 'a.jpg': [[1, 2, 3, 4, Number.NaN]] })).toThrow(
      /predictions\["a\.jpg"\]\[0\]/,
    );
    expect(() => run({ images: [ok] }, { 'a.jpg': [[1, 2, 3, 4, 0.5]] })).toThrow(DataError); // no score spread
    expect(() => evaluateWiderFace({ gt: { images: [ok] }, predictions: {}, iouThreshold: 2 })).toThrow(RangeError);
  });
});

describe('evaluateWiderFace on widerface-val200', () => {
  const gt = JSON.parse(readFileSync(join(dataDir(), 'widerface-val200', 'wider_val200_gt.json'), 'utf8')) as {
    images: WiderFaceImage[];
  };

  it('gives AP 1 to the ground truth itself and less to jittered, partial detections', () => {
    expect(gt.images.length).toBe(200);
    const rng = new Rng(1);
    const exact: Record<string, number[][]> = {};
    const noisy: Record<string, number[][]> = {};
    for (const im of gt.images) {
      exact[im.file] = im.boxes.map((b) => [...b, rng.uniform(0.1, 1)]);
      noisy[im.file] = im.boxes
        .filter(() => rng.uniform() < 0.7)
        .map(([x, y, w, h]) => [x! + rng.normal(0, 0.2 * w!), y! + rng.normal(0, 0.2 * h!), w!, h!, rng.uniform()]);
    }
    const perfect = evaluateWiderFace({ gt, predictions: exact });
    for (const s of ['easy', 'medium', 'hard'] as const) expect(perfect[s]).toBeGreaterThan(0.99);
    const partial = evaluateWiderFace({ gt, predictions: noisy });
    for (const s of ['easy', 'medium', 'hard'] as const) {
      expect(partial[s]).toBeGreaterThan(0.05);
      expect(partial[s]).toBeLessThan(0.7);
    }
  });
});
