/**
 * Pixel noise and information loss: Gaussian noise, erasing a rectangle (cutout / random erasing) and grid
 * dropout. Image-only except where noted.
 *
 * Gaussian noise draws its normals from noise-table.ts's 65,536 quantiles of N(0, 1), indexed by 16 random bits:
 * two normals per draw of a xoshiro128** stream seeded by four draws of the caller's `Rng`.
 */
import type { Rng } from '@striate/core';
import { finite, integer, nonNegative } from './internal/check.js';
import { noiseOffsets } from './noise-table.js';
import { assertImage, type ImageU8 } from './sample.js';
import { gaussianNoiseWasm } from './wasm/ops.js';

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Adds N(mean, std^2) noise (uint8 units) independently to every value, rounding half up and clamping to
 * [0, 255]. `perChannel: false` draws one value per pixel for all its channels.
 */
export function gaussianNoise(image: ImageU8, rng: Rng, std: number, mean = 0, perChannel = true): ImageU8 {
  const fn = 'gaussianNoise';
  assertImage(image, fn);
  const s = nonNegative(std, fn, 'std');
  const m = finite(mean, fn, 'mean');
  const { data, channels: c } = image;
  const offsets = noiseOffsets(s, m);
  const n = data.length;
  // A local xoshiro128** stream seeded with four draws of `rng` (inlined: a method call per value costs more than
  // the rest of the loop). The caller's generator advances by exactly four draws.
  let s0 = rng.nextUint32() | 0;
  let s1 = rng.nextUint32() | 0;
  let s2 = rng.nextUint32() | 0;
  let s3 = rng.nextUint32() | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  if (perChannel) {
    const fast = gaussianNoiseWasm(data, offsets, [s0, s1, s2, s3]); // WebAssembly, the same stream and bytes
    if (fast) return { ...image, data: fast };
  }
  const out = new Uint8Array(data.length);
  const next = (): number => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return r;
  };
  // Uint8ClampedArray stores clamp to [0, 255] (the sums are integers: no rounding).
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, n);
  if (perChannel) {
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const r = next();
      clamped[i] = data[i]! + offsets[r & 0xffff]!;
      clamped[i + 1] = data[i + 1]! + offsets[r >>> 16]!;
    }
    if (i < n) clamped[i] = data[i]! + offsets[next() & 0xffff]!;
  } else {
    for (let p = 0; p < n; p += c) {
      const z = offsets[next() & 0xffff]!;
      for (let k = 0; k < c; k++) clamped[p + k] = data[p + k]! + z;
    }
  }
  return { ...image, data: out };
}

/**
 * Fills the rectangle `[top, top + height) x [left, left + width)` (clipped to the image) with `value`: a number,
 * one value per channel, or `'random'` (uniform integers from `rng`, per value, as torchvision's
 * `value='random'`, which draws normals; uniform bytes are used here).
 */
export function erase(
  image: ImageU8,
  top: number,
  left: number,
  height: number,
  width: number,
  value: number | readonly number[] | 'random' = 0,
  rng?: Rng,
): ImageU8 {
  const fn = 'erase';
  assertImage(image, fn);
  integer(top, fn, 'top');
  integer(left, fn, 'left');
  integer(height, fn, 'height', 0);
  integer(width, fn, 'width', 0);
  const { data, height: h, width: w, channels: c } = image;
  const fill = fillValues(value, c, fn);
  if (value === 'random' && !rng) throw new TypeError(`${fn}: rng: value 'random' needs an Rng`);
  const out = data.slice();
  const y0 = Math.max(0, top);
  const y1 = Math.min(h, top + height);
  const x0 = Math.max(0, left);
  const x1 = Math.min(w, left + width);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = fill ? fill[k]! : rng!.nextUint32() & 255;
    }
  }
  return { ...image, data: out };
}

function fillValues(value: number | readonly number[] | 'random', c: number, fn: string): Uint8Array | null {
  if (value === 'random') return null;
  const arr = typeof value === 'number' ? new Array<number>(c).fill(value) : [...value];
  if (arr.length !== c) throw new RangeError(`${fn}: value: expected a number or ${c} values, got ${arr.length}`);
  return Uint8Array.from(arr, (v, k) => {
    finite(v, fn, `value[${k}]`);
    if (v < 0 || v > 255) throw new RangeError(`${fn}: value[${k}]: expected a value in [0, 255], got ${v}`);
    return Math.round(v);
  });
}

/**
 * Grid dropout (albumentations `GridDropout`): the image is tiled into `unit x unit` cells starting at
 * `(shiftY, shiftX)`; in each cell the top-left `round(unit * ratio)` square is filled with `value`. Also applied to
 * masks by the transform class (with fill 0).
 */
export function gridDropout(
  image: ImageU8,
  unit: number,
  ratio: number,
  shiftX = 0,
  shiftY = 0,
  value: number | readonly number[] = 0,
): ImageU8 {
  const fn = 'gridDropout';
  assertImage(image, fn);
  integer(unit, fn, 'unit', 2);
  const r = finite(ratio, fn, 'ratio');
  if (r <= 0 || r >= 1) throw new RangeError(`${fn}: ratio: expected a value in (0, 1), got ${r}`);
  integer(shiftX, fn, 'shiftX', 0);
  integer(shiftY, fn, 'shiftY', 0);
  const fill = fillValues(value, image.channels, fn) as Uint8Array;
  const hole = Math.max(1, Math.round(unit * r));
  const { height: h, width: w, channels: c } = image;
  const out = image.data.slice();
  for (let y = 0; y < h; y++) {
    const cy = (((y - shiftY) % unit) + unit) % unit;
    if (cy >= hole) continue;
    for (let x = 0; x < w; x++) {
      const cx = (((x - shiftX) % unit) + unit) % unit;
      if (cx >= hole) continue;
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = fill[k]!;
    }
  }
  return { ...image, data: out };
}
