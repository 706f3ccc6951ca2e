/**
 * RoIAlign as graph ops, so a two-stage detector's second stage compiles and runs on a backend:
 * `roiAlignGraph` records one ONNX `RoiAlign` node (torchvision's `roi_align` arguments), and
 * `multiScaleRoIAlignGraph` is torchvision's `MultiScaleRoIAlign` over FPN levels.
 *
 * FPN level assignment (Mask R-CNN's `k = floor(4 + log2(sqrt(area) / 224))`, clamped to the levels) is done in
 * TypeScript before the graph runs, by `multiScaleRoIAlignFeeds`, because it needs ops the IR does not have (Log,
 * Floor, Gather by a computed index). It gives one `[R, 4]` RoI input per level holding every RoI in its original
 * order: a RoI of another level is "parked" far outside the map, where every bilinear sample is out of range and
 * RoiAlign gives exact zeros, so the graph sums the levels' outputs (`Add`) into `[R, C, oh, ow]` in box order, with
 * one symbolic R and no empty tensors. A parked RoI costs one sample per bin (adaptive grid) or ratio^2.
 */
import { describeValue, GraphBuilder, ShapeError, Tensor, type Value } from '@striate/core';
import { readBoxesArg, readInt } from './internal/args.js';
import { readOutputSize } from './internal/rois.js';
import { assignFpnLevels } from './multi-scale-roi-align.js';

export interface RoiAlignGraphOptions {
  /** Output bins, `n` or `[height, width]`. */
  readonly outputSize: number | readonly [number, number];
  /** Feature-map units per input unit (1/stride); default 1. */
  readonly spatialScale?: number;
  /** Samples per bin side; <= 0 (default) is adaptive, ceil(bin size) as torchvision. */
  readonly samplingRatio?: number;
  /** torchvision's aligned: true shifts boxes by -0.5 pixel (ONNX 'half_pixel'); default false. */
  readonly aligned?: boolean;
  /** Node name (default 'roi_align'). */
  readonly name?: string;
}

function checkValue(v: unknown, name: string): Value {
  if (typeof v !== 'object' || v === null || !((v as Value).builder instanceof GraphBuilder)) {
    throw new TypeError(
      `${name}: expected a graph Value (from a GraphBuilder or a Module's forward), got ${describeValue(v)}`,
    );
  }
  return v as Value;
}

/**
 * One ONNX RoiAlign node: `features` [N, C, H, W], `rois` [R, 4] `(x1, y1, x2, y2)` in input coordinates,
 * `batchIndices` [R] int64 -> [R, C, oh, ow]. Equals `roiAlign` (and torchvision's `roi_align`) for the same
 * arguments.
 */
export function roiAlignGraph(features: Value, rois: Value, batchIndices: Value, options: RoiAlignGraphOptions): Value {
  const x = checkValue(features, 'roiAlignGraph: features');
  checkValue(rois, 'roiAlignGraph: rois');
  checkValue(batchIndices, 'roiAlignGraph: batchIndices');
  const [oh, ow] = readOutputSize(options?.outputSize, 'roiAlignGraph: options.outputSize');
  const scale = options.spatialScale ?? 1;
  if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`roiAlignGraph: options.spatialScale: expected a number > 0, got ${describeValue(scale)}`);
  }
  const ratio = options.samplingRatio ?? 0;
  if (!Number.isInteger(ratio)) {
    throw new RangeError(`roiAlignGraph: options.samplingRatio: expected an integer, got ${describeValue(ratio)}`);
  }
  const [y] = x.builder.op(
    'RoiAlign',
    [x, rois, batchIndices],
    {
      mode: 'avg',
      output_height: oh,
      output_width: ow,
      sampling_ratio: Math.max(ratio, 0),
      spatial_scale: scale,
      coordinate_transformation_mode: options.aligned ? 'half_pixel' : 'output_half_pixel',
    },
    { name: options.name ?? 'roi_align' },
  );
  return y!;
}

export interface MultiScaleRoIAlignGraphOptions {
  readonly outputSize: number | readonly [number, number];
  /** torchvision uses 2 in Faster R-CNN's box head; <= 0 is adaptive. */
  readonly samplingRatio: number;
  /**
   * Scale of each level, finest first (e.g. `[1/4, 1/8, 1/16, 1/32]`): powers of two, as torchvision infers them
   * (`2^round(log2(featureHeight / imageHeight))`).
   */
  readonly spatialScales: readonly number[];
  /** Default 224. */
  readonly canonicalScale?: number;
  /** Default 4. */
  readonly canonicalLevel?: number;
  /** Node name prefix (default 'box_roi_pool'). */
  readonly name?: string;
}

function checkScales(scales: unknown, where: string): number[] {
  if (!Array.isArray(scales) || scales.length === 0) {
    throw new TypeError(`${where}: expected a non-empty number[] (one per level), got ${describeValue(scales)}`);
  }
  return scales.map((s, i) => {
    const k = typeof s === 'number' && s > 0 ? Math.log2(s) : Number.NaN;
    if (!Number.isInteger(k)) {
      throw new RangeError(`${where}[${i}]: expected a power of two (e.g. 0.25), got ${describeValue(s)}`);
    }
    return s as number;
  });
}

