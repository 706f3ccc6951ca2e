import { DataError, ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { BoxCoder } from '../box-coder.js';
import { postprocessRoiDetections, selectDetections } from './postprocess.js';

const coder = new BoxCoder([10, 10, 5, 5]);

/** Logits whose softmax is exactly `probs` (log of the probabilities). */
const logitsOf = (rows: number[][]) => Float32Array.from(rows.flat().map((p) => Math.log(p)));

describe('postprocessRoiDetections (torchvision RoIHeads.postprocess_detections)', () => {
  const proposals = Float32Array.of(10, 10, 50, 50, 12, 12, 52, 52, 100, 100, 140, 160);
  // Class-specific boxes: identical to the proposal for every class (zero deltas), except proposal 2 class 2.
  const boxes = new Float32Array(3 * 3 * 4);
  for (let i = 0; i < 3; i++)
    for (let c = 0; c < 3; c++) boxes.set(proposals.subarray(i * 4, i * 4 + 4), (i * 3 + c) * 4);
  boxes.set([90, -20, 130, 250], (2 * 3 + 2) * 4);
  const reference = new Float32Array(36);
  for (let i = 0; i < 3; i++)
    for (let c = 0; c < 3; c++) reference.set(proposals.subarray(i * 4, i * 4 + 4), (i * 3 + c) * 4);
  const boxRegression = coder.encode(boxes, reference);
  const classLogits = logitsOf([
    [0.1, 0.8, 0.1],
    [0.2, 0.7, 0.1],
    [0.02, 0.5, 0.48],
  ]);

  it('decodes per class, clips, drops background, thresholds, runs per-class NMS, sorts by score', () => {
    const d = postprocessRoiDetections({ classLogits, boxRegression, proposals, numClasses: 3, imageSize: [200, 150] });
    // proposal 1 class 1 (0.7) overlaps proposal 0 class 1 (0.8): IoU 0.82 -> suppressed; class 2 of proposal 0
    // (0.1) and 1 (0.1) also overlap each other; the clipped class-2 box of proposal 2 survives.
    expect(Array.from(d.labels)).toEqual([1, 1, 2, 2]);
    expect(Array.from(d.scores).map((s) => +s.toFixed(4))).toEqual([0.8, 0.5, 0.48, 0.1]);
    expect(Array.from(d.boxes.subarray(8, 12)).map((v) => Math.round(v))).toEqual([90, 0, 130, 200]);
  });

  it('honours scoreThresh, detectionsPerImg and minSize', () => {
    const d = postprocessRoiDetections(
      { classLogits, boxRegression, proposals, numClasses: 3, imageSize: [200, 150] },
      { scoreThresh: 0.45, detectionsPerImg: 2 },
    );
    expect(Array.from(d.scores).map((s) => +s.toFixed(4))).toEqual([0.8, 0.5]);
    const none = postprocessRoiDetections(
      { classLogits, boxRegression, proposals, numClasses: 3, imageSize: [200, 150] },
      { minSize: 41 },
    );
    expect(none.scores.length).toBe(0); // every box is 40 wide
  });

  it('gives empty outputs for no proposals and typed errors for bad input', () => {
    const empty = postprocessRoiDetections({
      classLogits: new Float32Array(0),
      boxRegression: new Float32Array(0),
      proposals: new Float32Array(0),
      numClasses: 3,
      imageSize: [10, 10],
    });
    expect([empty.boxes.length, empty.scores.length, empty.labels.length]).toEqual([0, 0, 0]);
    const base = { classLogits, boxRegression, proposals, numClasses: 3, imageSize: [200, 150] as [number, number] };
    expect(() => postprocessRoiDetections({ ...base, classLogits: new Float32Array(8) })).toThrow(ShapeError);
    expect(() =>
      postprocessRoiDetections({
        ...base,
        classLogits: Float32Array.from(classLogits, (v, i) => (i ? v : Number.NaN)),
      }),
    ).toThrow(DataError);
    expect(() => postprocessRoiDetections(base, { nmsThresh: 1.5 })).toThrow(
      /nmsThresh: expected a number in \[0, 1\], got 1.5/,
    );
    expect(() => postprocessRoiDetections({ ...base, numClasses: 1 })).toThrow(RangeError);
  });
});

describe('selectDetections (one-stage: threshold, top-k, per-class NMS, max detections)', () => {
  const boxes = Float32Array.of(0, 0, 10, 10, 1, 1, 11, 11, 50, 50, 60, 60);
  const scores = Float32Array.of(
    // class 0, class 1
    0.9,
    0.3,
    0.8,
    0.85,
    0.04,
    Number.NaN,
  );

  it('suppresses within a class only and keeps the best first', () => {
    const d = selectDetections(boxes, scores, 2, { labelOffset: 1 });
    expect(Array.from(d.labels)).toEqual([1, 2]);
    expect(Array.from(d.scores)).toEqual([Math.fround(0.9), Math.fround(0.85)]);
    expect(Array.from(d.boxes)).toEqual([0, 0, 10, 10, 1, 1, 11, 11]);
  });

  it('top-k is applied before NMS; NaN scores never pass', () => {
    const d = selectDetections(boxes, scores, 2, { topK: 1 });
    expect(Array.from(d.scores)).toEqual([Math.fround(0.9)]);
    const all = selectDetections(boxes, scores, 2, { scoreThresh: 0, nmsThresh: 1 });
    expect(all.scores.length).toBe(5);
    expect(selectDetections(boxes, scores, 2, { maxDetections: 0 }).scores.length).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => selectDetections(boxes, new Float32Array(5), 2)).toThrow(ShapeError);
    expect(() => selectDetections(boxes, scores, 2, { topK: -1 })).toThrow(/topK/);
    expect(() => selectDetections(new Float32Array(5), scores, 2)).toThrow(TypeError);
  });
});
