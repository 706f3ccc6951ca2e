/**
 * The typed-array ops' WebAssembly paths: copy in, run a kernel of wat/*.wat, copy out into a fresh array.
 * Each returns null where the kernels are not in use (the caller then runs its JavaScript path).
 */
import type { ImageU8 } from '../sample.js';
import {
  arena,
  arenaSize,
  copyOut,
  freshBytes,
  type KernelExports,
  staticTable,
  throughChunks,
  wasmKernels,
} from './kernels.js';

/** Left-right mirror of `rows` rows of `w` RGB pixels (pixels.ts flipPlanes, c = 3). */
export function flipRgbWasm(data: Uint8Array, rows: number, w: number): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const row = w * 3;
  return throughChunks(k, data.subarray(0, rows * row), row, (src, dst, bytes) => k.flip3(src, dst, bytes / row, w));
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

/**
 * The mapNibble kernel's five 16-byte tables P, N, IB, gA, gB for the byte map `trunc8(f32(f32(v * f) + off))`,
 * or null where the map has no such form (then mapFixed or scaleOffset runs). For v = 16 a + b the float32 map is
 * floor(16 a f + off + b f) up to rounding: IA(a) + IB(b) + carry, with carry = 1 where the nibbles' fractional
 * parts add to 1 or more, clamped to [0, 255]. Rows a whose 16 bytes are all 0 or all 255 only need N = 255 or
 * P = 255; in the others IA(a) = floor(x(16 a)) (b = 0: no carry), IB(b) the least floor(x(16 a + b)) - IA(a)
 * over those rows, and carry(a, b) the rest, which must be 0 or 1. A carry matrix is a threshold (carry =
 * gA(a) > gB(b)) exactly when its rows' sets of b are nested: then gA(a) = the size of row a's set and gB(b) =
 * the least size of a set holding b, less 1. The kernel's formula is checked on all 256 bytes before use.
 */
export function nibbleMap(f: number, off: number): Uint8Array | null {
  if (!(f >= 0) || !Number.isFinite(f) || !Number.isFinite(off)) return null;
  const table = new Int32Array(256); // trunc8 of the float32 value: the bytes to give
  const floor = new Int32Array(256); // its floor within ±4096 (a row reaching past fails the fit: IB > 254)
  for (let v = 0; v < 256; v++) {
    const x = Math.fround(Math.fround(v * f) + off);
    table[v] = x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
    floor[v] = x <= -4096 ? -4096 : x >= 4096 ? 4096 : Math.floor(x);
  }
  const out = new Uint8Array(80); // P, N, IB, gA, gB
  const ia = new Int32Array(16);
  const ib = new Int32Array(16).fill(255);
  const partial: number[] = [];
  for (let a = 0; a < 16; a++) {
    if (table[16 * a] === 255) out[a] = 255;
    else if (table[16 * a + 15] === 0) out[16 + a] = 255;
    else {
      partial.push(a);
      const base = floor[16 * a]!;
      ia[a] = base;
      out[a] = Math.max(0, Math.min(255, base));
      out[16 + a] = Math.max(0, Math.min(255, -base));
      for (let b = 1; b < 16; b++) ib[b] = Math.min(ib[b]!, floor[16 * a + b]! - base);
    }
  }
  if (partial.length === 0) return out; // every byte 0 or 255: P and N alone
  ib[0] = 0;
  for (let b = 1; b < 16; b++) {
    if (ib[b]! < 0 || ib[b]! > 254) return null; // IB + carry must be a byte
    out[32 + b] = ib[b]!;
  }
  const size = out.subarray(48, 64); // gA
  for (const a of partial) {
    for (let b = 1; b < 16; b++) {
      const carry = floor[16 * a + b]! - ia[a]! - ib[b]!;
      if (carry !== 0 && carry !== 1) return null;
      size[a]! += carry;
    }
  }
  const least = out.subarray(64, 80).fill(16); // gB: the least size less 1, 16 where no row carries
  for (const a of partial) {
    for (let b = 1; b < 16; b++) {
      if (floor[16 * a + b]! - ia[a]! - ib[b]! === 1) least[b] = Math.min(least[b]!, size[a]! - 1);
    }
  }
  // The kernel's bytes for every v (P and N saturate), against the table.
  for (let v = 0; v < 256; v++) {
    const a = v >> 4;
    const b = v & 15;
    const q = out[32 + b]! + (out[48 + a]! > out[64 + b]! ? 1 : 0);
    if (Math.max(0, Math.min(255, q + out[a]!) - out[16 + a]!) !== table[v]) return null;
  }
  return out;
}

