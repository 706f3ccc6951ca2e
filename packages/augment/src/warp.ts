/**
 * Inverse-mapped image warps with torchvision's tensor conventions (`_affine_grid` + `grid_sample(mode,
 * padding_mode='zeros', align_corners=False)` + `_apply_grid_transform`'s fill): for each output pixel the source
 * position is computed in continuous coordinates, then sampled at pixel index `position - 0.5`. Bilinear taps
 * outside the image count as zero; with a `fill`, the output is `(sampled - fill) * coverage + fill` where
 * coverage is the in-image weight (nearest: fill where the nearest pixel is outside). Results round half to even
 * as torch's `round_`. Coordinates are float64 here, float32 in torch: a bilinear result can differ by one level.
 */
import type { Matrix2x3 } from './affine-matrix.js';
import type { ImageU8 } from './sample.js';
import { warpAffineRgbWasm } from './wasm/ops.js';

export type Interpolation = 'nearest' | 'bilinear';

/**
 * Writes the source pixel positions (pixel-index units) of output row `i` into xs, ys. An affine mapper also
 * tells, as `rowStart`, the position of pixel 0 of a row and the step per pixel (`x += dx`, `y += dy`, exactly
 * the float64 sequence it writes), which lets the RGB bilinear warp skip the position arrays.
 */
export type RowMapper = ((i: number, xs: Float64Array, ys: Float64Array) => void) & {
  /** Writes `[x, y, dx, dy]` of row `i` into `r` (a Float64Array: plain arrays made the warp loop slower). */
  rowStart?: (i: number, r: Float64Array) => void;
};

export function roundHalfEven(v: number): number {
  const r = Math.floor(v + 0.5);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}

/** `roundHalfEven` for v in [0, 2^31 - 1): the `| 0` truncation is the floor there. */
function roundPositive(v: number): number {
  const r = (v + 0.5) | 0;
  return r - v === 0.5 ? r & ~1 : r;
}

