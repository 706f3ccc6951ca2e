/**
 * RoIAlign (He et al., Mask R-CNN) with torchvision's semantics (`torchvision.ops.roi_align`, CPU kernel
 * `roi_align_kernel.cpp`): each output bin averages `samplingRatio x samplingRatio` bilinear samples (adaptive
 * `ceil(roiSize / outputSize)` per axis when `samplingRatio <= 0`); samples more than one pixel outside the map
 * count as 0; `aligned` shifts the box by -0.5 pixel (the pixel-model fix), and without it RoIs are at least 1x1.
 *
 * Speed (torchvision's `pre_calc`, channels inner): per RoI the bilinear taps of every bin (pixel + weight, 1/count
 * folded in, taps on the same pixel merged) are computed once into reused typed arrays and shared by all channels.
 * When the RoIs read far more than the map holds, the map is copied channels-last once, and each bin runs over the
 * contiguous channels in passes of eight taps (zero-padded to a pixel of zeros), the last pass writing the output;
 * otherwise (few RoIs on a big map) each channel plane is read in place.
 */
import { describeValue, Tensor } from '@striate/core';
import { readNumber } from './internal/args.js';
import { readFeatureMap, readOutputSize, readRois } from './internal/rois.js';

export interface RoiAlignOptions {
  /** Output bins per RoI: a number or `[height, width]`. */
  outputSize: number | readonly [number, number];
  /** Scale from RoI (image) coordinates to the feature map, e.g. 1/16. Default 1. */
  spatialScale?: number;
  /** Samples per bin and axis; <= 0 means adaptive (ceil(roi size / output size)). Default -1. */
  samplingRatio?: number;
  /** Half-pixel offset (torchvision `aligned=True`). Default false (torchvision's default). */
  aligned?: boolean;
}

/**
 * `roiAlign(input [N, C, H, W], rois [K, 5] (batchIndex, x1, y1, x2, y2), options)` -> float32 `[K, C, oh, ow]`.
 * `rois` may also be a Float32Array/Float64Array of 5K numbers.
 */
