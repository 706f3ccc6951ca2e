/**
 * Decoding the YOLOv1 output (S x S x (5B + C), per cell `[x, y, w, h, conf] x B` then C class scores, as
 * `YoloV1Head` and `yoloV1Loss` lay it out) into boxes and class-specific scores for `selectDetections`.
 */
import { ShapeError } from '@striate/core';

export interface DecodeYoloV1Options {
  readonly gridSize: number;
  readonly boxesPerCell: number;
  readonly numClasses: number;
  /** Image size the boxes are given in (pixels). */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/**
 * One image's [S, S, 5B + C] output -> `boxes` [S*S*B, 4] (x1, y1, x2, y2 pixels; centre = (cell + x) / S, size
 * w, h relative to the image) and `scores` [S*S*B, C] = conf x class score (the paper's class-specific
 * confidence), in cell-major then box order.
 */
export function decodeYoloV1(
  output: Float32Array | Float64Array,
  options: DecodeYoloV1Options,
): { boxes: Float32Array; scores: Float32Array } {
  const ctx = 'decodeYoloV1';
  const { gridSize: s, boxesPerCell: b, numClasses: c, imageWidth: iw, imageHeight: ih } = options ?? {};
  for (const [v, n] of [
    [s, 'gridSize'],
    [b, 'boxesPerCell'],
    [c, 'numClasses'],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new RangeError(`${ctx}: ${n}: expected an integer >= 1, got ${String(v)}`);
    }
  }
  for (const [v, n] of [
    [iw, 'imageWidth'],
    [ih, 'imageHeight'],
  ] as const) {
    if (typeof v !== 'number' || !(v > 0))
      throw new RangeError(`${ctx}: ${n}: expected a number > 0, got ${String(v)}`);
  }
  const cell = 5 * b + c;
  if (!(output instanceof Float32Array || output instanceof Float64Array)) {
    throw new TypeError(`${ctx}: output: expected a Float32Array or Float64Array`);
  }
  if (output.length !== s * s * cell) {
    throw new ShapeError(`${ctx}: output: expected ${s}*${s}*${cell} = ${s * s * cell} numbers, got ${output.length}`);
  }
  const n = s * s * b;
  const boxes = new Float32Array(n * 4);
  const scores = new Float32Array(n * c);
  for (let row = 0; row < s; row++) {
    for (let col = 0; col < s; col++) {
      const base = (row * s + col) * cell;
      for (let j = 0; j < b; j++) {
        const o = base + j * 5;
        const cx = ((col + output[o]!) / s) * iw;
        const cy = ((row + output[o + 1]!) / s) * ih;
        const w = output[o + 2]! * iw;
        const h = output[o + 3]! * ih;
        const k = (row * s + col) * b + j;
        boxes.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], k * 4);
        for (let q = 0; q < c; q++) scores[k * c + q] = output[o + 4]! * output[base + 5 * b + q]!;
      }
    }
  }
  return { boxes, scores };
}
