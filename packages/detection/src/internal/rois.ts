/** Reading the feature map and RoI arguments of `roiAlign` / `roiPool`. Not exported from the package. */
import { describeValue, ShapeError, Tensor } from '@striate/core';
import { floatData } from './args.js';

export interface FeatureMap {
  data: Float32Array;
  n: number;
  c: number;
  h: number;
  w: number;
}

export function readFeatureMap(input: unknown, name: string): FeatureMap {
  if (!(input instanceof Tensor))
    throw new TypeError(`${name}: expected a [N, C, H, W] Tensor, got ${describeValue(input)}`);
  if (input.rank !== 4) {
    throw new ShapeError(`${name}: expected a tensor of shape [N, C, H, W], got shape [${input.shape.join(', ')}]`);
  }
  const [n, c, h, w] = input.shape as [number, number, number, number];
  return { data: floatData(input, name), n, c, h, w };
}

/** RoIs as `[K, 5]` rows `(batchIndex, x1, y1, x2, y2)`; batch indices must be integers in [0, N). */
export function readRois(rois: unknown, name: string, batch: number): { data: Float32Array | Float64Array; k: number } {
  let data: Float32Array | Float64Array;
  if (rois instanceof Tensor) {
    if (rois.rank !== 2 || rois.shape[1] !== 5) {
      throw new ShapeError(`${name}: expected a tensor of shape [K, 5], got shape [${rois.shape.join(', ')}]`);
    }
    data = floatData(rois, name);
  } else if (rois instanceof Float32Array || rois instanceof Float64Array) {
    if (rois.length % 5 !== 0) {
      throw new ShapeError(
        `${name}: expected 5 numbers per RoI (batchIndex, x1, y1, x2, y2), got length ${rois.length}`,
      );
    }
    data = rois;
  } else {
    throw new TypeError(
      `${name}: expected a [K, 5] Tensor or a Float32Array of 5K numbers, got ${describeValue(rois)}`,
    );
  }
  const k = data.length / 5;
  for (let r = 0; r < k; r++) {
    const b = data[5 * r]!;
    if (!Number.isInteger(b) || b < 0 || b >= batch) {
      throw new RangeError(`${name}[${r}][0] (batch index): expected an integer in [0, ${batch}), got ${b}`);
    }
  }
  return { data, k };
}

/** `outputSize` as a number or `[height, width]` of positive integers. */
export function readOutputSize(value: unknown, name: string): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)
  ) {
    throw new RangeError(
      `${name}: expected a positive integer or [height, width] of them, got ${describeValue(value)}`,
    );
  }
  return [pair[0] as number, pair[1] as number];
}
