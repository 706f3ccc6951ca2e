/**
 * Colour ops on HWC uint8 images with torchvision.transforms.v2's uint8 semantics (float32 arithmetic emulated
 * with `Math.fround`, results clamped to [0, 255] and truncated as torch's float -> uint8 cast does):
 * `adjustBrightness`, `adjustContrast`, `adjustSaturation`, `adjustHue`, `rgbToGrayscale`; plus albumentations'
 * affine `brightnessContrastAdjust`, per-channel shifts (`shiftChannels`) and AlexNet's PCA lighting noise
 * (`pcaLighting`). Image-only: boxes and masks are unchanged.
 * Where a result depends only on the input value it is a 256-entry lookup table.
 */

import { finite, nonNegative } from './internal/check.js';
import { assertImage, assertRgb, type ImageU8 } from './sample.js';
import { brightnessContrastWasm, lumaSumWasm, scaleOffsetWasm } from './wasm/ops.js';

const f32 = Math.fround;

function trunc8(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
}

/**
 * Maps every byte through the lookup table of its channel. Where the buffer is 4-byte aligned the loop reads and
 * writes 32-bit words (four lookups each; about three times faster than byte by byte in V8).
 */
function applyLut(image: ImageU8, luts: readonly Uint8Array[], into?: Uint8Array): ImageU8 {
  const { data, channels: c } = image;
  const out = into ?? new Uint8Array(data.length); // `into` may be `data` (each byte is read before it is written)
  const single = luts.length === 1 || luts.every((l) => l === luts[0]);
  let done = 0;
  if ((single || c === 3) && data.byteOffset % 4 === 0) {
    const words = Math.floor(data.length / 12) * 3;
    const src = new Uint32Array(data.buffer, data.byteOffset, words);
    const dst = new Uint32Array(out.buffer, 0, words);
    // Little-endian byte k of word w is channel (4 w + k) mod c: a 12-byte period for c = 3.
    const [a, b, d] = single ? [luts[0]!, luts[0]!, luts[0]!] : (luts as [Uint8Array, Uint8Array, Uint8Array]);
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    if (little) {
      for (let w = 0; w < words; w += 3) {
        const v0 = src[w]!;
        const v1 = src[w + 1]!;
        const v2 = src[w + 2]!;
        dst[w] = a[v0 & 255]! | (b[(v0 >>> 8) & 255]! << 8) | (d[(v0 >>> 16) & 255]! << 16) | (a[v0 >>> 24]! << 24);
        dst[w + 1] = b[v1 & 255]! | (d[(v1 >>> 8) & 255]! << 8) | (a[(v1 >>> 16) & 255]! << 16) | (b[v1 >>> 24]! << 24);
        dst[w + 2] = d[v2 & 255]! | (a[(v2 >>> 8) & 255]! << 8) | (b[(v2 >>> 16) & 255]! << 16) | (d[v2 >>> 24]! << 24);
      }
      done = words * 4;
    }
  }
  for (let i = done; i < data.length; i++) out[i] = luts[single ? 0 : i % c]![data[i]!]!;
  return { ...image, data: out };
}

function lut(fn: (v: number) => number): Uint8Array {
  const l = new Uint8Array(256);
  for (let v = 0; v < 256; v++) l[v] = fn(v);
  return l;
}

function colourImage(image: ImageU8, fn: string): void {
  assertImage(image, fn);
  if (image.channels !== 1 && image.channels !== 3) {
    throw new RangeError(`${fn}: image.channels: expected 1 or 3, got ${image.channels}`);
  }
}

/** torchvision `adjust_brightness`: `trunc(clamp(v * factor))`. */
export function adjustBrightness(image: ImageU8, factor: number): ImageU8 {
  colourImage(image, 'adjustBrightness');
  const f = f32(nonNegative(factor, 'adjustBrightness', 'factor'));
  // WebAssembly SIMD: trunc8(f32(f32(v * f) + 0)), the same bytes as the table.
  const data = scaleOffsetWasm(image.data, f, 0);
  if (data) return { ...image, data };
  return applyLut(image, [lut((v) => trunc8(f32(v * f)))]);
}

const W_R = f32(0.2989);
const W_G = f32(0.587);
const W_B = f32(0.114);
const TR = Float32Array.from({ length: 256 }, (_, v) => f32(v * W_R));
const TG = Float32Array.from({ length: 256 }, (_, v) => f32(v * W_G));
const TB = Float32Array.from({ length: 256 }, (_, v) => f32(v * W_B));

/** torchvision's float32 luma `0.2989 r + 0.587 g + 0.114 b` of one pixel (before floor/trunc). */
function luma(r: number, g: number, b: number): number {
  return f32(f32(TR[r]! + TG[g]!) + TB[b]!);
}