function fillVector(fill: number | readonly number[] | undefined, channels: number, fn: string): Float64Array | null {
  if (fill === undefined) return null;
  let arr = typeof fill === 'number' ? new Array<number>(channels).fill(fill) : [...fill];
  if (arr.length === 1 && channels > 1) arr = new Array<number>(channels).fill(arr[0]!);
  if (arr.length !== channels) {
    throw new RangeError(`${fn}: fill: expected a number or ${channels} values (one per channel), got ${arr.length}`);
  }
  for (const v of arr) {
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: fill: expected finite values, got ${v}`);
  }
  return Float64Array.from(arr);
}

/** Generic warp: `mapRow` gives source positions per output row. */
export function warpImage(
  src: ImageU8,
  outH: number,
  outW: number,
  mapRow: RowMapper,
  interpolation: Interpolation,
  fill: number | readonly number[] | undefined,
  fn: string,
): ImageU8 {
  const { channels: c } = src;
  const fillV = fillVector(fill, c, fn);
  const out = new Uint8Array(outH * outW * c);
  const xs = new Float64Array(outW);
  const ys = new Float64Array(outW);
  const acc = new Float64Array(c);
  const linear = mapRow.rowStart;
  if (interpolation === 'bilinear' && c === 3 && linear) {
    // The same rows with the interior runs in WebAssembly (same bytes).
    const border = (s: ImageU8, x: number, y: number, o: Uint8Array, at: number) =>
      bilinearPixel(s, x, y, o, at, fillV, acc);
    const data = warpAffineRgbWasm(src, outH, outW, linear, fillV !== null, border);
    if (data) return { data, height: outH, width: outW, channels: c };
  }
  const start = new Float64Array(4);
  for (let i = 0; i < outH; i++) {
    if (interpolation === 'bilinear' && c === 3 && linear) {
      linear(i, start);
      bilinearRow3(src, start[0]!, start[1]!, start[2]!, start[3]!, outW, out, i * outW * 3, fillV, acc);
      continue;
    }
    mapRow(i, xs, ys);
    if (interpolation === 'nearest') nearestRow(src, xs, ys, out, i * outW * c, fillV);
    else bilinearRow(src, xs, ys, out, i * outW * c, fillV, acc);
  }
  return { data: out, height: outH, width: outW, channels: c };
}

function nearestRow(
  src: ImageU8,
  xs: Float64Array,
  ys: Float64Array,
  out: Uint8Array,
  o: number,
  fillV: Float64Array | null,
): void {
  const { data, height: h, width: w, channels: c } = src;
  const stride = w * c;
  for (let j = 0; j < xs.length; j++, o += c) {
    const x = roundHalfEven(xs[j]!);
    const y = roundHalfEven(ys[j]!);
    if (x >= 0 && x < w && y >= 0 && y < h) {
      const s = y * stride + x * c;
      if (c === 1) out[o] = data[s]!;
      else for (let k = 0; k < c; k++) out[o + k] = data[s + k]!;
    } else if (fillV) {
      for (let k = 0; k < c; k++) out[o + k] = clampRound(fillV[k]!);
    }
  }
}

/**
 * One output row of an RGB bilinear affine warp, source position (x, y) + j (dx, dy) as the mapper's float64
 * sequence (monotone, so the pixels with all four taps inside form one run). Pixels before and after that run go
 * to `bilinearPixel` (with no tap inside and no fill they stay 0); the run goes to `interiorRun3`.
 */
function bilinearRow3(
  src: ImageU8,
  x: number,
  y: number,
  dx: number,
  dy: number,
  outW: number,
  out: Uint8Array,
  o: number,
  fillV: Float64Array | null,
  acc: Float64Array,
): void {
  const { height: h, width: w } = src;
  let j = 0;
  while (j < outW) {
    if (x >= 0 && y >= 0 && x < w - 1 && y < h - 1) {
      const n = interiorRun3(src.data, w * 3, w - 1, h - 1, x, y, dx, dy, outW - j, out, o);
      // Step past the run with the same float64 additions.
      for (let k = 0; k < n; k++, x += dx, y += dy);
      j += n;
      o += 3 * n;
      if (j === outW) break;
    }
    if (fillV || !(x < -1 || y < -1 || x >= w || y >= h)) bilinearPixel(src, x, y, out, o, fillV, acc);
    j++;
    o += 3;
    x += dx;
    y += dy;
  }
}

/**
 * The unrolled bilinear path from (x, y) while all four taps are inside `[0, xMax] x [0, yMax]`, at most `n`
 * pixels; returns how many it wrote. The same float64 weights, products and sums as `bilinearPixel`, so the same
 * bytes. (A separate function: with the border logic in the same loop V8 keeps fewer values in registers and the
 * loop is a third slower.)
 */
function interiorRun3(
  data: Uint8Array,
  stride: number,
  xMax: number,
  yMax: number,
  x: number,
  y: number,
  dx: number,
  dy: number,
  n: number,
  out: Uint8Array,
  o: number,
): number {
  let j = 0;
  // Inside [0, xMax) x [0, yMax) (NaN excluded): `| 0` is the floor.
  for (; j < n && x >= 0 && y >= 0 && x < xMax && y < yMax; j++, o += 3, x += dx, y += dy) {
    const xi = x | 0;
    const yi = y | 0;
    const fx = x - xi;
    const fy = y - yi;
    const gx = 1 - fx;
    const gy = 1 - fy;
    const w00 = gx * gy;
    const w01 = fx * gy;
    const w10 = gx * fy;
    const w11 = fx * fy;
    const s = yi * stride + xi * 3;
    const s2 = s + stride;
    out[o] = roundPositive(w00 * data[s]! + w01 * data[s + 3]! + w10 * data[s2]! + w11 * data[s2 + 3]!);
    out[o + 1] = roundPositive(w00 * data[s + 1]! + w01 * data[s + 4]! + w10 * data[s2 + 1]! + w11 * data[s2 + 4]!);
    out[o + 2] = roundPositive(w00 * data[s + 2]! + w01 * data[s + 5]! + w10 * data[s2 + 2]! + w11 * data[s2 + 5]!);
  }
  return j;
}

/** One output row of a bilinear warp at the positions xs, ys (perspective; affine RGB takes `bilinearRow3`). */
function bilinearRow(
  src: ImageU8,
  xs: Float64Array,
  ys: Float64Array,
  out: Uint8Array,
  o: number,
  fillV: Float64Array | null,
  acc: Float64Array,
): void {
  const { data, height: h, width: w, channels: c } = src;
  const stride = w * c;
  for (let j = 0; j < xs.length; j++, o += c) {
    const x = xs[j]!;
    const y = ys[j]!;
    if (c !== 3 || !(x >= 0 && y >= 0 && x < w - 1 && y < h - 1)) {
      bilinearPixel(src, x, y, out, o, fillV, acc);
      continue;
    }
    const xi = x | 0;
    const yi = y | 0;
    const fx = x - xi;
    const fy = y - yi;
    const w00 = (1 - fx) * (1 - fy);
    const w01 = fx * (1 - fy);
    const w10 = (1 - fx) * fy;
    const w11 = fx * fy;
    const s = yi * stride + xi * 3;
    const s2 = s + stride;
    out[o] = roundPositive(w00 * data[s]! + w01 * data[s + 3]! + w10 * data[s2]! + w11 * data[s2 + 3]!);
    out[o + 1] = roundPositive(w00 * data[s + 1]! + w01 * data[s + 4]! + w10 * data[s2 + 1]! + w11 * data[s2 + 4]!);
    out[o + 2] = roundPositive(w00 * data[s + 2]! + w01 * data[s + 5]! + w10 * data[s2 + 2]! + w11 * data[s2 + 5]!);
  }
}

/** Bilinear sample of one output pixel at source position (ix, iy), any channel count, edges and fill included. */
function bilinearPixel(
  src: ImageU8,
  ix: number,
  iy: number,
  out: Uint8Array,
  o: number,
  fillV: Float64Array | null,
  acc: Float64Array,
): void {
  const { data, height: h, width: w, channels: c } = src;
  const stride = w * c;
  const x0 = Math.floor(ix);
  const y0 = Math.floor(iy);
  const fx = ix - x0;
  const fy = iy - y0;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
    const s = y0 * stride + x0 * c;
    const w00 = (1 - fx) * (1 - fy);
    const w01 = fx * (1 - fy);
    const w10 = (1 - fx) * fy;
    const w11 = fx * fy;
    for (let k = 0; k < c; k++) {
      const v =
        w00 * data[s + k]! + w01 * data[s + c + k]! + w10 * data[s + stride + k]! + w11 * data[s + stride + c + k]!;
      out[o + k] = roundHalfEven(v);
    }
    return;
  }
  if (x0 + 1 < 0 || y0 + 1 < 0 || x0 >= w || y0 >= h) {
    if (fillV) for (let k = 0; k < c; k++) out[o + k] = clampRound(fillV[k]!);
    return;
  }
  acc.fill(0);
  let cover = 0;
  for (let dy = 0; dy < 2; dy++) {
    const y = y0 + dy;
    if (y < 0 || y >= h) continue;
    const wy = dy === 0 ? 1 - fy : fy;
    for (let dx = 0; dx < 2; dx++) {
      const x = x0 + dx;
      if (x < 0 || x >= w) continue;
      const wt = wy * (dx === 0 ? 1 - fx : fx);
      cover += wt;
      const s = y * stride + x * c;
      for (let k = 0; k < c; k++) acc[k] = acc[k]! + wt * data[s + k]!;
    }
  }
  for (let k = 0; k < c; k++) {
    const v = fillV ? (acc[k]! - fillV[k]!) * cover + fillV[k]! : acc[k]!;
    out[o + k] = clampRound(v);
  }
}

function clampRound(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : roundHalfEven(v);
}

/**
 * Row mapper of torchvision's affine grid: output pixel (i, j) sits at (j - (ow-1)/2, i - (oh-1)/2) relative to
 * the output centre; `inverse` (about the centres, torchvision's `_get_inverse_affine_matrix` with centre 0) maps
 * it to the input frame, which is shifted back by (w-1)/2, (h-1)/2.
 */
export function affineRowMapper(inverse: Matrix2x3, inH: number, inW: number, outH: number, outW: number): RowMapper {
  const [a, b, c, d, e, f] = inverse;
  const ox = (outW - 1) * 0.5;
  const oy = (outH - 1) * 0.5;
  const ix0 = (inW - 1) * 0.5;
  const iy0 = (inH - 1) * 0.5;
  const rowStart = (i: number, r: Float64Array): void => {
    const yo = i - oy;
    r[0] = a * -ox + b * yo + c + ix0;
    r[1] = d * -ox + e * yo + f + iy0;
    r[2] = a;
    r[3] = d;
  };
  const r = new Float64Array(4);
  const mapper: RowMapper = (i, xs, ys) => {
    rowStart(i, r);
    let x = r[0]!;
    let y = r[1]!;
    for (let j = 0; j < xs.length; j++) {
      xs[j] = x;
      ys[j] = y;
      x += a;
      y += d;
    }
  };
  mapper.rowStart = rowStart;
  return mapper;
}

/** Row mapper of torchvision's perspective grid: source = H(output pixel centre) - 0.5, H from `coeffs`. */
export function perspectiveRowMapper(coeffs: readonly number[]): RowMapper {
  const [a, b, c, d, e, f, g, h] = coeffs as [number, number, number, number, number, number, number, number];
  return (i, xs, ys) => {
    const y = i + 0.5;
    for (let j = 0; j < xs.length; j++) {
      const x = j + 0.5;
      const den = g * x + h * y + 1;
      xs[j] = (a * x + b * y + c) / den - 0.5;
      ys[j] = (d * x + e * y + f) / den - 0.5;
    }
  };
}

/** Warps N single-channel masks of `[h, w]` with nearest (fill 0). */
export function warpMasks(
  masks: Uint8Array,
  h: number,
  w: number,
  outH: number,
  outW: number,
  mapRow: RowMapper,
): Uint8Array {
  const n = masks.length / (h * w);
  const out = new Uint8Array(n * outH * outW);
  for (let k = 0; k < n; k++) {
    const src = { data: masks.subarray(k * h * w, (k + 1) * h * w), height: h, width: w, channels: 1 };
    const r = warpImage(src, outH, outW, mapRow, 'nearest', undefined, 'warpMasks');
    out.set(r.data, k * outH * outW);
  }
  return out;
}
