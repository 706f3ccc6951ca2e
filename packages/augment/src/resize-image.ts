/**
 * Image and mask resizing with torchvision's semantics.
 *
 * - bilinear (`antialias: true`, torchvision's default): the separable triangle filter of PyTorch's
 *   `_upsample_bilinear2d_aa` / PIL's `resize(BILINEAR)`: output pixel i is centred at `scale * (i + 0.5)` in the
 *   input, taps within `max(scale, 1)` of it, weights `max(0, 1 - |d| / max(scale, 1))` normalised. Upsampling
 *   reduces to align_corners=False bilinear with edge clamping. Weights are 14-bit fixed point and the horizontal
 *   pass is rounded to uint8 before the vertical one (as the uint8 paths of PIL and PyTorch do), so results are
 *   within one level of torchvision's.
 * - bilinear with `antialias: false`: the same with support 1 at every scale (`F.interpolate(mode='bilinear',
 *   align_corners=False)`, OpenCV's INTER_LINEAR).
 * - nearest (masks): `src = floor(dst * (in / out))` in float32, as `F.interpolate(mode='nearest')`.
 */
import type { ImageU8 } from './sample.js';
import { resizeRgbWasm } from './wasm/ops.js';

const BITS = 14;
const ONE = 1 << BITS;
const HALF = 1 << (BITS - 1);

/** Separable resize taps: per output index, the first input, the tap count and 14-bit weights (maxK per output). */
export interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  maxK: number;
}

export function computeTaps(inSize: number, outSize: number, antialias: boolean): Taps {
  const scale = inSize / outSize;
  const support = antialias && scale > 1 ? scale : 1;
  const invScale = antialias && scale > 1 ? 1 / scale : 1;
  const maxK = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * maxK);
  const tmp = new Float64Array(maxK);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
    const n = Math.min(xmax - xmin, maxK);
    let total = 0;
    for (let k = 0; k < n; k++) {
      const x = (k + xmin - center + 0.5) * invScale;
      const wgt = Math.max(0, 1 - Math.abs(x));
      tmp[k] = wgt;
      total += wgt;
    }
    // Fixed point: rounded weights, the rounding error put on the largest so that they sum to exactly ONE.
    let sum = 0;
    let big = 0;
    for (let k = 0; k < n; k++) {
      const q = Math.round((tmp[k]! / total) * ONE);
      weights[i * maxK + k] = q;
      sum += q;
      if (q > weights[i * maxK + big]!) big = k;
    }
    weights[i * maxK + big] = weights[i * maxK + big]! + (ONE - sum);
    start[i] = xmin;
    count[i] = n;
  }
  return { start, count, weights, maxK };
}

const tapsCache = new Map<string, Taps>();

function taps(inSize: number, outSize: number, antialias: boolean): Taps {
  const key = `${inSize}:${outSize}:${antialias ? 1 : 0}`;
  let t = tapsCache.get(key);
  if (!t) {
    t = computeTaps(inSize, outSize, antialias);
    if (tapsCache.size > 64) tapsCache.clear();
    tapsCache.set(key, t);
  }
  return t;
}

/**
 * The taps padded to `k` per output (k = 2, 4 or 6), as a window of k consecutive inputs starting at `offsets[i]`
 * (in elements of a row with `c` channels; the window is moved left where it would pass the end) with weight 0 on
 * the padding, so the sums are unchanged and the inner loops have a fixed length. Needs `inSize >= k`.
 */
interface Padded {
  k: number;
  offsets: Int32Array;
  weights: Int32Array;
}

const paddedCache = new WeakMap<Taps, Map<number, Padded | null>>();

/** `computePadded`, kept per (cached) taps and channel count: the same object for the same resize. */
function padTaps(t: Taps, c: number, inSize: number): Padded | undefined {
  let byC = paddedCache.get(t);
  if (!byC) {
    byC = new Map();
    paddedCache.set(t, byC);
  }
  let p = byC.get(c);
  if (p === undefined) {
    p = computePadded(t, c, inSize) ?? null;
    byC.set(c, p);
  }
  return p ?? undefined;
}

function computePadded(t: Taps, c: number, inSize: number): Padded | undefined {
  let n = 0;
  for (let i = 0; i < t.count.length; i++) n = Math.max(n, t.count[i]!);
  const k = n <= 2 ? 2 : n <= 4 ? 4 : n <= 6 ? 6 : 0;
  if (k === 0 || inSize < k) return undefined;
  const size = t.count.length;
  const offsets = new Int32Array(size);
  const weights = new Int32Array(size * k);
  for (let i = 0; i < size; i++) {
    const first = Math.min(t.start[i]!, inSize - k);
    const shift = t.start[i]! - first;
    offsets[i] = first * c;
    for (let j = 0; j < t.count[i]!; j++) weights[i * k + shift + j] = t.weights[i * t.maxK + j]!;
  }
  return { k, offsets, weights };
}

