/**
 * The typed-array ops' WebAssembly paths: copy in, run a kernel of wat/*.wat, copy out into a fresh array.
 * Each returns null where the kernels are not in use (the caller then runs its JavaScript path).
 */
import type { ImageU8 } from '../sample.js';
import { arena, arenaSize, type KernelExports, staticTable, wasmKernels } from './kernels.js';

/** Left-right mirror of `rows` rows of `w` RGB pixels (pixels.ts flipPlanes, c = 3). */
export function flipRgbWasm(data: Uint8Array, rows: number, w: number): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const n = rows * w * 3;
  const a = arena(k, arenaSize(n, n));
  const src = a.alloc(n);
  const dst = a.alloc(n);
  a.u8().set(data.subarray(0, n), src);
  k.flip3(src, dst, rows, w);
  return a.u8().slice(dst, dst + n);
}

/**
 * `[m, c]` with `clamp((v * m + c) >> 16, 0, 255) === trunc8(f32(f32(v * f) + off))` for every byte v (the
 * mapFixed kernel), or null where no such pair is found (then scaleOffset's float32 sequence runs). The table is
 * monotone in v (f >= 0); for m near f 2^16 the c that keep every v in its output's interval form a range, taken
 * from the 256 bounds and the lowest kept. Checked against the table before use.
 */
export function fixedPointMap(f: number, off: number): readonly [number, number] | null {
  if (!(f >= 0) || !Number.isFinite(f) || !Number.isFinite(off)) return null;
  const table = new Int32Array(256);
  for (let v = 0; v < 256; v++) {
    const x = Math.fround(Math.fround(v * f) + off);
    table[v] = x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
  }
  const m0 = Math.round(f * 65536);
  for (const m of [m0, m0 - 1, m0 + 1, m0 - 2, m0 + 2]) {
    let lo = -(2 ** 31);
    let hi = 2 ** 31; // c in [lo, hi)
    for (let v = 0; v < 256; v++) {
      const t = table[v]!;
      if (t > 0) lo = Math.max(lo, t * 65536 - v * m);
      if (t < 255) hi = Math.min(hi, (t + 1) * 65536 - v * m);
    }
    if (lo >= hi || m < 0) continue;
    const c = lo;
    if (255 * m + Math.abs(c) >= 2 ** 31 || Math.abs(c) >= 2 ** 31) continue;
    let ok = true;
    for (let v = 0; v < 256 && ok; v++) {
      const y = Math.floor((v * m + c) / 65536);
      ok = Math.max(0, Math.min(255, y)) === table[v];
    }
    if (ok) return [m, c];
  }
  return null;
}

/** The byte map `trunc8(f32(f32(v * f) + off))` on n bytes at `src` into `dst`, in fixed point where exact. */
function mapBytes(k: KernelExports, src: number, dst: number, n: number, f: number, off: number): void {
  const fixed = fixedPointMap(f, off);
  if (fixed) k.mapFixed(src, dst, n, fixed[0], fixed[1]);
  else k.scaleOffset(src, dst, n, f, off);
}

/** `trunc8(f32(f32(v * f) + off))` per byte (color.ts brightness and contrast tables), f and off float32. */
export function scaleOffsetWasm(data: Uint8Array, f: number, off: number): Uint8Array | null {
  const k = wasmKernels();
  // The kernel clamps before it converts, which needs a NaN-free product and sum: finite f and off.
  if (!k || !Number.isFinite(f) || !Number.isFinite(off)) return null;
  const n = data.length;
  const a = arena(k, arenaSize(n, n));
  const src = a.alloc(n);
  const dst = a.alloc(n);
  a.u8().set(data, src);
  mapBytes(k, src, dst, n, f, off);
  return a.u8().slice(dst, dst + n);
}

/**
 * color.ts adjustBrightness and adjustContrast in sequence on RGB `data` (either order), copied in and out once:
 * the brightness map `trunc8(f32(v * fb))`, the contrast's luma sum of its input, `contrast(sum)` giving its
 * factor and offset, and its map `trunc8(f32(f32(v * f) + off))`, all in place in the module.
 */
export function brightnessContrastWasm(
  data: Uint8Array,
  fb: number,
  contrastFirst: boolean,
  contrast: (lumaSum: number) => readonly [number, number],
): Uint8Array | null {
  const k = wasmKernels();
  if (!k || !Number.isFinite(fb)) return null;
  const n = data.length;
  const a = arena(k, arenaSize(n));
  const buf = a.alloc(n);
  a.u8().set(data, buf);
  if (!contrastFirst) mapBytes(k, buf, buf, n, fb, 0);
  const [f, off] = contrast(k.lumaSum(buf, Math.floor(n / 3)));
  if (!Number.isFinite(f) || !Number.isFinite(off)) return null;
  mapBytes(k, buf, buf, n, f, off);
  if (contrastFirst) mapBytes(k, buf, buf, n, fb, 0);
  return a.u8().slice(buf, buf + n);
}

