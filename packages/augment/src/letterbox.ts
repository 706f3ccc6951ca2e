/**
 * Letterbox (YOLO's `LetterBox`): resize keeping the aspect ratio so the image fits `[height, width]`, then pad
 * the borders with `fill` (114 by default) so the content is centred; boxes, masks and keypoints follow. The
 * parameters come back with the sample so that `letterboxInverseBoxes` can map predictions back.
 */

import { resize } from './geometric.js';
import { finite, size2 } from './internal/check.js';
import { cropPlanes } from './pixels.js';
import { assertSample, boxesToPixelXyxy, maskCount, pixelXyxyToBoxes, type Sample } from './sample.js';

export interface LetterboxOptions {
  /** Pad value, one number or one per channel. Default 114 (YOLO). */
  fill?: number | readonly number[];
  /** Allow enlarging a smaller image. Default true. */
  scaleUp?: boolean;
}

export interface LetterboxParams {
  /** `[sy, sx]`: resized size / original size per axis. */
  scale: [number, number];
  /** `[top, left]` padding in pixels. */
  pad: [number, number];
  /** The canvas before letterboxing, `[height, width]`. */
  original: [number, number];
}

export function letterboxParams(
  canvas: readonly [number, number],
  size: readonly [number, number],
  scaleUp = true,
): LetterboxParams & { resized: [number, number] } {
  const [h, w] = canvas;
  const [th, tw] = size;
  let r = Math.min(th / h, tw / w);
  if (!scaleUp) r = Math.min(r, 1);
  const nw = Math.max(1, Math.round(w * r));
  const nh = Math.max(1, Math.round(h * r));
  // `+ 0` turns the -0 of Math.round(-0.1) into 0.
  const top = Math.round((th - nh) / 2 - 0.1) + 0;
  const left = Math.round((tw - nw) / 2 - 0.1) + 0;
  return { scale: [nh / h, nw / w], pad: [top, left], original: [h, w], resized: [nh, nw] };
}

export function letterbox<L>(
  sample: Sample<L>,
  size: readonly [number, number],
  opts: LetterboxOptions = {},
): { sample: Sample<L>; params: LetterboxParams } {
  const fn = 'letterbox';
  assertSample(sample, fn);
  const [th, tw] = size2(size, fn, 'size');
  const p = letterboxParams(sample.canvasSize, [th, tw], opts.scaleUp ?? true);
  const resized = resize(sample, p.resized);
  const [top, left] = p.pad;
  const [nh, nw] = p.resized;
  let image = resized.image;
  if (image) {
    const c = image.channels;
    const fv = opts.fill ?? 114;
    const fills = typeof fv === 'number' ? new Array<number>(c).fill(fv) : [...fv];
    if (fills.length !== c) throw new RangeError(`${fn}: fill: expected a number or ${c} values, got ${fills.length}`);
    fills.forEach((v, k) => {
      finite(v, fn, `fill[${k}]`);
      if (v < 0 || v > 255) throw new RangeError(`${fn}: fill[${k}]: expected a value in [0, 255], got ${v}`);
    });
    const data = cropPlanes(image.data, 1, nh, nw, c, -top, -left, th, tw, Uint8Array.from(fills));
    image = { data, height: th, width: tw, channels: c };
  }
  const masks = resized.masks && cropPlanes(resized.masks, maskCount(resized), nh, nw, 1, -top, -left, th, tw);
  let boxes = resized.boxes;
  if (boxes) {
    const b = boxesToPixelXyxy(resized);
    for (let i = 0; i < b.length; i += 2) {
      b[i] = b[i]! + left;
      b[i + 1] = b[i + 1]! + top;
    }
    boxes = pixelXyxyToBoxes(b, sample, [th, tw]);
  }
  let keypoints = resized.keypoints;
  if (keypoints) {
    keypoints = keypoints.slice();
    for (let i = 0; i < keypoints.length; i += 2) {
      keypoints[i] = keypoints[i]! + left;
      keypoints[i + 1] = keypoints[i + 1]! + top;
    }
  }
  const { resized: _r, ...params } = p;
  return { sample: { ...resized, image, masks, boxes, keypoints, canvasSize: [th, tw] }, params };
}

/**
 * Maps pixel xyxy boxes from the letterboxed frame back to the original image (subtract the padding, divide by
 * the scale) and clips them to the original canvas. Returns a new Float32Array.
 */
export function letterboxInverseBoxes(boxes: Float32Array, params: LetterboxParams): Float32Array {
  if (!(boxes instanceof Float32Array) || boxes.length % 4 !== 0) {
    throw new TypeError('letterboxInverseBoxes: boxes: expected a Float32Array of 4N xyxy coordinates');
  }
  const [sy, sx] = params.scale;
  const [top, left] = params.pad;
  const [h, w] = params.original;
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 2) {
    out[i] = Math.min(Math.max((boxes[i]! - left) / sx, 0), w);
    out[i + 1] = Math.min(Math.max((boxes[i + 1]! - top) / sy, 0), h);
  }
  return out;
}