// Weights are non-negative and sum to ONE, so every sum below is in [0, 255 ONE + HALF]: no clamping needed.

/** Horizontal pass over rows [r0, r1) of `src` into `dst` (rows r1 - r0, width outW). */
function horizontal(win: RowWindow, c: number, outW: number, t: Taps, r0: number, r1: number, dst: Uint8Array): void {
  const { data, base, stride, width: w } = win;
  const p = c === 3 ? padTaps(t, 3, w) : undefined;
  if (p) {
    horizontal3(data, base, stride, outW, p, r0, r1, dst);
    return;
  }
  const { start, count, weights, maxK } = t;
  for (let y = r0; y < r1; y++) {
    const srow = base + y * stride;
    const drow = (y - r0) * outW * c;
    for (let x = 0; x < outW; x++) {
      const n = count[x]!;
      const wb = x * maxK;
      const sb = srow + start[x]! * c;
      const d = drow + x * c;
      for (let ch = 0; ch < c; ch++) {
        let a = HALF;
        for (let k = 0, s = sb + ch; k < n; k++, s += c) a += weights[wb + k]! * data[s]!;
        dst[d + ch] = a >> BITS;
      }
    }
  }
}

/** The RGB horizontal pass with 2, 4 or 6 consecutive taps per output pixel, unrolled. */
function horizontal3(
  data: Uint8Array,
  base: number,
  stride: number,
  outW: number,
  p: Padded,
  r0: number,
  r1: number,
  dst: Uint8Array,
): void {
  const { k, offsets: of, weights: wt } = p;
  let d = 0;
  for (let y = r0; y < r1; y++) {
    const row = base + y * stride;
    for (let x = 0, t = 0; x < outW; x++, t += k, d += 3) {
      const s = row + of[x]!;
      const w0 = wt[t]!;
      const w1 = wt[t + 1]!;
      let a0 = HALF + w0 * data[s]! + w1 * data[s + 3]!;
      let a1 = HALF + w0 * data[s + 1]! + w1 * data[s + 4]!;
      let a2 = HALF + w0 * data[s + 2]! + w1 * data[s + 5]!;
      if (k >= 4) {
        const w2 = wt[t + 2]!;
        const w3 = wt[t + 3]!;
        a0 += w2 * data[s + 6]! + w3 * data[s + 9]!;
        a1 += w2 * data[s + 7]! + w3 * data[s + 10]!;
        a2 += w2 * data[s + 8]! + w3 * data[s + 11]!;
        if (k === 6) {
          const w4 = wt[t + 4]!;
          const w5 = wt[t + 5]!;
          a0 += w4 * data[s + 12]! + w5 * data[s + 15]!;
          a1 += w4 * data[s + 13]! + w5 * data[s + 16]!;
          a2 += w4 * data[s + 14]! + w5 * data[s + 17]!;
        }
      }
      dst[d] = a0 >> BITS;
      dst[d + 1] = a1 >> BITS;
      dst[d + 2] = a2 >> BITS;
    }
  }
}

/** A rectangle of an image's rows: `height` rows of `width` pixels, the first at `base`, `stride` elements apart. */
interface RowWindow {
  data: Uint8Array;
  base: number;
  stride: number;
  height: number;
  width: number;
}

