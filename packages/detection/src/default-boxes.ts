/**
 * Prior boxes of single-shot detectors.
 *
 * `ssdDefaultBoxes` follows torchvision's `DefaultBoxGenerator` (SSD, Liu et al. 2016): per level k a scale s_k
 * (linear from `minRatio` to `maxRatio`, or given `scales`, or Caffe-style `minSizes`/`maxSizes` in pixels), boxes
 * `(s_k, s_k)`, `(s'_k, s'_k)` with `s'_k = sqrt(s_k * s_{k+1})`, and for each aspect ratio r
 * `(s_k sqrt(r), s_k / sqrt(r))` and its transpose; centres at `(j + 0.5) / f_k` (or `/ (imageSize / step)`).
 * Order: level, row, column, box. `clip` clamps the sizes to [0, 1] (torchvision's behaviour).
 *
 * `yoloAnchors` lays out YOLO v2/v3-style anchors per stride: for each level, every grid cell gets the level's
 * anchor sizes (pixels) centred on the cell centre.
 */
import { describeValue, ShapeError } from '@striate/core';

export interface SsdDefaultBoxesOptions {
  /** Extra aspect ratios per level (torchvision: `[[2], [2, 3], [2, 3], [2, 3], [2], [2]]` for SSD300). */
  aspectRatios: readonly (readonly number[])[];
  /** Feature map sizes `[height, width]` per level. */
  featureSizes: readonly (readonly [number, number])[];
  /** Image `[height, width]`, used for pixel boxes, `steps` and `minSizes`/`maxSizes`. */
  imageSize: readonly [number, number];
  /** Default 0.15 and 0.9 (torchvision). */
  minRatio?: number;
  maxRatio?: number;
  /** Explicit scales, one more than the levels (torchvision's `scales`). */
  scales?: readonly number[];
  /** Caffe SSD: pixel min/max sizes per level (s_k = min / imageWidth, s'_k = sqrt(min * max) / imageWidth). */
  minSizes?: readonly number[];
  maxSizes?: readonly number[];
  /** Pixel strides per level for the centres (torchvision's `steps`). */
  steps?: readonly number[];
  /** Clamp box sizes to [0, 1]. Default true. */
  clip?: boolean;
}

export interface DefaultBoxes {
  /** `(cx, cy, w, h)` relative to the image (torchvision's `default_boxes`). */
  cxcywh: Float32Array;
  /** `(x1, y1, x2, y2)` in pixels (what `DefaultBoxGenerator.forward` returns). */
  xyxy: Float32Array;
}

export function ssdDefaultBoxes(options: SsdDefaultBoxesOptions): DefaultBoxes {
  const { aspectRatios, featureSizes, imageSize } = options;
  const levels = aspectRatios?.length ?? 0;
  if (levels === 0 || featureSizes?.length !== levels) {
    throw new ShapeError(
      `ssdDefaultBoxes: expected aspectRatios and featureSizes with one entry per level, got ${describeValue(aspectRatios)} and ${describeValue(featureSizes)}`,
    );
  }
  const clip = options.clip ?? true;
  // (w, h) pairs per level.
  const pairs: number[][] = [];
  for (let k = 0; k < levels; k++) {
    let sk: number;
    let skPrime: number;
    if (options.minSizes || options.maxSizes) {
      const mins = options.minSizes;
      const maxs = options.maxSizes;
      if (mins?.length !== levels || maxs?.length !== levels) {
        throw new ShapeError(`ssdDefaultBoxes: minSizes and maxSizes need ${levels} entries each`);
      }
      sk = mins[k]! / imageSize[1];
      skPrime = Math.sqrt(mins[k]! * maxs[k]!) / imageSize[1];
    } else {
      const scales = options.scales ?? linearScales(levels, options.minRatio ?? 0.15, options.maxRatio ?? 0.9);
      if (scales.length !== levels + 1) {
        throw new ShapeError(
          `ssdDefaultBoxes: scales: expected ${levels + 1} values (levels + 1), got ${scales.length}`,
        );
      }
      sk = scales[k]!;
      skPrime = Math.sqrt(scales[k]! * scales[k + 1]!);
    }
    const wh = [sk, sk, skPrime, skPrime];
    for (const ar of aspectRatios[k]!) {
      if (!(ar > 0)) throw new RangeError(`ssdDefaultBoxes: aspectRatios[${k}]: expected numbers > 0, got ${ar}`);
      const r = Math.sqrt(ar);
      wh.push(sk * r, sk / r, sk / r, sk * r);
    }
    pairs.push(clip ? wh.map((v) => Math.min(Math.max(v, 0), 1)) : wh);
  }
  let total = 0;
  featureSizes.forEach(([h, w], k) => {
    total += h * w * (pairs[k]!.length / 2);
  });
  const cxcywh = new Float32Array(4 * total);
  const xyxy = new Float32Array(4 * total);
  const [imgH, imgW] = imageSize;
  let p = 0;
  featureSizes.forEach(([fh, fw], k) => {
    const step = options.steps?.[k];
    const xf = step ? imgW / step : fw;
    const yf = step ? imgH / step : fh;
    const wh = pairs[k]!;
    for (let y = 0; y < fh; y++) {
      const cy = (y + 0.5) / yf;
      for (let x = 0; x < fw; x++) {
        const cx = (x + 0.5) / xf;
        for (let b = 0; b < wh.length; b += 2, p += 4) {
          const w = wh[b]!;
          const h = wh[b + 1]!;
          cxcywh.set([cx, cy, w, h], p);
          xyxy.set([(cx - 0.5 * w) * imgW, (cy - 0.5 * h) * imgH, (cx + 0.5 * w) * imgW, (cy + 0.5 * h) * imgH], p);
        }
      }
    }
  });
  return { cxcywh, xyxy };
}

