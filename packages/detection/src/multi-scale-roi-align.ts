/**
 * `MultiScaleRoIAlign` as torchvision's (`torchvision.ops.MultiScaleRoIAlign`): RoIs from several images are
 * pooled from the FPN level that fits their size. Level scales are inferred from the feature map and image sizes
 * (`2^round(log2(featureSize / imageSize))`), and each box goes to level
 * `k = floor(canonicalLevel + log2(sqrt(area) / canonicalScale) + 1e-6)` clamped to the available levels
 * (Mask R-CNN / FPN eq. 1; torchvision's `LevelMapper`). Pooling is `roiAlign` with `aligned: false`.
 */
import { describeValue, ShapeError, Tensor } from '@striate/core';
import { readBoxesArg, readInt } from './internal/args.js';
import { readOutputSize } from './internal/rois.js';
import { roiAlign } from './roi-align.js';

export interface MultiScaleRoIAlignOptions {
  /** Names of the feature maps to use, finest first (e.g. `['0', '1', '2', '3']`). */
  featmapNames: readonly string[];
  outputSize: number | readonly [number, number];
  samplingRatio: number;
  /** Default 224. */
  canonicalScale?: number;
  /** Default 4. */
  canonicalLevel?: number;
}

/**
 * FPN level of each box (`(x1, y1, x2, y2)`, 4N numbers): `floor(canonicalLevel + log2(sqrt(area) /
 * canonicalScale) + eps)` clamped to [kMin, kMax], returned relative to kMin (as torchvision's `LevelMapper`).
 */
export function assignFpnLevels(
  boxes: Float32Array | Float64Array,
  kMin: number,
  kMax: number,
  { canonicalScale = 224, canonicalLevel = 4, eps = 1e-6 } = {},
): Int32Array {
  const { coords, count } = readBoxesArg(boxes, 'assignFpnLevels: boxes');
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMax < kMin) {
    throw new RangeError(`assignFpnLevels: expected integers kMin <= kMax, got ${kMin} and ${kMax}`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const p = 4 * i;
    const area = Math.fround((coords[p + 2]! - coords[p]!) * (coords[p + 3]! - coords[p + 1]!));
    const s = Math.fround(Math.sqrt(area));
    const k = Math.floor(Math.fround(canonicalLevel + Math.fround(Math.log2(Math.fround(s / canonicalScale))) + eps));
    // NaN (a degenerate box) clamps to kMin, as torch.clamp would leave NaN and the int cast makes it the minimum.
    out[i] = (Number.isNaN(k) ? kMin : Math.min(Math.max(k, kMin), kMax)) - kMin;
  }
  return out;
}

export class MultiScaleRoIAlign {
  readonly featmapNames: readonly string[];
  readonly outputSize: [number, number];
  readonly samplingRatio: number;
  readonly canonicalScale: number;
  readonly canonicalLevel: number;

  constructor(options: MultiScaleRoIAlignOptions) {
    if (!Array.isArray(options?.featmapNames) || options.featmapNames.length === 0) {
      throw new TypeError(
        `MultiScaleRoIAlign: featmapNames: expected a non-empty string[], got ${describeValue(options?.featmapNames)}`,
      );
    }
    this.featmapNames = [...options.featmapNames];
    this.outputSize = readOutputSize(options.outputSize, 'MultiScaleRoIAlign: outputSize');
    this.samplingRatio = options.samplingRatio;
    this.canonicalScale = readInt(options.canonicalScale ?? 224, 'MultiScaleRoIAlign: canonicalScale');
    this.canonicalLevel = readInt(options.canonicalLevel ?? 4, 'MultiScaleRoIAlign: canonicalLevel');
  }

  /**
   * `features`: name -> `[N, C, H, W]`; `boxes[i]`: image i's boxes (4K_i numbers, image coordinates);
   * `imageSizes[i]`: `[height, width]`. Returns `[sum K_i, C, oh, ow]` in the order of the boxes.
   */
  forward(
    features: Record<string, Tensor>,
    boxes: readonly (Float32Array | Float64Array)[],
    imageSizes: readonly (readonly [number, number])[],
  ): Tensor<'float32'> {
    const maps = this.featmapNames.map((name) => {
      const t = features[name];
      if (!(t instanceof Tensor) || t.rank !== 4) {
        throw new ShapeError(
          `MultiScaleRoIAlign: features['${name}']: expected a [N, C, H, W] tensor, got ${describeValue(t)}`,
        );
      }
      return t;
    });
    if (boxes.length !== imageSizes.length || boxes.length !== maps[0]!.shape[0]) {
      throw new ShapeError(
        `MultiScaleRoIAlign: expected one boxes array and one image size per image (${maps[0]!.shape[0]}), got ${boxes.length} and ${imageSizes.length}`,
      );
    }
    let maxH = 0;
    let maxW = 0;
    for (const [h, w] of imageSizes) {
      maxH = Math.max(maxH, h);
      maxW = Math.max(maxW, w);
    }
    // torchvision's _infer_scale uses the first axis (height).
    const scales = maps.map((m) => 2 ** Math.round(Math.log2(Math.fround(m.shape[2]! / maxH))));
    const kMin = -Math.log2(scales[0]!);
    const kMax = -Math.log2(scales[scales.length - 1]!);
    // RoIs (batchIndex, x1, y1, x2, y2) in image order.
    let total = 0;
    for (const b of boxes) total += readBoxesArg(b, 'MultiScaleRoIAlign: boxes').count;
    const rois = new Float32Array(5 * total);
    const flat = new Float32Array(4 * total);
    let r = 0;
    boxes.forEach((b, img) => {
      for (let i = 0; i < b.length; i += 4, r++) {
        rois.set([img, b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!], 5 * r);
        flat.set(b.subarray(i, i + 4), 4 * r);
      }
    });
    const C = maps[0]!.shape[1]!;
    const [oh, ow] = this.outputSize;
    const out = new Float32Array(total * C * oh * ow);
    const levels =
      maps.length === 1
        ? new Int32Array(total)
        : assignFpnLevels(flat, kMin, kMax, {
            canonicalScale: this.canonicalScale,
            canonicalLevel: this.canonicalLevel,
          });
    const per = C * oh * ow;
    for (let level = 0; level < maps.length; level++) {
      const idx: number[] = [];
      for (let i = 0; i < total; i++) if (levels[i] === level) idx.push(i);
      if (idx.length === 0) continue;
      const sub = new Float32Array(5 * idx.length);
      idx.forEach((i, t) => {
        sub.set(rois.subarray(5 * i, 5 * i + 5), 5 * t);
      });
      const pooled = roiAlign(maps[level]!, sub, {
        outputSize: this.outputSize,
        spatialScale: scales[level]!,
        samplingRatio: this.samplingRatio,
        aligned: false,
      });
      idx.forEach((i, t) => {
        out.set(pooled.data.subarray(t * per, (t + 1) * per), i * per);
      });
    }
    return new Tensor('float32', [total, C, oh, ow], out);
  }
}