/** The part of an image a resize reads: `[top, top + height) x [left, left + width)`, inside the image. */
export interface CropWindow {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Resizes an image, or the `crop` window of it (read in place, no crop copy; it must lie inside the image), to
 * `[outH, outW]` with (antialiased) bilinear filtering. `resizeBilinear(img, oh, ow, aa, win)` gives the bytes of
 * resizing the cropped image.
 */
export function resizeBilinear(
  src: ImageU8,
  outH: number,
  outW: number,
  antialias: boolean,
  crop?: CropWindow,
): ImageU8 {
  const c = src.channels;
  const h = crop ? crop.height : src.height;
  const w = crop ? crop.width : src.width;
  if (
    crop &&
    (crop.top < 0 || crop.left < 0 || h < 1 || w < 1 || crop.top + h > src.height || crop.left + w > src.width)
  ) {
    throw new RangeError(
      `resizeBilinear: crop: expected a window inside the ${src.height}x${src.width} image, got top ${crop.top}, ` +
        `left ${crop.left}, height ${h}, width ${w}`,
    );
  }
  const stride = src.width * c;
  const win: RowWindow = {
    data: src.data,
    base: crop ? crop.top * stride + crop.left * c : 0,
    stride,
    height: h,
    width: w,
  };
  const tx = taps(w, outW, antialias);
  const ty = taps(h, outH, antialias);
  const p = padTaps(ty, 1, h); // offsets: first input row of each window
  if (c === 3 && p) {
    // Both passes in WebAssembly SIMD where the windows have a fixed length (same bytes as below).
    const px = outW === w ? null : (padTaps(tx, 3, w) ?? null);
    const data = outW === w || px ? resizeRgbWasm(src.data, win.base, stride, w, outH, outW, px, p) : null;
    if (data) return { data, height: outH, width: outW, channels: c };
  }
  // Horizontal pass on the rows the vertical pass reads.
  let r0 = h;
  let r1 = 0;
  for (let y = 0; y < outH; y++) {
    const first = p ? p.offsets[y]! : ty.start[y]!;
    r0 = Math.min(r0, first);
    r1 = Math.max(r1, first + (p ? p.k : ty.count[y]!));
  }
  const rowLen = outW * c;
  const mid = new Uint8Array((r1 - r0) * rowLen);
  if (outW === w) {
    for (let y = r0; y < r1; y++) {
      const s = win.base + y * stride;
      mid.set(src.data.subarray(s, s + rowLen), (y - r0) * rowLen);
    }
  } else {
    horizontal(win, c, outW, tx, r0, r1, mid);
  }
  const out = new Uint8Array(outH * rowLen);
  if (p) {
    vertical(mid, rowLen, outH, p, r0, out);
    return { data: out, height: outH, width: outW, channels: c };
  }
  const acc = new Int32Array(rowLen);
  for (let y = 0; y < outH; y++) {
    const n = ty.count[y]!;
    const wb = y * ty.maxK;
    const b0 = (ty.start[y]! - r0) * rowLen;
    const o = y * rowLen;
    acc.fill(HALF);
    for (let k = 0; k < n; k++) {
      const wt = ty.weights[wb + k]!;
      if (wt === 0) continue;
      const base = b0 + k * rowLen;
      for (let x = 0; x < rowLen; x++) acc[x] = acc[x]! + wt * mid[base + x]!;
    }
    for (let x = 0; x < rowLen; x++) out[o + x] = acc[x]! >> BITS;
  }
  return { data: out, height: outH, width: outW, channels: c };
}

/** Vertical pass with 2, 4 or 6 consecutive rows per output (first rows in `p`; `mid` starts at row r0), unrolled. */
function vertical(mid: Uint8Array, rowLen: number, outH: number, p: Padded, r0: number, out: Uint8Array): void {
  const { k, offsets: of, weights: wt } = p;
  for (let y = 0, t = 0; y < outH; y++, t += k) {
    const o = y * rowLen;
    const b0 = (of[y]! - r0) * rowLen;
    const b1 = b0 + rowLen;
    const w0 = wt[t]!;
    const w1 = wt[t + 1]!;
    if (k === 2) {
      for (let x = 0; x < rowLen; x++) out[o + x] = (HALF + w0 * mid[b0 + x]! + w1 * mid[b1 + x]!) >> BITS;
      continue;
    }
    const b2 = b1 + rowLen;
    const b3 = b2 + rowLen;
    const w2 = wt[t + 2]!;
    const w3 = wt[t + 3]!;
    if (k === 4) {
      for (let x = 0; x < rowLen; x++) {
        out[o + x] = (HALF + w0 * mid[b0 + x]! + w1 * mid[b1 + x]! + w2 * mid[b2 + x]! + w3 * mid[b3 + x]!) >> BITS;
      }
      continue;
    }
    const b4 = b3 + rowLen;
    const b5 = b4 + rowLen;
    const w4 = wt[t + 4]!;
    const w5 = wt[t + 5]!;
    for (let x = 0; x < rowLen; x++) {
      const v = w0 * mid[b0 + x]! + w1 * mid[b1 + x]! + w2 * mid[b2 + x]! + w3 * mid[b3 + x]!;
      out[o + x] = (HALF + v + w4 * mid[b4 + x]! + w5 * mid[b5 + x]!) >> BITS;
    }
  }
}

/** Source indices of torch's legacy nearest: floor(dst * fround(in / out)) in float32, clamped. */
export function nearestIndices(inSize: number, outSize: number): Int32Array {
  const scale = Math.fround(inSize / outSize);
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) idx[i] = Math.min(Math.floor(Math.fround(i * scale)), inSize - 1);
  return idx;
}

/** Nearest resize of `planes` planes of `[h, w, c]` (masks: c = 1). */
export function resizeNearest(
  data: Uint8Array,
  planes: number,
  h: number,
  w: number,
  c: number,
  outH: number,
  outW: number,
): Uint8Array {
  const xi = nearestIndices(w, outW);
  const yi = nearestIndices(h, outH);
  const out = new Uint8Array(planes * outH * outW * c);
  for (let p = 0; p < planes; p++) {
    const sBase = p * h * w * c;
    const dBase = p * outH * outW * c;
    for (let y = 0; y < outH; y++) {
      const srow = sBase + yi[y]! * w * c;
      let d = dBase + y * outW * c;
      for (let x = 0; x < outW; x++) {
        const s = srow + xi[x]! * c;
        for (let k = 0; k < c; k++) out[d++] = data[s + k]!;
      }
    }
  }
  return out;
}