/**
 * `floor(luma(r, g, b))`, in integers: the float32 luma floors to `floor((2989 r + 5870 g + 1140 b) / 10000)` for
 * every one of the 2^24 triples except 20 exact multiples of 10000 that float32 rounds just below the integer
 * (color.test.ts checks all triples), so only exact multiples take the float32 path.
 */
export function flooredLuma(r: number, g: number, b: number): number {
  const l = 2989 * r + 5870 * g + 1140 * b;
  const q = (l / 10000) | 0;
  return q * 10000 === l ? Math.floor(luma(r, g, b)) : q;
}

/** The sum of `flooredLuma` over the pixels; four pixels (three 32-bit words) at a time where aligned. */
function flooredLumaSum(data: Uint8Array): number {
  let sum = 0;
  let i = 0;
  if (LITTLE_ENDIAN && data.byteOffset % 4 === 0) {
    const words = Math.floor(data.length / 12) * 3;
    const w = new Uint32Array(data.buffer, data.byteOffset, words);
    for (let k = 0; k < words; k += 3) {
      const a = w[k]!;
      const b = w[k + 1]!;
      const c = w[k + 2]!;
      sum += flooredLuma(a & 255, (a >>> 8) & 255, (a >>> 16) & 255);
      sum += flooredLuma(a >>> 24, b & 255, (b >>> 8) & 255);
      sum += flooredLuma((b >>> 16) & 255, b >>> 24, c & 255);
      sum += flooredLuma((c >>> 8) & 255, (c >>> 16) & 255, c >>> 24);
    }
    i = words * 4;
  }
  for (; i < data.length; i += 3) sum += flooredLuma(data[i]!, data[i + 1]!, data[i + 2]!);
  return sum;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** torchvision `rgb_to_grayscale` (uint8: truncated luma); 1 or 3 output channels. */
export function rgbToGrayscale(image: ImageU8, outChannels: 1 | 3 = 1): ImageU8 {
  const fn = 'rgbToGrayscale';
  assertImage(image, fn);
  if (outChannels !== 1 && outChannels !== 3)
    throw new RangeError(`${fn}: outChannels: expected 1 or 3, got ${outChannels}`);
  const { data, height, width, channels } = image;
  if (channels !== 1 && channels !== 3) throw new RangeError(`${fn}: image.channels: expected 1 or 3, got ${channels}`);
  const n = height * width;
  const out = new Uint8Array(n * outChannels);
  for (let p = 0; p < n; p++) {
    const g = channels === 1 ? data[p]! : flooredLuma(data[3 * p]!, data[3 * p + 1]!, data[3 * p + 2]!);
    if (outChannels === 1) out[p] = g;
    else out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = g;
  }
  return { data: out, height, width, channels: outChannels };
}

/** The contrast's offset `f32(mean * f32(1 - f))` from the sum of the floored luma (or of the bytes) of `pixels`. */
function contrastOffset(sum: number, pixels: number, f: number): number {
  const mean = f32(sum / pixels);
  return f32(mean * f32(1 - f));
}

/** The sum `adjustContrast`'s mean divides: of the floored luma (RGB) or of the bytes (grey). */
function contrastSum(data: Uint8Array, channels: number): number {
  if (channels === 3) return lumaSumWasm(data) ?? flooredLumaSum(data);
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  return sum;
}

/** torchvision `adjust_contrast`: blend with the mean of the floored luma: `trunc(clamp(v f + mean (1 - f)))`. */
export function adjustContrast(image: ImageU8, factor: number): ImageU8 {
  const fn = 'adjustContrast';
  colourImage(image, fn);
  const f = f32(nonNegative(factor, fn, 'factor'));
  const { data, channels } = image;
  const offset = contrastOffset(contrastSum(data, channels), data.length / channels, f);
  const out = scaleOffsetWasm(data, f, offset); // WebAssembly SIMD, the same bytes as the table
  if (out) return { ...image, data: out };
  return applyLut(image, [lut((v) => trunc8(f32(f32(v * f) + offset)))]);
}

export interface BrightnessContrastOptions {
  /** Apply the contrast first (its mean from the input), then the brightness. Default false: brightness first. */
  contrastFirst?: boolean;
}

/**
 * `adjustContrast(adjustBrightness(image, brightness), contrast)` (or the other order with `contrastFirst`) in
 * one op, the same bytes: the contrast's mean is that of its own input. The WebAssembly path copies the image in
 * and out once (instead of twice); the JavaScript path makes one array and, brightness first, applies the
 * brightness table, sums the luma of the result and applies the contrast table in place (contrast first: the
 * mean of the input, then one pass of the two tables composed). ColorJitter uses it where the two are adjacent.
 */
export function adjustBrightnessContrast(
  image: ImageU8,
  brightness: number,
  contrast: number,
  opts: BrightnessContrastOptions = {},
): ImageU8 {
  const fn = 'adjustBrightnessContrast';
  colourImage(image, fn);
  const fb = f32(nonNegative(brightness, fn, 'brightness'));
  const fc = f32(nonNegative(contrast, fn, 'contrast'));
  const contrastFirst = opts.contrastFirst ?? false;
  if (typeof contrastFirst !== 'boolean') {
    throw new TypeError(`${fn}: opts.contrastFirst: expected a boolean, got ${typeof contrastFirst}`);
  }
  const { data, channels } = image;
  const pixels = data.length / channels;
  if (channels === 3) {
    const out = brightnessContrastWasm(data, fb, contrastFirst, (sum) => [fc, contrastOffset(sum, pixels, fc)]);
    if (out) return { ...image, data: out };
  }
  const lb = lut((v) => trunc8(f32(v * fb)));
  const contrastLut = (offset: number) => lut((v) => trunc8(f32(f32(v * fc) + offset)));
  if (contrastFirst) {
    const lc = contrastLut(contrastOffset(contrastSum(data, channels), pixels, fc));
    return applyLut(image, [lut((v) => lb[lc[v]!]!)]);
  }
  const mid = applyLut(image, [lb]);
  const lc = contrastLut(contrastOffset(contrastSum(mid.data, channels), pixels, fc));
  return applyLut(mid, [lc], mid.data);
}

export interface BrightnessContrastAdjustOptions {
  /**
   * albumentations' `beta_by_max` (default true): the offset is `beta * 255`; false: `alpha * beta * mean`, the
   * mean of all bytes of the image.
   */
  betaByMax?: boolean;
}

/**
 * albumentations `brightness_contrast_adjust` (RandomBrightnessContrast) on uint8: one byte map
 * `trunc(clamp(f32(f32(v * alpha) + f32(beta * 255))))` (its float32 lookup table), the same op as OpenCV's
 * `convertScaleAbs`/`LUT` affine maps. alpha scales (contrast), beta shifts by a fraction of 255 (brightness).
 * Unlike torchvision's `adjustBrightnessContrast` there is no luma mean (with `betaByMax: false`, a mean of the
 * bytes). Any channel count.
 */
export function brightnessContrastAdjust(
  image: ImageU8,
  alpha: number,
  beta: number,
  opts: BrightnessContrastAdjustOptions = {},
): ImageU8 {
  const fn = 'brightnessContrastAdjust';
  assertImage(image, fn);
  const a = f32(finite(alpha, fn, 'alpha'));
  finite(beta, fn, 'beta');
  const byMax = opts.betaByMax ?? true;
  if (typeof byMax !== 'boolean') throw new TypeError(`${fn}: opts.betaByMax: expected a boolean, got ${typeof byMax}`);
  const { data } = image;
  let off: number;
  if (byMax) off = f32(beta * 255);
  else {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[i]!;
    off = f32(alpha * beta * (data.length ? sum / data.length : 0));
  }
  const out = scaleOffsetWasm(data, a, off); // WebAssembly SIMD, the same bytes as the table
  if (out) return { ...image, data: out };
  return applyLut(image, [lut((v) => trunc8(f32(f32(v * a) + off)))]);
}

/** torchvision `adjust_saturation`: per pixel blend with its floored luma. Single-channel images are returned as is. */
export function adjustSaturation(image: ImageU8, factor: number): ImageU8 {
  const fn = 'adjustSaturation';
  colourImage(image, fn);
  const f = f32(nonNegative(factor, fn, 'factor'));
  if (image.channels === 1) return { ...image, data: image.data.slice() };
  const a = Float32Array.from({ length: 256 }, (_, v) => f32(v * f));
  const b = Float32Array.from({ length: 256 }, (_, v) => f32(v * f32(1 - f)));
  const { data } = image;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const bl = data[i + 2]!;
    const gray = b[flooredLuma(r, g, bl)]!;
    out[i] = trunc8(f32(a[r]! + gray));
    out[i + 1] = trunc8(f32(a[g]! + gray));
    out[i + 2] = trunc8(f32(a[bl]! + gray));
  }
  return { ...image, data: out };
}

