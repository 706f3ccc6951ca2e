/**
 * RoIAlign (He et al., Mask R-CNN) with torchvision's semantics (`torchvision.ops.roi_align`, CPU kernel
 * `roi_align_kernel.cpp`): each output bin averages `samplingRatio x samplingRatio` bilinear samples (adaptive
 * `ceil(roiSize / outputSize)` per axis when `samplingRatio <= 0`); samples more than one pixel outside the map
 * count as 0; `aligned` shifts the box by -0.5 pixel (the pixel-model fix), and without it RoIs are at least 1x1.
 *
 * Speed: the sample positions and bilinear weights are computed once per RoI and reused for every channel.
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
  // Channels-last copy when the RoIs read far more than the map holds: the inner loop then runs over contiguous
  // channels with one weight per tap.
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
    const { start, pos, weight } = taps;
    if (hwc) {
      const mapBase = b * H * W * C;
      for (let bin = 0; bin < bins; bin++) {
        acc.fill(0);
        const end = start[bin + 1]!;
        let q = start[bin]!;
        // Four taps per pass over the channels (fewer loads and stores of the accumulator).
        for (; q + 4 <= end; q += 4) {
          const w0 = weight[q]!;
          const w1 = weight[q + 1]!;
          const w2 = weight[q + 2]!;
          const w3 = weight[q + 3]!;
          const b0 = mapBase + pos[q]! * C;
          const b1 = mapBase + pos[q + 1]! * C;
          const b2 = mapBase + pos[q + 2]! * C;
          const b3 = mapBase + pos[q + 3]! * C;
          for (let ch = 0; ch < C; ch++) {
            acc[ch] += w0 * hwc[b0 + ch]! + w1 * hwc[b1 + ch]! + w2 * hwc[b2 + ch]! + w3 * hwc[b3 + ch]!;
          }
        }
        for (; q < end; q++) {
          const w = weight[q]!;
          const base = mapBase + pos[q]! * C;
          for (let ch = 0; ch < C; ch++) acc[ch] += w * hwc[base + ch]!;
        }
        const o = roi * C * bins + bin;
        for (let ch = 0; ch < C; ch++) out[o + ch * bins] = acc[ch]!;
      }
    } else {
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

function toChannelsLast(data: Float32Array, n: number, c: number, hw: number): Float32Array {
  const out = new Float32Array(data.length);
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
  constructor(bins: number) {
    this.start = new Int32Array(bins + 1);
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
    const { pos, weight, start } = this;
    const countInv = 1 / Math.max(gridH * gridW, 1);
    let n = 0;
    const add = (first: number, p: number, w: number): void => {
      for (let q = first; q < n; q++) {
        if (pos[q] === p) {
          weight[q] = weight[q]! + w;
          return;
        }
      }
      pos[n] = p;
      weight[n++] = w;
    };
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
            add(first, yLow * W + xLow, hy * hx * countInv);
            add(first, yLow * W + xHigh, hy * lx * countInv);
            add(first, yHigh * W + xLow, ly * hx * countInv);
            add(first, yHigh * W + xHigh, ly * lx * countInv);
          }
        }
      }
    }
    start[ph * pw] = n;
  }
}