/** The sum of color.ts `flooredLuma` over the RGB pixels of `data`. */
export function lumaSumWasm(data: Uint8Array): number | null {
  const k = wasmKernels();
  if (!k) return null;
  const a = arena(k, arenaSize(data.length));
  const src = a.alloc(data.length);
  a.u8().set(data, src);
  return k.lumaSum(src, Math.floor(data.length / 3));
}

/** Taps padded to k (2, 4 or 6) consecutive inputs per output: first input (elements) and k weights each. */
export interface PaddedTaps {
  k: number;
  offsets: Int32Array;
  weights: Int32Array;
}

// The kernels' weight layouts, made once per (cached) padded taps.
const hCache = new WeakMap<PaddedTaps, Int16Array>();
const vCache = new WeakMap<PaddedTaps, Int32Array>();

/** Per output pixel and tap pair: [w0 w1 w0 w1 w0 w1 0 0] as 16-bit lanes. */
function horizontalWeights(px: PaddedTaps): Int16Array {
  let hw = hCache.get(px);
  if (!hw) {
    const pairs = px.k >> 1;
    const outW = px.offsets.length;
    hw = new Int16Array(outW * pairs * 8);
    for (let x = 0, t = 0, o = 0; x < outW; x++) {
      for (let p = 0; p < pairs; p++, t += 2, o += 8) {
        hw[o] = hw[o + 2] = hw[o + 4] = px.weights[t]!;
        hw[o + 1] = hw[o + 3] = hw[o + 5] = px.weights[t + 1]!;
      }
    }
    hCache.set(px, hw);
  }
  return hw;
}

/** Per output row and tap pair: w(2p) | w(2p + 1) << 16. */
function verticalWeights(py: PaddedTaps): Int32Array {
  let vw = vCache.get(py);
  if (!vw) {
    vw = new Int32Array(py.weights.length >> 1);
    for (let i = 0; i < vw.length; i++) vw[i] = py.weights[2 * i]! | (py.weights[2 * i + 1]! << 16);
    vCache.set(py, vw);
  }
  return vw;
}

/**
 * Both passes of resize-image.ts's separable resize of an RGB image in the module: the horizontal pass on input
 * rows [r0, r1) (`px` null: outW equals the width, rows copied) and the vertical pass with `py` (offsets in rows).
 * The input is the window of `data` whose row 0 starts at `base`, rows `stride` bytes apart, `w` pixels wide (a
 * crop read in place): only the span from row r0's first pixel to row r1 - 1's last is copied in.
 */
export function resizeRgbWasm(
  data: Uint8Array,
  base: number,
  stride: number,
  w: number,
  outH: number,
  outW: number,
  px: PaddedTaps | null,
  py: PaddedTaps,
  r0: number,
  r1: number,
): Uint8Array | null {
  const k = wasmKernels();
  if (!k || (px && outW < 4)) return null; // the horizontal kernel works on four pixels at least
  const rowLen = outW * 3;
  const inBytes = (r1 - r0 - 1) * stride + w * 3;
  const midBytes = (r1 - r0) * rowLen;
  const outBytes = outH * rowLen;
  const hPairs = px ? px.k >> 1 : 0;
  const vPairs = py.k >> 1;
  const a = arena(k, arenaSize(inBytes, midBytes, outBytes, outW * 4, outW * hPairs * 16, outH * 4, outH * vPairs * 4));
  const src = a.alloc(inBytes);
  const mid = a.alloc(midBytes);
  const out = a.alloc(outBytes);
  const hOffs = a.alloc(outW * 4);
  const hWts = a.alloc(outW * hPairs * 16);
  const vOffs = a.alloc(outH * 4);
  const vWts = a.alloc(outH * vPairs * 4);
  const mem = k.memory.buffer;
  if (px) {
    const first = base + r0 * stride;
    new Uint8Array(mem).set(data.subarray(first, first + inBytes), src);
    new Int32Array(mem, hOffs, outW).set(px.offsets);
    new Int16Array(mem, hWts, outW * hPairs * 8).set(horizontalWeights(px));
    k.resizeH3(src, stride, r1 - r0, outW, px.k, hOffs, hWts, mid);
  } else if (stride === rowLen) {
    new Uint8Array(mem).set(data.subarray(base + r0 * stride, base + r1 * stride), mid);
  } else {
    const m = new Uint8Array(mem);
    for (let y = r0; y < r1; y++) {
      const s = base + y * stride;
      m.set(data.subarray(s, s + rowLen), mid + (y - r0) * rowLen);
    }
  }
  const vo = new Int32Array(mem, vOffs, outH);
  for (let y = 0; y < outH; y++) vo[y] = (py.offsets[y]! - r0) * rowLen;
  new Int32Array(mem, vWts, outH * vPairs).set(verticalWeights(py));
  k.resizeV(mid, rowLen, outH, py.k, vOffs, vWts, out);
  return new Uint8Array(mem).slice(out, out + outBytes);
}

