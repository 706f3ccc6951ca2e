/**
 * Semantic segmentation maps: argmax of logits to class ids, nearest resize of label maps (PyTorch's 'nearest'),
 * colour palettes and overlays.
 */
import { DTypeError, describeValue, formatShape, ShapeError, Tensor } from '@striate/core';
import { hw, labelsOf } from './labels.js';

/**
 * Class map of logits or scores: [C, H, W] -> int32 [H, W], [N, C, H, W] -> int32 [N, H, W]. The first maximum
 * wins (torch.argmax); NaN counts as the maximum (as torch).
 */
export function argmaxClasses(logits: Tensor): Tensor<'int32'> {
  if (!(logits instanceof Tensor))
    throw new TypeError(`argmaxClasses: logits: expected a Tensor, got ${describeValue(logits)}`);
  if (logits.dtype !== 'float32') throw new DTypeError(`argmaxClasses: logits: expected float32, got ${logits.dtype}`);
  if (logits.rank !== 3 && logits.rank !== 4) {
    throw new ShapeError(`argmaxClasses: logits: expected [C, H, W] or [N, C, H, W], got ${formatShape(logits.shape)}`);
  }
  const [n, c, h, w] = logits.rank === 4 ? logits.shape : [1, ...logits.shape];
  const plane = h! * w!;
  const src = logits.data as Float32Array;
  const out = new Int32Array(n! * plane);
  for (let b = 0; b < n!; b++) {
    for (let p = 0; p < plane; p++) {
      let best = 0;
      let bestV = src[b * c! * plane + p]!;
      for (let k = 1; k < c! && !Number.isNaN(bestV); k++) {
        const v = src[(b * c! + k) * plane + p]!;
        if (v > bestV || Number.isNaN(v)) {
          best = k;
          bestV = v;
        }
      }
      out[b * plane + p] = best;
    }
  }
  return new Tensor('int32', logits.rank === 4 ? [n!, h!, w!] : [h!, w!], out);
}

/**
 * Nearest resize of a label map [H, W] to [outH, outW] as torch.nn.functional.interpolate(mode='nearest'):
 * source index floor(dst * in / out) (clamped), so ids are never mixed.
 */
export function resizeLabels(labels: Tensor, size: readonly [number, number]): Tensor<'int32'> {
  const src = labelsOf(labels, 'resizeLabels: labels');
  const [h, w] = hw(labels, 'resizeLabels: labels');
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0)) {
    throw new RangeError(
      `resizeLabels: size: expected [height, width] of positive integers, got ${describeValue(size)}`,
    );
  }
  const [oh, ow] = size;
  const sy = Math.fround(h / oh);
  const sx = Math.fround(w / ow);
  const xs = new Int32Array(ow);
  for (let x = 0; x < ow; x++) xs[x] = Math.min(Math.floor(Math.fround(x * sx)), w - 1);
  const out = new Int32Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    const row = Math.min(Math.floor(Math.fround(y * sy)), h - 1) * w;
    for (let x = 0; x < ow; x++) out[y * ow + x] = src[row + xs[x]!]!;
  }
  return new Tensor('int32', [oh, ow], out);
}

/** The Pascal VOC colour map (bit-interleaved, as the VOC devkit's `labelcolormap`): n RGB triples. */
export function vocPalette(n = 256): Uint8Array {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`vocPalette: n: expected a positive integer, got ${describeValue(n)}`);
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    let c = i;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let j = 0; j < 8; j++) {
      r |= ((c >> 0) & 1) << (7 - j);
      g |= ((c >> 1) & 1) << (7 - j);
      b |= ((c >> 2) & 1) << (7 - j);
      c >>= 3;
    }
    out.set([r, g, b], 3 * i);
  }
  return out;
}

function checkPalette(palette: Uint8Array, maxId: number, ctx: string): void {
  if (!(palette instanceof Uint8Array) || palette.length % 3 !== 0) {
    throw new TypeError(`${ctx}: palette: expected a Uint8Array of RGB triples, got ${describeValue(palette)}`);
  }
  if (maxId >= palette.length / 3) {
    throw new RangeError(`${ctx}: labels: class id ${maxId} has no colour (palette of ${palette.length / 3})`);
  }
}

/** Colours of a label map: uint8 [H, W, 3] (class id k -> palette[3k..3k+2]). Negative ids are a RangeError. */
export function colorize(labels: Tensor, palette: Uint8Array = vocPalette()): Tensor<'uint8'> {
  const ids = labelsOf(labels, 'colorize: labels');
  const [h, w] = hw(labels, 'colorize: labels');
  let max = 0;
  for (const v of ids) {
    if (v < 0) throw new RangeError(`colorize: labels: expected non-negative class ids, got ${v}`);
    if (v > max) max = v;
  }
  checkPalette(palette, max, 'colorize');
  const out = new Uint8Array(3 * ids.length);
  for (let i = 0; i < ids.length; i++) out.set(palette.subarray(3 * ids[i]!, 3 * ids[i]! + 3), 3 * i);
  return new Tensor('uint8', [h, w, 3], out);
}

export interface OverlayOptions {
  /** Weight of the colour (default 0.5). */
  readonly alpha?: number;
  /** Default vocPalette(). */
  readonly palette?: Uint8Array;
  /** Class ids left uncoloured (default [0], the background). */
  readonly skip?: readonly number[];
}

/** Blends the colours of `labels` into an RGB image uint8 [H, W, 3]: round((1 - alpha) * image + alpha * colour). */
export function overlay(image: Tensor, labels: Tensor, options: OverlayOptions = {}): Tensor<'uint8'> {
  if (!(image instanceof Tensor) || image.dtype !== 'uint8' || image.rank !== 3 || image.shape[2] !== 3) {
    throw new ShapeError(`overlay: image: expected a uint8 [H, W, 3] tensor, got ${describeValue(image)}`);
  }
  const [h, w] = hw(labels, 'overlay: labels');
  if (image.shape[0] !== h || image.shape[1] !== w) {
    throw new ShapeError(
      `overlay: labels ${formatShape(labels.shape)} must match the image ${formatShape(image.shape)}`,
    );
  }
  const alpha = options.alpha ?? 0.5;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`overlay: alpha: expected a number in [0, 1], got ${describeValue(alpha)}`);
  }
  const skip = new Set(options.skip ?? [0]);
  const colours = colorize(labels, options.palette ?? vocPalette()).data;
  const ids = labelsOf(labels, 'overlay: labels');
  const src = image.data as Uint8Array;
  const out = Uint8Array.from(src);
  for (let i = 0; i < ids.length; i++) {
    if (skip.has(ids[i]!)) continue;
    for (let k = 0; k < 3; k++)
      out[3 * i + k] = Math.round((1 - alpha) * src[3 * i + k]! + alpha * colours[3 * i + k]!);
  }
  return new Tensor('uint8', [h, w, 3], out);
}