/** nibbleMap's 80 bytes as the ten little-endian i64 mapNibble takes after (src, dst, n). */
function nibbleArgs(tables: Uint8Array): bigint[] {
  const view = new DataView(tables.buffer, tables.byteOffset, 80);
  return Array.from({ length: 10 }, (_, i) => view.getBigUint64(8 * i, true));
}

/** The byte-map kernels, fastest first: mapNibble, mapFixed, scaleOffset (the float32 sequence, always exact). */
export type ByteMapKernel = 'nibble' | 'fixed' | 'float';

/**
 * A kernel for the byte map `trunc8(f32(f32(v * f) + off))`: `run(src, dst, n)` maps n bytes, on buffers with
 * the arena's slack (mapNibble writes whole vectors). The first of `from` and the kernels after it whose
 * parameters fit: mapNibble's tables, mapFixed's fixed point, or scaleOffset.
 */
function byteMapKernel(
  k: KernelExports,
  f: number,
  off: number,
  from: ByteMapKernel,
): (src: number, dst: number, n: number) => void {
  const tables = from === 'nibble' ? nibbleMap(f, off) : null;
  if (tables) {
    const [p0, p1, n0, n1, ib0, ib1, ga0, ga1, gb0, gb1] = nibbleArgs(tables);
    return (src, dst, n) => k.mapNibble(src, dst, n, p0!, p1!, n0!, n1!, ib0!, ib1!, ga0!, ga1!, gb0!, gb1!);
  }
  const fixed = from === 'float' ? null : fixedPointMap(f, off);
  if (fixed) return (src, dst, n) => k.mapFixed(src, dst, n, fixed[0], fixed[1]);
  return (src, dst, n) => k.scaleOffset(src, dst, n, f, off);
}

/** The byte map `trunc8(f32(f32(v * f) + off))` on n bytes at `src` into `dst` (arena buffers). */
function mapBytes(k: KernelExports, src: number, dst: number, n: number, f: number, off: number): void {
  byteMapKernel(k, f, off, 'nibble')(src, dst, n);
}

/**
 * `trunc8(f32(f32(v * f) + off))` per byte (color.ts brightness and contrast tables), f and off float32, by the
 * fastest kernel that fits (`from` a slower one: tests).
 */