/**
 * torchvision `adjust_hue` (`hueFactor` in [-0.5, 0.5]): RGB -> HSV (PIL's formulas), hue shifted modulo 1,
 * HSV -> RGB, back to uint8 as `trunc(x * 255.999)`. Single-channel images are returned as is.
 */
export function adjustHue(image: ImageU8, hueFactor: number): ImageU8 {
  const fn = 'adjustHue';
  colourImage(image, fn);
  const hf = finite(hueFactor, fn, 'hueFactor');
  if (hf < -0.5 || hf > 0.5) throw new RangeError(`${fn}: hueFactor: expected a value in [-0.5, 0.5], got ${hf}`);
  if (image.channels === 1) return { ...image, data: image.data.slice() };
  const { data } = image;
  const out = new Uint8Array(data.length);
  const inv255 = f32(1 / 255);
  const scale = 255 + 1 - 1e-3;
  const tab = new Float64Array(4);
  for (let i = 0; i < data.length; i += 3) {
    const r = f32(data[i]! * inv255);
    const g = f32(data[i + 1]! * inv255);
    const b = f32(data[i + 2]! * inv255);
    const maxc = Math.max(r, g, b);
    const minc = Math.min(r, g, b);
    const range = maxc - minc;
    let h = 0;
    let s = 0;
    if (range > 0) {
      s = range / maxc;
      const rc = (maxc - r) / range;
      const gc = (maxc - g) / range;
      const bc = (maxc - b) / range;
      if (maxc === r) h = bc - gc;
      else if (maxc === g) h = 2 + rc - bc;
      else h = 4 + gc - rc;
      h = (h / 6 + 1) % 1;
    }
    h = (((h + hf) % 1) + 1) % 1;
    const h6 = h * 6;
    const sector = Math.floor(h6);
    const fr = h6 - sector;
    const v = maxc;
    tab[0] = v;
    tab[1] = Math.min(Math.max((1 - s) * v, 0), 1);
    tab[2] = Math.min(Math.max((1 - s * fr) * v, 0), 1);
    tab[3] = Math.min(Math.max((s * fr + (1 - s)) * v, 0), 1);
    const k = ((sector % 6) + 6) % 6;
    out[i] = trunc8(tab[SEL_R[k]!]! * scale);
    out[i + 1] = trunc8(tab[SEL_G[k]!]! * scale);
    out[i + 2] = trunc8(tab[SEL_B[k]!]! * scale);
  }
  return { ...image, data: out };
}

