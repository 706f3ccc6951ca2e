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

const BITS = 14;
const ONE = 1 << BITS;
const HALF = 1 << (BITS - 1);

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Int32Array;
  maxK: number;
}

function computeTaps(inSize: number, outSize: number, antialias: boolean): Taps {
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

function clamp8(v: number): number {
  return v < 0 ? 0 : Math.min(v, 255);
}

/** Horizontal pass over rows [r0, r1) of `src` into `dst` (rows r1 - r0, width outW). */
function horizontal(src: ImageU8, outW: number, t: Taps, r0: number, r1: number, dst: Uint8Array): void {
  const { data, width: w, channels: c } = src;
  const { start, count, weights, maxK } = t;
  for (let y = r0; y < r1; y++) {
    const srow = y * w * c;
    const drow = (y - r0) * outW * c;
    for (let x = 0; x < outW; x++) {
      const n = count[x]!;
      const wb = x * maxK;
      const sb = srow + start[x]! * c;
      const d = drow + x * c;
      if (c === 3 && n === 2) {
        const w0 = weights[wb]!;
        const w1 = weights[wb + 1]!;
        dst[d] = clamp8((HALF + w0 * data[sb]! + w1 * data[sb + 3]!) >> BITS);
        dst[d + 1] = clamp8((HALF + w0 * data[sb + 1]! + w1 * data[sb + 4]!) >> BITS);
        dst[d + 2] = clamp8((HALF + w0 * data[sb + 2]! + w1 * data[sb + 5]!) >> BITS);
      } else if (c === 3) {
        let a0 = HALF;
        let a1 = HALF;
        let a2 = HALF;
        for (let k = 0, s = sb; k < n; k++, s += 3) {
          const wt = weights[wb + k]!;
          a0 += wt * data[s]!;
          a1 += wt * data[s + 1]!;
          a2 += wt * data[s + 2]!;
        }
        dst[d] = clamp8(a0 >> BITS);
        dst[d + 1] = clamp8(a1 >> BITS);
        dst[d + 2] = clamp8(a2 >> BITS);
      } else {
        for (let ch = 0; ch < c; ch++) {
          let a = HALF;
          for (let k = 0, s = sb + ch; k < n; k++, s += c) a += weights[wb + k]! * data[s]!;
          dst[d + ch] = clamp8(a >> BITS);
        }
      }
    }
  }
}

/** Resizes an image to `[outH, outW]` with (antialiased) bilinear filtering. */
export function resizeBilinear(src: ImageU8, outH: number, outW: number, antialias: boolean): ImageU8 {
  const { height: h, width: w, channels: c } = src;
  const tx = taps(w, outW, antialias);
  const ty = taps(h, outH, antialias);
  // Horizontal pass on the rows the vertical pass reads.
  let r0 = h;
  let r1 = 0;
  for (let y = 0; y < outH; y++) {
    r0 = Math.min(r0, ty.start[y]!);
    r1 = Math.max(r1, ty.start[y]! + ty.count[y]!);
  }
  const rowLen = outW * c;
  const mid = new Uint8Array((r1 - r0) * rowLen);
  if (outW === w) {
    mid.set(src.data.subarray(r0 * rowLen, r1 * rowLen));
  } else {
    horizontal(src, outW, tx, r0, r1, mid);
  }
  const out = new Uint8Array(outH * rowLen);
  const acc = new Int32Array(rowLen);
  for (let y = 0; y < outH; y++) {
    const n = ty.count[y]!;
    const wb = y * ty.maxK;
    const b0 = (ty.start[y]! - r0) * rowLen;
    const o = y * rowLen;
    // Two to four taps (every upsampling and downsampling by up to 2x): one pass, sums kept in registers.
    if (n === 2) {
      const w0 = ty.weights[wb]!;
      const w1 = ty.weights[wb + 1]!;
      for (let x = 0; x < rowLen; x++) {
        out[o + x] = clamp8((HALF + w0 * mid[b0 + x]! + w1 * mid[b0 + rowLen + x]!) >> BITS);
      }
      continue;
    }
    if (n === 3 || n === 4) {
      const w0 = ty.weights[wb]!;
      const w1 = ty.weights[wb + 1]!;
      const w2 = ty.weights[wb + 2]!;
      const w3 = n === 4 ? ty.weights[wb + 3]! : 0;
      const b1 = b0 + rowLen;
      const b2 = b1 + rowLen;
      const b3 = n === 4 ? b2 + rowLen : b2;
      for (let x = 0; x < rowLen; x++) {
        const v = HALF + w0 * mid[b0 + x]! + w1 * mid[b1 + x]! + w2 * mid[b2 + x]! + w3 * mid[b3 + x]!;
        out[o + x] = clamp8(v >> BITS);
      }
      continue;
    }
    acc.fill(HALF);
    for (let k = 0; k < n; k++) {
      const wt = ty.weights[wb + k]!;
      if (wt === 0) continue;
      const base = b0 + k * rowLen;
      for (let x = 0; x < rowLen; x++) acc[x] = acc[x]! + wt * mid[base + x]!;
    }
    for (let x = 0; x < rowLen; x++) out[o + x] = clamp8(acc[x]! >> BITS);
  }
  return { data: out, height: outH, width: outW, channels: c };
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