export function roiAlign(
  input: Tensor,
  rois: Tensor | Float32Array | Float64Array,
  options: RoiAlignOptions,
): Tensor<'float32'> {
  const map = readFeatureMap(input, 'roiAlign: input');
  const { data: r, k } = readRois(rois, 'roiAlign: rois', map.n);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`roiAlign: options: expected { outputSize, ... }, got ${describeValue(options)}`);
  }
  const [ph, pw] = readOutputSize(options.outputSize, 'roiAlign: options.outputSize');
  const scale = readNumber(options.spatialScale ?? 1, 'roiAlign: options.spatialScale', 0, true);
  const ratio = options.samplingRatio ?? -1;
  if (!Number.isInteger(ratio)) {
    throw new RangeError(`roiAlign: options.samplingRatio: expected an integer, got ${describeValue(ratio)}`);
  }
  const aligned = options.aligned ?? false;
  if (typeof aligned !== 'boolean') {
    throw new TypeError(`roiAlign: options.aligned: expected a boolean, got ${describeValue(aligned)}`);
  }
  const { data, c: C, h: H, w: W } = map;
  const out = new Float32Array(k * C * ph * pw);
  const bins = ph * pw;
  const offset = aligned ? 0.5 : 0;
  // Channels-last copy when the RoIs read far more than the map holds.
  const taps = new BinTaps(bins);
  const hwc = k * bins * 16 > map.n * H * W ? toChannelsLast(data, map.n, C, H * W) : undefined;
  const acc = new Float32Array(C);
  for (let roi = 0; roi < k; roi++) {
    const b = r[5 * roi]!;
    const x0 = r[5 * roi + 1]! * scale - offset;
    const y0 = r[5 * roi + 2]! * scale - offset;
    let roiW = r[5 * roi + 3]! * scale - offset - x0;
    let roiH = r[5 * roi + 4]! * scale - offset - y0;
    if (!aligned) {
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    const gridH = ratio > 0 ? ratio : Math.ceil(roiH / ph);
    const gridW = ratio > 0 ? ratio : Math.ceil(roiW / pw);
    taps.build(x0, y0, roiW / pw, roiH / ph, gridW, gridH, pw, ph, W, H);
    if (hwc) {
      const zero = hwc.length - C; // a pixel of zeros: the target of padding taps
      const { gStart, gOff, gWeight } = taps.groups(b * H * W * C, C, zero);
      const roiOut = roi * C * bins;
      for (let bin = 0; bin < bins; bin++) {
        const o = roiOut + bin;
        const first = gStart[bin]!;
        const last = gStart[bin + 1]! - 8;
        if (last < first) {
          for (let ch = 0, oc = o; ch < C; ch++, oc += bins) out[oc] = 0;
          continue;
        }
        // Groups of eight taps (zero-padded) per pass over the contiguous channels: the first pass of a bin
        // assigns, the last writes the output, so one or two passes touch the accumulator at most.
        for (let g = first; g <= last; g += 8) {
          const w0 = gWeight[g]!;
          const w1 = gWeight[g + 1]!;
          const w2 = gWeight[g + 2]!;
          const w3 = gWeight[g + 3]!;
          const w4 = gWeight[g + 4]!;
          const w5 = gWeight[g + 5]!;
          const w6 = gWeight[g + 6]!;
          const w7 = gWeight[g + 7]!;
          const b0 = gOff[g]!;
          const b1 = gOff[g + 1]!;
          const b2 = gOff[g + 2]!;
          const b3 = gOff[g + 3]!;
          const b4 = gOff[g + 4]!;
          const b5 = gOff[g + 5]!;
          const b6 = gOff[g + 6]!;
          const b7 = gOff[g + 7]!;
          const isFirst = g === first;
          if (g === last) {
            if (isFirst) {
              for (let ch = 0, oc = o; ch < C; ch++, oc += bins) {
                out[oc] =
                  w0 * hwc[b0 + ch]! +
                  w1 * hwc[b1 + ch]! +
                  w2 * hwc[b2 + ch]! +
                  w3 * hwc[b3 + ch]! +
                  w4 * hwc[b4 + ch]! +
                  w5 * hwc[b5 + ch]! +
                  w6 * hwc[b6 + ch]! +
                  w7 * hwc[b7 + ch]!;
              }
            } else {
              for (let ch = 0, oc = o; ch < C; ch++, oc += bins) {
                out[oc] =
                  acc[ch]! +
                  (w0 * hwc[b0 + ch]! +
                    w1 * hwc[b1 + ch]! +
                    w2 * hwc[b2 + ch]! +
                    w3 * hwc[b3 + ch]! +
                    w4 * hwc[b4 + ch]! +
                    w5 * hwc[b5 + ch]! +
                    w6 * hwc[b6 + ch]! +
                    w7 * hwc[b7 + ch]!);
              }
            }
          } else {
            for (let ch = 0; ch < C; ch++) {
              const v =
                w0 * hwc[b0 + ch]! +
                w1 * hwc[b1 + ch]! +
                w2 * hwc[b2 + ch]! +
                w3 * hwc[b3 + ch]! +
                w4 * hwc[b4 + ch]! +
                w5 * hwc[b5 + ch]! +
                w6 * hwc[b6 + ch]! +
                w7 * hwc[b7 + ch]!;
              acc[ch] = isFirst ? v : acc[ch]! + v;
            }
          }
        }
      }
    } else {
      const { start, pos, weight } = taps;
      for (let ch = 0; ch < C; ch++) {
        const base = (b * C + ch) * H * W;
        const o = (roi * C + ch) * bins;
        for (let bin = 0; bin < bins; bin++) {
          let sum = 0;
          for (let q = start[bin]!; q < start[bin + 1]!; q++) sum += weight[q]! * data[base + pos[q]!]!;
          out[o + bin] = sum;
        }
      }
    }
  }
  return new Tensor('float32', [k, C, ph, pw], out);
}

/** `[N, C, HW]` -> `[N, HW, C]`, plus one pixel of C zeros at the end (the target of padding taps). */
function toChannelsLast(data: Float32Array, n: number, c: number, hw: number): Float32Array {
  const out = new Float32Array(data.length + c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const src = (b * c + ch) * hw;
      const dst = b * hw * c + ch;
      for (let p = 0; p < hw; p++) out[dst + p * c] = data[src + p]!;
    }
  }
  return out;
}