// torchvision's vpqt selection per sector: (v, p, q, t) = tab[0..3].
const SEL_R = [0, 2, 1, 1, 3, 0];
const SEL_G = [3, 0, 0, 2, 1, 1];
const SEL_B = [1, 1, 3, 0, 0, 2];

/** Adds a constant per channel (e.g. `[-20, 20, 20]`), rounding to nearest and clamping to [0, 255]. */
export function shiftChannels(image: ImageU8, shifts: readonly number[]): ImageU8 {
  const fn = 'shiftChannels';
  assertImage(image, fn);
  if (!Array.isArray(shifts) || shifts.length !== image.channels) {
    throw new RangeError(`${fn}: shifts: expected ${image.channels} values (one per channel), got ${shifts?.length}`);
  }
  const luts = shifts.map((s, k) => {
    const d = finite(s, fn, `shifts[${k}]`);
    return lut((v) => Math.min(255, Math.max(0, Math.round(v + d))));
  });
  return applyLut(image, luts);
}

/** AlexNet's PCA lighting: eigenvalues and eigenvectors of ImageNet's RGB covariance (pixels in [0, 1]). */
export const IMAGENET_PCA = Object.freeze({
  eigval: Object.freeze([0.2175, 0.0188, 0.0045]),
  eigvec: Object.freeze([
    Object.freeze([-0.5675, 0.7192, 0.4009]),
    Object.freeze([-0.5808, -0.0045, -0.814]),
    Object.freeze([-0.5836, -0.6948, 0.4203]),
  ]),
});

/**
 * The per-channel RGB offset (in uint8 units) of AlexNet's lighting noise for the draws `alpha` (3 values, each
 * N(0, alphaStd) in the transform): `255 * eigvec @ (alpha * eigval)`.
 */
export function pcaOffsets(alpha: readonly [number, number, number]): [number, number, number] {
  const { eigval, eigvec } = IMAGENET_PCA;
  const out: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    let s = 0;
    for (let k = 0; k < 3; k++) s += eigvec[r]![k]! * alpha[k]! * eigval[k]!;
    out[r] = 255 * s;
  }
  return out;
}

/** Adds AlexNet's PCA lighting offset for the given `alpha` draws to an RGB image. */
export function pcaLighting(image: ImageU8, alpha: readonly [number, number, number]): ImageU8 {
  const fn = 'pcaLighting';
  assertImage(image, fn);
  assertRgb(image, fn);
  if (!Array.isArray(alpha) || alpha.length !== 3) throw new TypeError(`${fn}: alpha: expected 3 numbers`);
  for (let k = 0; k < 3; k++) finite(alpha[k], fn, `alpha[${k}]`);
  return shiftChannels(image, pcaOffsets(alpha));
}