function linearScales(levels: number, minRatio: number, maxRatio: number): number[] {
  const scales: number[] = [];
  for (let k = 0; k < levels; k++)
    scales.push(levels === 1 ? minRatio : minRatio + ((maxRatio - minRatio) * k) / (levels - 1));
  scales.push(1);
  return scales;
}

export interface YoloAnchorLevel {
  stride: number;
  gridHeight: number;
  gridWidth: number;
  /** Anchor `(w, h)` pairs in pixels. */
  anchors: Float32Array;
}

export interface YoloAnchors {
  levels: YoloAnchorLevel[];
  /** Every anchor as `(x1, y1, x2, y2)` pixels centred on its cell centre: level, row, column, anchor. */
  boxes: Float32Array;
}

/**
 * YOLO anchors per stride, e.g. YOLOv3 at 416x416: `strides [8, 16, 32]`, `anchors [[[10,13],[16,30],[33,23]],
 * [[30,61],[62,45],[59,119]], [[116,90],[156,198],[373,326]]]`. Grids are `ceil(imageSize / stride)`.
 */
export function yoloAnchors(
  imageSize: readonly [number, number],
  strides: readonly number[],
  anchors: readonly (readonly (readonly [number, number])[])[],
): YoloAnchors {
  if (!Array.isArray(strides) || strides.length === 0 || anchors?.length !== strides.length) {
    throw new ShapeError(
      `yoloAnchors: expected one anchor list per stride, got ${describeValue(strides)} and ${describeValue(anchors)}`,
    );
  }
  const levels: YoloAnchorLevel[] = strides.map((stride, k) => {
    if (!(Number.isFinite(stride) && stride > 0)) {
      throw new RangeError(`yoloAnchors: strides[${k}]: expected a number > 0, got ${describeValue(stride)}`);
    }
    return {
      stride,
      gridHeight: Math.ceil(imageSize[0] / stride),
      gridWidth: Math.ceil(imageSize[1] / stride),
      anchors: Float32Array.from(anchors[k]!.flat()),
    };
  });
  let total = 0;
  for (const l of levels) total += l.gridHeight * l.gridWidth * (l.anchors.length / 2);
  const boxes = new Float32Array(4 * total);
  let p = 0;
  for (const { stride, gridHeight, gridWidth, anchors: wh } of levels) {
    for (let y = 0; y < gridHeight; y++) {
      for (let x = 0; x < gridWidth; x++) {
        const cx = (x + 0.5) * stride;
        const cy = (y + 0.5) * stride;
        for (let a = 0; a < wh.length; a += 2, p += 4) {
          boxes.set([cx - wh[a]! / 2, cy - wh[a + 1]! / 2, cx + wh[a]! / 2, cy + wh[a + 1]! / 2], p);
        }
      }
    }
  }
  return { levels, boxes };
}
