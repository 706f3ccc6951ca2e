/**
 * YOLO's HSV jitter (ultralytics `augment_hsv`) on OpenCV's uint8 HSV (hue in [0, 180), saturation and value in
 * [0, 255]): the image goes to HSV with OpenCV's fixed-point `RGB2HSV_b` (12-bit reciprocal tables), each channel
 * through a lookup table `hue: trunc(x * gh) mod 180`, `sat: clip(x * gs)`, `val: clip(x * gv)`, and back with
 * OpenCV's `HSV2RGB_b` (float sectors, rounded). Image-only.
 */
import { finite } from './internal/check.js';
import { assertImage, assertRgb, type ImageU8 } from './sample.js';
import { hsvGainsWasm } from './wasm/ops.js';

const SHIFT = 12;
const HALF = 1 << (SHIFT - 1);
/** OpenCV's 12-bit reciprocal tables of `RGB2HSV_b` (also read by the WebGPU kernels). */
export const SDIV = new Int32Array(256);
export const HDIV = new Int32Array(256);
for (let i = 1; i < 256; i++) {
  SDIV[i] = Math.round((255 << SHIFT) / i);
  HDIV[i] = Math.round((180 << SHIFT) / (6 * i));
}

/** OpenCV's uint8 RGB -> HSV of one pixel, packed as `h | s << 8 | v << 16`. */
function rgbToHsvPacked(r: number, g: number, b: number): number {
  let v = r;
  if (g > v) v = g;
  if (b > v) v = b;
  let vmin = r;
  if (g < vmin) vmin = g;
  if (b < vmin) vmin = b;
  const diff = v - vmin;
  const s = (diff * SDIV[v]! + HALF) >> SHIFT;
  let h: number;
  if (v === r) h = g - b;
  else if (v === g) h = b - r + 2 * diff;
  else h = r - g + 4 * diff;
  h = (h * HDIV[diff]! + HALF) >> SHIFT;
  if (h < 0) h += 180;
  return h | (s << 8) | (v << 16);
}

/** RGB -> OpenCV HSV (uint8, hue in [0, 180)) for a whole image. */
export function rgbToHsv(image: ImageU8): ImageU8 {
  assertImage(image, 'rgbToHsv');
  assertRgb(image, 'rgbToHsv');
  const { data } = image;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    const hsv = rgbToHsvPacked(data[i]!, data[i + 1]!, data[i + 2]!);
    out[i] = hsv & 255;
    out[i + 1] = (hsv >> 8) & 255;
    out[i + 2] = hsv >> 16;
  }
  return { ...image, data: out };
}

const HSCALE = 6 / 180;

let multipliers: Float32Array | undefined;

/**
 * For every (hue, saturation) byte pair, the factors m_r, m_g, m_b with channel = v * m (OpenCV's `HSV2RGB`
 * sectors: each channel is one of v, v (1 - s), v (1 - s f), v (1 - s (1 - f))). Built once (180 x 256 x 3 floats).
 */
export function hsvMultipliers(): Float32Array {
  if (multipliers) return multipliers;
  const m = new Float32Array(180 * 256 * 3);
  for (let hh = 0; hh < 180; hh++) {
    for (let ss = 0; ss < 256; ss++) {
      const o = (hh * 256 + ss) * 3;
      if (ss === 0) {
        m[o] = m[o + 1] = m[o + 2] = 1;
        continue;
      }
      const s = ss / 255;
      const h = hh * HSCALE;
      const sector = Math.floor(h);
      const f = h - sector;
      const tab = [1, 1 - s, 1 - s * f, 1 - s * (1 - f)];
      // (r, g, b) per sector, indices into tab: v = 0, p = 1, q = 2, t = 3.
      const sel = [
        [0, 3, 1],
        [2, 0, 1],
        [1, 0, 3],
        [1, 2, 0],
        [3, 1, 0],
        [0, 1, 2],
      ][sector]!;
      m[o] = tab[sel[0]!]!;
      m[o + 1] = tab[sel[1]!]!;
      m[o + 2] = tab[sel[2]!]!;
    }
  }
  multipliers = m;
  return m;
}

let fixedFactors: Int32Array | undefined;

/**
 * `hsvMultipliers` in 24-bit fixed point, for the WebAssembly kernel: for each factor m the integer M with
 * `(v * M + 2^23) >>> 24 === trunc(v * m + 0.5)` (hsvToRgbPixel's float64 rounding) for every byte v, with
 * `255 M + 2^23 < 2^32`. M is the one nearest m 2^24 in the interval the 256 values of v allow (no single rounding
 * of m 2^24 is exact for all 3313 distinct factors); kernels.test.ts checks every (v, factor) pair.
 */
