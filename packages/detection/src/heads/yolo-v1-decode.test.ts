import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { selectDetections } from './postprocess.js';
import { decodeYoloV1 } from './yolo-v1-decode.js';

describe('decodeYoloV1', () => {
  it('decodes the cell-relative centres and image-relative sizes, scores = conf x class score', () => {
    const s = 2;
    const b = 2;
    const c = 3;
    const out = new Float32Array(s * s * (5 * b + c));
    // cell (row 1, col 0), box 1: centre (0.5, 0.5) in the cell, size 0.25 x 0.5 of a 100 x 200 image, conf 0.9.
    const base = (1 * s + 0) * 13;
    out.set([0.5, 0.5, 0.25, 0.5, 0.9], base + 5);
    out.set([0.1, 0.8, 0.1], base + 10);
    const { boxes, scores } = decodeYoloV1(out, {
      gridSize: s,
      boxesPerCell: b,
      numClasses: c,
      imageWidth: 100,
      imageHeight: 200,
    });
    const k = (1 * s + 0) * b + 1;
    expect(Array.from(boxes.subarray(k * 4, k * 4 + 4))).toEqual([12.5, 100, 37.5, 200]);
    expect(Array.from(scores.subarray(k * 3, k * 3 + 3)).map((v) => +v.toFixed(6))).toEqual([0.09, 0.72, 0.09]);
    const d = selectDetections(boxes, scores, c, { scoreThresh: 0.5 });
    expect(Array.from(d.labels)).toEqual([1]);
  });

  it('rejects a wrong length and bad options', () => {
    const o = { gridSize: 7, boxesPerCell: 2, numClasses: 20, imageWidth: 448, imageHeight: 448 };
    expect(() => decodeYoloV1(new Float32Array(10), o)).toThrow(ShapeError);
    expect(() => decodeYoloV1(new Float32Array(1470), { ...o, gridSize: 0 })).toThrow(/gridSize/);
    expect(decodeYoloV1(new Float32Array(1470), o).scores.length).toBe(98 * 20);
  });
});
