/**
 * Anchors as torchvision's `AnchorGenerator` (`torchvision.models.detection.anchor_utils`): per feature level,
 * `sizes[level].length x aspectRatios[level].length` base anchors centred on 0 (`h_ratio = sqrt(ar)`,
 * `w_ratio = 1 / h_ratio`, `w = w_ratio * size`, `h = h_ratio * size`, corners `(-w, -h, w, h) / 2` rounded half
 * to even, all in float32 as torch), shifted to every cell of the level's grid with stride
 * `imageSize // featureSize`. Order: level, then row (y), column (x), then base anchor (ratio-major, as
 * torchvision's `(w_ratios[:, None] * scales[None, :]).view(-1)`).
 */
import { describeValue, ShapeError } from '@striate/core';
import { roundHalfEven } from './internal/round.js';

export interface AnchorGeneratorOptions {
  /** Anchor sizes per level, e.g. `[[32], [64], [128]]`. Default torchvision's `((128, 256, 512),)`. */
  sizes?: readonly (readonly number[])[];
  /** Aspect ratios (height / width) per level. Default `[[0.5, 1, 2]]` for every level. */
  aspectRatios?: readonly (readonly number[])[];
}

function readLevels(value: unknown, name: string): number[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`AnchorGenerator: ${name}: expected a non-empty number[][], got ${describeValue(value)}`);
  }
  return value.map((level, i) => {
    if (!Array.isArray(level) || level.length === 0) {
      throw new TypeError(`AnchorGenerator: ${name}[${i}]: expected a non-empty number[], got ${describeValue(level)}`);
    }
    return level.map((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        throw new RangeError(
          `AnchorGenerator: ${name}[${i}][${j}]: expected a finite number > 0, got ${describeValue(v)}`,
        );
      }
      return v;
    });
  });
}

export class AnchorGenerator {
  readonly sizes: readonly (readonly number[])[];
  readonly aspectRatios: readonly (readonly number[])[];
  /** Per level: base anchors `(x1, y1, x2, y2)` centred on (0, 0), torchvision's `cell_anchors`. */
  readonly cellAnchors: readonly Float32Array[];

  constructor(options: AnchorGeneratorOptions = {}) {
    this.sizes = readLevels(options.sizes ?? [[128, 256, 512]], 'sizes');
    this.aspectRatios = readLevels(options.aspectRatios ?? this.sizes.map(() => [0.5, 1, 2]), 'aspectRatios');
    if (this.sizes.length !== this.aspectRatios.length) {
      throw new ShapeError(
        `AnchorGenerator: sizes and aspectRatios need one entry per level, got ${this.sizes.length} and ${this.aspectRatios.length}`,
      );
    }
    this.cellAnchors = this.sizes.map((s, i) => AnchorGenerator.baseAnchors(s, this.aspectRatios[i]!));
  }

  /** torchvision's `generate_anchors(scales, aspect_ratios)`. */
  static baseAnchors(scales: readonly number[], aspectRatios: readonly number[]): Float32Array {
    const fr = Math.fround;
    const out = new Float32Array(4 * scales.length * aspectRatios.length);
    let p = 0;
    for (const ar of aspectRatios) {
      const hRatio = fr(Math.sqrt(fr(ar)));
      const wRatio = fr(1 / hRatio);
      for (const s of scales) {
        const w = fr(wRatio * fr(s));
        const h = fr(hRatio * fr(s));
        out[p++] = roundHalfEven(fr(-w / 2));
        out[p++] = roundHalfEven(fr(-h / 2));
        out[p++] = roundHalfEven(fr(w / 2));
        out[p++] = roundHalfEven(fr(h / 2));
      }
    }
    return out;
  }

  /** Anchors per location for each level (`sizes x ratios`). */
  numAnchorsPerLocation(): number[] {
    return this.sizes.map((s, i) => s.length * this.aspectRatios[i]!.length);
  }

  /**
   * All anchors of one image of `imageSize` ([height, width], the padded batch size) for feature maps of
   * `featureSizes` ([height, width] per level): a Float32Array of 4A numbers `(x1, y1, x2, y2)`.
   */
  generate(imageSize: readonly [number, number], featureSizes: readonly (readonly [number, number])[]): Float32Array {
    if (!Array.isArray(featureSizes) || featureSizes.length !== this.cellAnchors.length) {
      throw new ShapeError(
        `AnchorGenerator.generate: featureSizes: expected ${this.cellAnchors.length} [height, width] pairs (one per level), got ${describeValue(featureSizes)}`,
      );
    }
    const [imgH, imgW] = imageSize;
    let total = 0;
    featureSizes.forEach(([h, w], i) => {
      if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
        throw new RangeError(
          `AnchorGenerator.generate: featureSizes[${i}]: expected positive integers, got [${h}, ${w}]`,
        );
      }
      total += h * w * (this.cellAnchors[i]!.length / 4);
    });
    const out = new Float32Array(4 * total);
    let p = 0;
    featureSizes.forEach(([gh, gw], level) => {
      const strideH = Math.floor(imgH / gh);
      const strideW = Math.floor(imgW / gw);
      const base = this.cellAnchors[level]!;
      for (let y = 0; y < gh; y++) {
        const sy = y * strideH;
        for (let x = 0; x < gw; x++) {
          const sx = x * strideW;
          for (let a = 0; a < base.length; a += 4) {
            out[p++] = sx + base[a]!;
            out[p++] = sy + base[a + 1]!;
            out[p++] = sx + base[a + 2]!;
            out[p++] = sy + base[a + 3]!;
          }
        }
      }
    });
    return out;
  }
}
