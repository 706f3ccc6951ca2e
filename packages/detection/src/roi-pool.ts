/**
 * RoIPool (Girshick, Fast R-CNN) with torchvision's semantics (`torchvision.ops.roi_pool`, CPU kernel
 * `roi_pool_kernel.cpp`): RoI corners are scaled and rounded (half away from zero), the RoI is at least 1x1
 * (inclusive end: `end - start + 1`), each bin spans `floor(p * binSize)` to `ceil((p + 1) * binSize)` (float32
 * arithmetic, as the kernel) clipped to the map, and takes the maximum; an empty bin gives 0.
 */
import { describeValue, Tensor } from '@striate/core';
import { readNumber } from './internal/args.js';
import { readFeatureMap, readOutputSize, readRois } from './internal/rois.js';

export interface RoiPoolOptions {
  /** Output bins per RoI: a number or `[height, width]`. */
  outputSize: number | readonly [number, number];
  /** Scale from RoI (image) coordinates to the feature map. Default 1. */
  spatialScale?: number;
}

/** C's `round`: half away from zero. */
const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/** `roiPool(input [N, C, H, W], rois [K, 5], options)` -> float32 `[K, C, oh, ow]` (max over each bin). */
export function roiPool(
  input: Tensor,
  rois: Tensor | Float32Array | Float64Array,
  options: RoiPoolOptions,
): Tensor<'float32'> {
  const map = readFeatureMap(input, 'roiPool: input');
  const { data: r, k } = readRois(rois, 'roiPool: rois', map.n);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`roiPool: options: expected { outputSize, spatialScale }, got ${describeValue(options)}`);
  }
  const [ph, pw] = readOutputSize(options.outputSize, 'roiPool: options.outputSize');
  const scale = readNumber(options.spatialScale ?? 1, 'roiPool: options.spatialScale', 0, true);
  const { data, c: C, h: H, w: W } = map;
  const fr = Math.fround;
  const out = new Float32Array(k * C * ph * pw);
  for (let roi = 0; roi < k; roi++) {
    const b = r[5 * roi]!;
    const startW = roundHalfAway(fr(r[5 * roi + 1]! * scale));
    const startH = roundHalfAway(fr(r[5 * roi + 2]! * scale));
    const endW = roundHalfAway(fr(r[5 * roi + 3]! * scale));
    const endH = roundHalfAway(fr(r[5 * roi + 4]! * scale));
    const roiW = Math.max(endW - startW + 1, 1);
    const roiH = Math.max(endH - startH + 1, 1);
    const binH = fr(roiH / ph);
    const binW = fr(roiW / pw);
    for (let py = 0; py < ph; py++) {
      const hs = Math.min(Math.max(Math.floor(fr(py * binH)) + startH, 0), H);
      const he = Math.min(Math.max(Math.ceil(fr((py + 1) * binH)) + startH, 0), H);
      for (let px = 0; px < pw; px++) {
        const ws = Math.min(Math.max(Math.floor(fr(px * binW)) + startW, 0), W);
        const we = Math.min(Math.max(Math.ceil(fr((px + 1) * binW)) + startW, 0), W);
        const empty = he <= hs || we <= ws;
        for (let ch = 0; ch < C; ch++) {
          const base = (b * C + ch) * H * W;
          let max = empty ? 0 : Number.NEGATIVE_INFINITY;
          for (let y = hs; y < he; y++) {
            for (let x = ws; x < we; x++) {
              const v = data[base + y * W + x]!;
              if (v > max) max = v;
            }
          }
          out[((roi * C + ch) * ph + py) * pw + px] = max;
        }
      }
    }
  }
  return new Tensor('float32', [k, C, ph, pw], out);
}