/**
 * The bilinear taps of every bin of one RoI, as torchvision's `pre_calc_for_bilinear_interpolate`, with the
 * 1/count of the average folded into the weights and taps on the same pixel merged.
 */
class BinTaps {
  start: Int32Array;
  pos = new Int32Array(64);
  weight = new Float64Array(64);
  /** The taps as groups of eight per bin (zero-padded): absolute offsets into the channels-last map, weights. */
  gStart: Int32Array;
  gOff = new Int32Array(64);
  gWeight = new Float64Array(64);
  constructor(bins: number) {
    this.start = new Int32Array(bins + 1);
    this.gStart = new Int32Array(bins + 1);
  }

  /** Adds weight `w` at pixel `p` to the bin whose taps begin at `first` (merging a repeated pixel); new count. */
  private add(first: number, n: number, p: number, w: number): number {
    const { pos, weight } = this;
    for (let q = first; q < n; q++) {
      if (pos[q] === p) {
        weight[q] = weight[q]! + w;
        return n;
      }
    }
    pos[n] = p;
    weight[n] = w;
    return n + 1;
  }

  /**
   * The built taps regrouped in eights per bin for the channels-last kernel: offset `mapBase + pos * C`, padding
   * taps of weight 0 pointing at the zero pixel `zero` (so they add exactly 0).
   */
  groups(mapBase: number, C: number, zero: number): BinTaps {
    const { start, pos, weight, gStart } = this;
    const bins = start.length - 1;
    const need = start[bins]! + 8 * bins;
    if (this.gOff.length < need) {
      this.gOff = new Int32Array(need);
      this.gWeight = new Float64Array(need);
    }
    const { gOff, gWeight } = this;
    let g = 0;
    for (let bin = 0; bin < bins; bin++) {
      gStart[bin] = g;
      const end = start[bin + 1]!;
      for (let q = start[bin]!; q < end; q++, g++) {
        gOff[g] = mapBase + pos[q]! * C;
        gWeight[g] = weight[q]!;
      }
      for (; (g - gStart[bin]!) % 8 !== 0; g++) {
        gOff[g] = zero;
        gWeight[g] = 0;
      }
    }
    gStart[bins] = g;
    return this;
  }

  build(
    x0: number,
    y0: number,
    binW: number,
    binH: number,
    gridW: number,
    gridH: number,
    pw: number,
    ph: number,
    W: number,
    H: number,
  ): void {
    const need = 4 * ph * pw * Math.max(gridW * gridH, 0);
    if (this.pos.length < need) {
      this.pos = new Int32Array(need);
      this.weight = new Float64Array(need);
    }
    const { start } = this;
    const countInv = 1 / Math.max(gridH * gridW, 1);
    let n = 0;
    for (let py = 0; py < ph; py++) {
      for (let px = 0; px < pw; px++) {
        const first = n;
        start[py * pw + px] = first;
        for (let iy = 0; iy < gridH; iy++) {
          let y = y0 + py * binH + ((iy + 0.5) * binH) / gridH;
          for (let ix = 0; ix < gridW; ix++) {
            let x = x0 + px * binW + ((ix + 0.5) * binW) / gridW;
            if (y < -1 || y > H || x < -1 || x > W) continue; // contributes 0 (still counted in the average)
            if (y <= 0) y = 0;
            if (x <= 0) x = 0;
            let yLow = Math.trunc(y);
            let xLow = Math.trunc(x);
            let yHigh = yLow + 1;
            let xHigh = xLow + 1;
            let yy = y;
            if (yLow >= H - 1) {
              yHigh = yLow = H - 1;
              yy = yLow;
            }
            if (xLow >= W - 1) {
              xHigh = xLow = W - 1;
              x = xLow;
            }
            const ly = yy - yLow;
            const lx = x - xLow;
            const hy = 1 - ly;
            const hx = 1 - lx;
            n = this.add(first, n, yLow * W + xLow, hy * hx * countInv);
            n = this.add(first, n, yLow * W + xHigh, hy * lx * countInv);
            n = this.add(first, n, yHigh * W + xLow, ly * hx * countInv);
            n = this.add(first, n, yHigh * W + xHigh, ly * lx * countInv);
          }
        }
      }
    }
    start[ph * pw] = n;
  }
}