export function hsvFixedFactors(): Int32Array {
  if (fixedFactors) return fixedFactors;
  const m = hsvMultipliers();
  const out = new Int32Array(m.length);
  const memo = new Map<number, number>();
  for (let i = 0; i < m.length; i++) {
    const f = m[i]!;
    let fixed = memo.get(f);
    if (fixed === undefined) {
      // v M + 2^23 in [t 2^24, (t + 1) 2^24) for t = trunc(v f + 0.5) (v f is exact in float64): M in [lo, hi].
      let lo = 0;
      let hi = 2 ** 25;
      for (let v = 1; v < 256; v++) {
        const t = Math.floor(v * f + 0.5);
        lo = Math.max(lo, Math.ceil((t * 2 ** 24 - 2 ** 23) / v));
        hi = Math.min(hi, Math.floor(((t + 1) * 2 ** 24 - 2 ** 23 - 1) / v));
      }
      fixed = Math.min(Math.max(Math.round(f * 2 ** 24), lo), hi);
      if (lo > hi || 255 * fixed + 2 ** 23 >= 2 ** 32) throw new Error(`hsvFixedFactors: no 24-bit factor for ${f}`);
      memo.set(f, fixed);
    }
    out[i] = fixed;
  }
  fixedFactors = out;
  return out;
}

/** OpenCV HSV (uint8) -> RGB of one pixel: `round(v * m)` with the (h, s) multipliers. */
function hsvToRgbPixel(m: Float32Array, hh: number, ss: number, v: number, out: Uint8Array, o: number): void {
  const i = (hh * 256 + ss) * 3;
  out[o] = v * m[i]! + 0.5;
  out[o + 1] = v * m[i + 1]! + 0.5;
  out[o + 2] = v * m[i + 2]! + 0.5;
}

/** OpenCV HSV (uint8) -> RGB for a whole image. */
export function hsvToRgb(image: ImageU8): ImageU8 {
  assertImage(image, 'hsvToRgb');
  assertRgb(image, 'hsvToRgb');
  const { data } = image;
  const out = new Uint8Array(data.length);
  const m = hsvMultipliers();
  for (let i = 0; i < data.length; i += 3) {
    if (data[i]! >= 180) throw new RangeError(`hsvToRgb: image.data[${i}]: hue must be below 180, got ${data[i]}`);
    hsvToRgbPixel(m, data[i]!, data[i + 1]!, data[i + 2]!, out, i);
  }
  return { ...image, data: out };
}

/**
 * YOLO's HSV jitter with the gains drawn (`[gh, gs, gv]`, each `1 + uniform(-1, 1) * gain` in the transform): one
 * pass RGB -> HSV -> lookup tables -> RGB.
 */
export function hsvGains(image: ImageU8, gains: readonly [number, number, number]): ImageU8 {
  const fn = 'hsvGains';
  assertImage(image, fn);
  assertRgb(image, fn);
  const [gh, gs, gv] = gains.map((g, k) => finite(g, fn, `gains[${k}]`)) as [number, number, number];
  const lutH = new Uint8Array(256);
  const lutS = new Uint8Array(256);
  const lutV = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    // numpy: ((x * r) % 180).astype(uint8); Python's % is non-negative for a positive divisor.
    lutH[x] = Math.trunc((((x * gh) % 180) + 180) % 180);
    lutS[x] = Math.trunc(Math.min(Math.max(x * gs, 0), 255));
    lutV[x] = Math.trunc(Math.min(Math.max(x * gv, 0), 255));
  }
  const { data } = image;
  const fast = hsvGainsWasm(data, SDIV, HDIV, [lutH, lutS, lutV], hsvFixedFactors); // WebAssembly, same bytes
  if (fast) return { ...image, data: fast };
  const out = new Uint8Array(data.length);
  const m = hsvMultipliers();
  // rgbToHsvPacked and hsvToRgbPixel written out in one loop (no packing, the tables read once per pixel).
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const v = Math.max(r, g, b);
    const diff = v - Math.min(r, g, b);
    const sat = (diff * SDIV[v]! + HALF) >> SHIFT;
    let h = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
    h = (h * HDIV[diff]! + HALF) >> SHIFT;
    if (h < 0) h += 180;
    const vv = lutV[v]!;
    const k = (lutH[h]! * 256 + lutS[sat]!) * 3;
    out[i] = vv * m[k]! + 0.5;
    out[i + 1] = vv * m[k + 1]! + 0.5;
    out[i + 2] = vv * m[k + 2]! + 0.5;
  }
  return { ...image, data: out };
}