/**
 * torchvision's `MultiScaleRoIAlign` in the graph: `features` (finest first, scales `options.spatialScales`),
 * `levelRois[k]` the `[R, 4]` RoIs of level k (see `multiScaleRoIAlignFeeds`), `batchIndices` [R] int64. Returns
 * `[R, C, oh, ow]` in box order. RoiAlign runs with aligned=false, as torchvision's.
 */
export function multiScaleRoIAlignGraph(
  features: readonly Value[],
  levelRois: readonly Value[],
  batchIndices: Value,
  options: MultiScaleRoIAlignGraphOptions,
): Value {
  const scales = checkScales(options?.spatialScales, 'multiScaleRoIAlignGraph: options.spatialScales');
  if (!Array.isArray(features) || features.length !== scales.length) {
    throw new ShapeError(
      `multiScaleRoIAlignGraph: features: expected ${scales.length} feature maps (one per spatial scale), got ` +
        describeValue(features),
    );
  }
  if (!Array.isArray(levelRois) || levelRois.length !== scales.length) {
    throw new ShapeError(
      `multiScaleRoIAlignGraph: levelRois: expected ${scales.length} RoI inputs (one per level), got ` +
        describeValue(levelRois),
    );
  }
  const name = options.name ?? 'box_roi_pool';
  let out: Value | null = null;
  features.forEach((f, k) => {
    const pooled = roiAlignGraph(f, levelRois[k]!, batchIndices, {
      outputSize: options.outputSize,
      spatialScale: scales[k]!,
      samplingRatio: options.samplingRatio,
      aligned: false,
      name: `${name}.level${k}`,
    });
    out = out === null ? pooled : out.builder.op('Add', [out, pooled], {}, { name: `${name}.sum${k}` })[0]!;
  });
  return out!;
}

/** A coordinate far outside any feature map: every sample of a RoI placed there is out of range (exact zeros). */
export const PARKED_ROI_COORDINATE = -1e6;

export interface MultiScaleRoIAlignFeeds {
  /** `[R, 4]` per level: the RoIs of that level, the others parked. */
  readonly levelRois: Tensor<'float32'>[];
  /** `[R]` int64: the image of each RoI. */
  readonly batchIndices: Tensor<'int64'>;
  /** The level of each RoI (0 = finest). */
  readonly levels: Int32Array;
}

/**
 * The inputs of `multiScaleRoIAlignGraph` for `boxes[i]`, image i's boxes (4K_i numbers `(x1, y1, x2, y2)` in image
 * coordinates): RoIs in image order, each assigned to its FPN level as torchvision's `LevelMapper`.
 */
export function multiScaleRoIAlignFeeds(
  boxes: readonly (Float32Array | Float64Array)[],
  options: Pick<MultiScaleRoIAlignGraphOptions, 'spatialScales' | 'canonicalScale' | 'canonicalLevel'>,
): MultiScaleRoIAlignFeeds {
  const scales = checkScales(options?.spatialScales, 'multiScaleRoIAlignFeeds: options.spatialScales');
  if (!Array.isArray(boxes)) {
    throw new TypeError(
      `multiScaleRoIAlignFeeds: boxes: expected one Float32Array per image, got ${describeValue(boxes)}`,
    );
  }
  const counts = boxes.map((b, i) => readBoxesArg(b, `multiScaleRoIAlignFeeds: boxes[${i}]`).count);
  const total = counts.reduce((a, b) => a + b, 0);
  const flat = new Float32Array(4 * total);
  const batch = new BigInt64Array(total);
  let r = 0;
  boxes.forEach((b, img) => {
    flat.set(b, 4 * r);
    batch.fill(BigInt(img), r, r + counts[img]!);
    r += counts[img]!;
  });
  const kMin = -Math.log2(scales[0]!);
  const kMax = -Math.log2(scales[scales.length - 1]!);
  const levels =
    scales.length === 1
      ? new Int32Array(total)
      : assignFpnLevels(flat, kMin, kMax, {
          canonicalScale: readInt(options.canonicalScale ?? 224, 'multiScaleRoIAlignFeeds: options.canonicalScale'),
          canonicalLevel: readInt(options.canonicalLevel ?? 4, 'multiScaleRoIAlignFeeds: options.canonicalLevel'),
        });
  const levelRois = scales.map((_, k) => {
    const data = new Float32Array(4 * total).fill(PARKED_ROI_COORDINATE);
    for (let i = 0; i < total; i++) if (levels[i] === k) data.set(flat.subarray(4 * i, 4 * i + 4), 4 * i);
    return new Tensor('float32', [total, 4], data);
  });
  return { levelRois, batchIndices: new Tensor('int64', [total], batch), levels };
}
