/**
 * RoIPool as a graph op: `roiPoolGraph` records one ONNX `MaxRoiPool` node (core's IR op) with `roiPool`'s
 * arguments (torchvision's `roi_pool`), so a Fast R-CNN-style second stage compiles and runs on a backend.
 */
import { describeValue, GraphBuilder, type Value } from '@striate/core';
import { readOutputSize } from './internal/rois.js';

export interface RoiPoolGraphOptions {
  /** Output bins, `n` or `[height, width]`. */
  readonly outputSize: number | readonly [number, number];
  /** Feature-map units per input unit (1/stride); default 1. */
  readonly spatialScale?: number;
  /** Node name (default 'roi_pool'). */
  readonly name?: string;
}

/**
 * One ONNX MaxRoiPool node: `features` [N, C, H, W], `rois` [R, 5] `(batch_index, x1, y1, x2, y2)` in input
 * coordinates -> [R, C, oh, ow]. Equals `roiPool` for the same arguments.
 */
export function roiPoolGraph(features: Value, rois: Value, options: RoiPoolGraphOptions): Value {
  for (const [name, v] of [
    ['features', features],
    ['rois', rois],
  ] as const) {
    if (typeof v !== 'object' || v === null || !((v as Value).builder instanceof GraphBuilder)) {
      throw new TypeError(`roiPoolGraph: ${name}: expected a graph Value, got ${describeValue(v)}`);
    }
  }
  const [oh, ow] = readOutputSize(options?.outputSize, 'roiPoolGraph: options.outputSize');
  const scale = options.spatialScale ?? 1;
  if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`roiPoolGraph: options.spatialScale: expected a number > 0, got ${describeValue(scale)}`);
  }
  const [y] = features.builder.op(
    'MaxRoiPool',
    [features, rois],
    { pooled_shape: [oh, ow], spatial_scale: scale },
    { name: options.name ?? 'roi_pool' },
  );
  return y!;
}