/**
 * hsv.ts hsvGains on `data` (RGB) with its tables: OpenCV's reciprocals `sdiv`, `hdiv`, the gain tables and the
 * (hue, saturation) factor table (made on first use, then kept in the module).
 */
export function hsvGainsWasm(
  data: Uint8Array,
  sdiv: Int32Array,
  hdiv: Int32Array,
  luts: readonly [Uint8Array, Uint8Array, Uint8Array],
  multipliers: () => Float32Array,
): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const sd = staticTable(k, 'hsv.sdiv', () => sdiv);
  const hd = staticTable(k, 'hsv.hdiv', () => hdiv);
  const m = staticTable(k, 'hsv.multipliers', multipliers);
  const n = data.length;
  const a = arena(k, arenaSize(n, n, 256, 256, 256));
  const src = a.alloc(n);
  const dst = a.alloc(n);
  const lut = [a.alloc(256), a.alloc(256), a.alloc(256)] as const;
  const mem = a.u8();
  mem.set(data, src);
  for (let c = 0; c < 3; c++) mem.set(luts[c]!, lut[c]);
  k.hsvGains(src, dst, Math.floor(n / 3), sd, hd, lut[0], lut[1], lut[2], m);
  return a.u8().slice(dst, dst + n);
}

/** One border pixel of the warp (warp.ts bilinearPixel with its fill), writing into `out` at `o`. */
export type BorderPixel = (src: ImageU8, x: number, y: number, out: Uint8Array, o: number) => void;

/**
 * warp.ts's RGB bilinear affine warp (bilinearRow3 per row): the run of pixels with all four taps inside in the
 * module (affineRun3), the pixels before and after it by `border` on views of the module's memory.
 * `rowStart(i, r)` writes row i's start position and step `[x, y, dx, dy]`; `fill` says whether pixels with no
 * tap inside are written (else they stay 0).
 */
export function warpAffineRgbWasm(
  src: ImageU8,
  outH: number,
  outW: number,
  rowStart: (i: number, r: Float64Array) => void,
  fill: boolean,
  border: BorderPixel,
): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const { height: h, width: w } = src;
  const n = src.data.length;
  const outBytes = outH * outW * 3;
  const a = arena(k, arenaSize(n, outBytes, 16));
  const sp = a.alloc(n);
  const op = a.alloc(outBytes);
  const state = a.alloc(16);
  const mem = a.u8();
  mem.set(src.data, sp);
  mem.fill(0, op, op + outBytes); // pixels with no tap inside and no fill stay 0, as in a fresh array
  const inView: ImageU8 = { ...src, data: mem.subarray(sp, sp + n) };
  const outView = mem.subarray(op, op + outBytes);
  const pos = new Float64Array(k.memory.buffer, state, 2);
  const r = new Float64Array(4);
  const stride = w * 3;
  for (let i = 0; i < outH; i++) {
    rowStart(i, r);
    let x = r[0]!;
    let y = r[1]!;
    const dx = r[2]!;
    const dy = r[3]!;
    let o = i * outW * 3;
    let j = 0;
    while (j < outW) {
      if (x >= 0 && y >= 0 && x < w - 1 && y < h - 1) {
        const run = k.affineRun3(sp, stride, w - 1, h - 1, x, y, dx, dy, outW - j, op + o, state);
        x = pos[0]!;
        y = pos[1]!;
        j += run;
        o += 3 * run;
        if (j === outW) break;
      }
      if (fill || !(x < -1 || y < -1 || x >= w || y >= h)) border(inView, x, y, outView, o);
      j++;
      o += 3;
      x += dx;
      y += dy;
    }
  }
  return mem.slice(op, op + outBytes);
}

/**
 * noise.ts gaussianNoise (per channel) on `data`: the xoshiro128** stream from `state`, two values per draw, each
 * `clamp(v + scaled[16 bits])` truncated.
 */
export function gaussianNoiseWasm(
  data: Uint8Array,
  scaled: Float32Array,
  state: readonly [number, number, number, number],
): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const n = data.length;
  const a = arena(k, arenaSize(n, n, scaled.byteLength));
  const src = a.alloc(n);
  const dst = a.alloc(n);
  const tab = a.alloc(scaled.byteLength);
  a.u8().set(data, src);
  new Float32Array(k.memory.buffer, tab, scaled.length).set(scaled);
  k.gaussianNoise(src, dst, n, tab, state[0], state[1], state[2], state[3]);
  return a.u8().slice(dst, dst + n);
}