export function scaleOffsetWasm(
  data: Uint8Array,
  f: number,
  off: number,
  from: ByteMapKernel = 'nibble',
): Uint8Array | null {
  const k = wasmKernels();
  // The kernel clamps before it converts, which needs a NaN-free product and sum: finite f and off.
  if (!k || !Number.isFinite(f) || !Number.isFinite(off)) return null;
  return throughChunks(k, data, 16, byteMapKernel(k, f, off, from));
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
  return copyOut(k, buf, n);
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

// The kernels' offset and weight layouts, made once per (cached) padded taps.
const hoCache = new WeakMap<PaddedTaps, Int32Array>();
const hCache = new WeakMap<PaddedTaps, Int16Array>();
const vCache = new WeakMap<PaddedTaps, Int32Array>();

/** Whether the four pixels from x (of a group of four) have windows two pixels (6 bytes) apart. */
function twoApart(of: Int32Array, x: number): boolean {
  const o = of[x]!;
  return of[x + 1] === o + 6 && of[x + 2] === o + 12 && of[x + 3] === o + 18;
}

/** resizeH3's offsets: `px.offsets` with bit 31 set on the first pixel of each group of four pixels two apart. */
function horizontalOffsets(px: PaddedTaps): Int32Array {
  let ho = hoCache.get(px);
  if (!ho) {
    ho = px.offsets.slice();
    for (let x = 0; x + 4 <= ho.length; x += 4) if (twoApart(px.offsets, x)) ho[x] = ho[x]! | (1 << 31);
    hoCache.set(px, ho);
  }
  return ho;
}

/**
 * resizeH3's weights (16-bit lanes), 8 per tap pair and pixel: per group of four pixels two apart (twoApart), per
 * pair p the three output vectors' [wa wb wa wb wa wb wa' wb'] (of pixels 0 0 0 1, 1 1 2 2 and 2 3 3 3); per other
 * group, and per pixel of the last outW mod 4, per pixel and pair [w0 w1 w0 w1 w0 w1 0 0].
 */
function horizontalWeights(px: PaddedTaps): Int16Array {
  let hw = hCache.get(px);
  if (!hw) {
    const { offsets: of, weights: wt } = px;
    const pairs = px.k >> 1;
    const outW = of.length;
    const end4 = outW & ~3;
    hw = new Int16Array(outW * pairs * 8);
    for (let x = 0; x < end4; x += 4) {
      const base = x * pairs * 8;
      if (twoApart(of, x)) {
        for (let p = 0; p < pairs; p++) {
          for (let j = 0; j < 3; j++) {
            const v = base + (3 * p + j) * 8;
            for (let lane = 0; lane < 4; lane++) {
              const t = (x + Math.floor((4 * j + lane) / 3)) * px.k + 2 * p; // value 4 j + lane is of pixel / 3
              hw[v + 2 * lane] = wt[t]!;
              hw[v + 2 * lane + 1] = wt[t + 1]!;
            }
          }
        }
      } else {
        for (let i = 0; i < 4; i++) setPixelWeights(hw, base + i * pairs * 8, wt, (x + i) * px.k, pairs);
      }
    }
    for (let x = end4; x < outW; x++) setPixelWeights(hw, x * pairs * 8, wt, x * px.k, pairs);
    hCache.set(px, hw);
  }
  return hw;
}

/** One pixel's [w0 w1 w0 w1 w0 w1 0 0] per tap pair, from its padded weights at `t`, into `hw` at `o`. */
function setPixelWeights(hw: Int16Array, o: number, wt: Int32Array, t: number, pairs: number): void {
  for (let p = 0; p < pairs; p++, t += 2, o += 8) {
    hw[o] = hw[o + 2] = hw[o + 4] = wt[t]!;
    hw[o + 1] = hw[o + 3] = hw[o + 5] = wt[t + 1]!;
  }
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

/** Output rows per band of resizeRgbWasm: the band's input and intermediate rows stay in cache between passes. */
const BAND = 16;

/**
 * Both passes of resize-image.ts's separable resize of an RGB image in the module, in bands of BAND output rows:
 * per band, the input rows its window needs that the last band did not are copied in and passed horizontally
 * into 16-bit rows (`px` null: outW equals the width, rows copied as they are, bytes) after the rows kept from the
 * last band, then the vertical pass with `py` (offsets in rows, non-decreasing; resizeV16 on 16-bit rows) writes
 * the band's output rows. The input is the window of `data` whose row 0 starts at `base`, rows `stride` bytes
 * apart, `w` pixels wide (a crop read in place).
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
): Uint8Array | null {
  const k = wasmKernels();
  if (!k || (px && outW < 4)) return null; // the horizontal kernel works on four pixels at least
  const rowLen = outW * 3;
  const midRow = px ? 2 * rowLen : rowLen; // bytes per intermediate row: resizeH3 writes 16-bit values
  const inLen = w * 3;
  const { k: kv, offsets: vOf } = py;
  let maxRows = 0; // the most intermediate rows a band needs
  for (let y0 = 0; y0 < outH; y0 += BAND) {
    maxRows = Math.max(maxRows, vOf[Math.min(y0 + BAND, outH) - 1]! + kv - vOf[y0]!);
  }
  const inBytes = px ? (maxRows - 1) * stride + inLen : 0;
  const outBytes = outH * rowLen;
  const hPairs = px ? px.k >> 1 : 0;
  const vPairs = kv >> 1;
  const a = arena(
    k,
    arenaSize(inBytes, maxRows * midRow, BAND * rowLen, outW * 4, outW * hPairs * 16, BAND * 4, outH * vPairs * 4),
  );
  const src = a.alloc(inBytes);
  const mid = a.alloc(maxRows * midRow);
  const out = a.alloc(BAND * rowLen); // one band of output rows, copied into the result after each band
  const result = freshBytes(outBytes);
  const hOffs = a.alloc(outW * 4);
  const hWts = a.alloc(outW * hPairs * 16);
  const vOffs = a.alloc(BAND * 4);
  const vWts = a.alloc(outH * vPairs * 4);
  const mem = k.memory.buffer;
  const m = new Uint8Array(mem);
  if (px) {
    new Int32Array(mem, hOffs, outW).set(horizontalOffsets(px));
    new Int16Array(mem, hWts, outW * hPairs * 8).set(horizontalWeights(px));
  }
  new Int32Array(mem, vWts, outH * vPairs).set(verticalWeights(py));
  const vo = new Int32Array(mem, vOffs, BAND);
  // Intermediate rows [m0, m1) of the window are at mid + (row - m0) midRow.
  let m0 = 0;
  let m1 = 0;
  for (let y0 = 0; y0 < outH; y0 += BAND) {
    const y1 = Math.min(y0 + BAND, outH);
    const first = vOf[y0]!;
    const end = vOf[y1 - 1]! + kv;
    if (first >= m1) m1 = first;
    else if (first > m0) m.copyWithin(mid, mid + (first - m0) * midRow, mid + (m1 - m0) * midRow);
    m0 = first;
    if (end > m1) {
      const at = mid + (m1 - m0) * midRow;
      const s = base + m1 * stride;
      if (px) {
        m.set(data.subarray(s, s + (end - m1 - 1) * stride + inLen), src);
        k.resizeH3(src, stride, end - m1, outW, px.k, hOffs, hWts, at);
      } else if (stride === rowLen) {
        m.set(data.subarray(s, s + (end - m1) * stride), at);
      } else {
        for (let y = 0; y < end - m1; y++)
          m.set(data.subarray(s + y * stride, s + y * stride + rowLen), at + y * rowLen);
      }
      m1 = end;
    }
    for (let y = y0; y < y1; y++) vo[y - y0] = (vOf[y]! - m0) * midRow;
    if (px) k.resizeV16(mid, rowLen, y1 - y0, kv, vOffs, vWts + y0 * vPairs * 4, out);
    else k.resizeV(mid, rowLen, y1 - y0, kv, vOffs, vWts + y0 * vPairs * 4, out);
    result.set(m.subarray(out, out + (y1 - y0) * rowLen), y0 * rowLen);
  }
  return result;
}

/**
 * hsv.ts hsvGains on `data` (RGB) with its tables: OpenCV's reciprocals `sdiv`, `hdiv`, the (hue, saturation)
 * factor table in 24-bit fixed point (hsvFixedFactors; made on first use, then kept in the module), and the gain
 * tables `luts` (lutH, lutS, lutV), passed to the kernel as i32[256] with the factor table's byte strides folded
 * in: hue h at index h + 30 (the hue before its wrap to [0, 180) lies in [-30, 150]) times 3072, saturation times
 * 12, followed by the kernel's 48 bytes of scratch.
 */
export function hsvGainsWasm(
  data: Uint8Array,
  sdiv: Int32Array,
  hdiv: Int32Array,
  luts: readonly [Uint8Array, Uint8Array, Uint8Array],
  factors: () => Int32Array,
): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const sd = staticTable(k, 'hsv.sdiv', () => sdiv);
  const hd = staticTable(k, 'hsv.hdiv', () => hdiv);
  const m = staticTable(k, 'hsv.fixedFactors', factors);
  // The gain tables of this call, as i32[256] (the value table with the kernel's 48 bytes of scratch after it).
  const hs = staticTable(k, 'hsv.hueGains', () => new Int32Array(256));
  const ss = staticTable(k, 'hsv.saturationGains', () => new Int32Array(256));
  const vs = staticTable(k, 'hsv.valueGains', () => new Int32Array(256 + 12));
  const t = new Int32Array(k.memory.buffer);
  const [lutH, lutS, lutV] = luts;
  for (let x = 0; x < 256; x++) {
    const h = x - 30; // hsvGains's wrap of negative hues, done here once
    t[(hs >> 2) + x] = lutH[h < 0 ? h + 180 : h]! * 3072;
    t[(ss >> 2) + x] = lutS[x]! * 12;
    t[(vs >> 2) + x] = lutV[x]!;
  }
  // Four pixels per kernel step: chunks of whole steps.
  return throughChunks(k, data, 12, (src, dst, bytes) => k.hsvGains(src, dst, bytes / 3, sd, hd, hs, ss, vs, m));
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
  const a = arena(k, arenaSize(n, outBytes, 176));
  const sp = a.alloc(n);
  const op = a.alloc(outBytes);
  const state = a.alloc(176); // affineRun3: the position after a run, then its scratch
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
  return copyOut(k, op, outBytes);
}

/**
 * noise.ts gaussianNoise (per channel) on `data`: the xoshiro128** stream from `state`, two values per draw, each
 * `clamp(v + offsets[16 bits], 0, 255)` (noise-table.ts noiseOffsets). In chunks of an even length, the stream's
 * state carried from one to the next in the module, so each draw still covers the same two values.
 */
export function gaussianNoiseWasm(
  data: Uint8Array,
  offsets: Int16Array,
  state: readonly [number, number, number, number],
): Uint8Array | null {
  const k = wasmKernels();
  if (!k) return null;
  const tab = staticTable(k, 'noise.offsets', () => new Int16Array(65536));
  new Int16Array(k.memory.buffer, tab, 65536).set(offsets);
  const st = staticTable(k, 'noise.state', () => new Int32Array(4));
  new Int32Array(k.memory.buffer, st, 4).set(state);
  return throughChunks(k, data, 2, (src, dst, bytes) => k.gaussianNoise(src, dst, bytes, tab, st));
}
