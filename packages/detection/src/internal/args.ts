/**
 * Reading and validating the array arguments of the detection ops (boxes, scores, class ids, tensors).
 * Not exported from the package.
 */
import { DTypeError, describeValue, ShapeError, Tensor, toNumberArray } from '@striate/core';

/** Boxes as a flat typed array of 4N `(x1, y1, x2, y2)` coordinates or an `[N, 4]` tensor. */
export type BoxesInput = Float32Array | Float64Array | Tensor;

/** Per-box numbers: a typed array of N values or an `[N]` tensor. */
export type VectorInput = Float32Array | Float64Array | Int32Array | Tensor;

/** Validated boxes: coordinates, count, and whether arithmetic is float32 (as torch on a float32 tensor). */
export interface BoxArgs {
  readonly coords: Float32Array | Float64Array;
  readonly count: number;
  /** True for Float32Array and float32/float16 tensors: IoU is then computed in float32 like torchvision. */
  readonly f32: boolean;
}

export function readBoxesArg(boxes: unknown, name: string): BoxArgs {
  if (boxes instanceof Tensor) {
    if (boxes.rank !== 2 || boxes.shape[1] !== 4) {
      throw new ShapeError(`${name}: expected a tensor of shape [N, 4], got shape [${boxes.shape.join(', ')}]`);
    }
    if (boxes.dtype === 'bool') throw new DTypeError(`${name}: expected a numeric tensor, got a bool tensor`);
    if (boxes.dtype === 'float32') return { coords: boxes.data as Float32Array, count: boxes.shape[0]!, f32: true };
    const f32 = boxes.dtype === 'float16';
    const values = toNumberArray(boxes.dtype, boxes.data);
    return { coords: f32 ? Float32Array.from(values) : Float64Array.from(values), count: boxes.shape[0]!, f32 };
  }
  if (boxes instanceof Float32Array || boxes instanceof Float64Array) {
    if (boxes.length % 4 !== 0) {
      throw new ShapeError(
        `${name}: expected 4 coordinates per box (length a multiple of 4), got length ${boxes.length}`,
      );
    }
    return { coords: boxes, count: boxes.length / 4, f32: boxes instanceof Float32Array };
  }
  throw new TypeError(
    `${name}: expected a Float32Array, a Float64Array or an [N, 4] Tensor, got ${describeValue(boxes)}`,
  );
}

/** Reads N per-box numbers (scores or class ids) and checks the count against the boxes. */
export function readVectorArg(values: unknown, name: string, expected: number): ArrayLike<number> {
  let out: ArrayLike<number>;
  if (values instanceof Tensor) {
    if (values.rank !== 1) {
      throw new ShapeError(`${name}: expected a tensor of shape [N], got shape [${values.shape.join(', ')}]`);
    }
    if (values.dtype === 'bool') throw new DTypeError(`${name}: expected a numeric tensor, got a bool tensor`);
    out = toNumberArray(values.dtype, values.data);
  } else if (
    values instanceof Float32Array ||
    values instanceof Float64Array ||
    values instanceof Int32Array ||
    Array.isArray(values)
  ) {
    out = values as ArrayLike<number>;
  } else {
    throw new TypeError(`${name}: expected a typed array, a number[] or an [N] Tensor, got ${describeValue(values)}`);
  }
  if (out.length !== expected) {
    throw new ShapeError(`${name}: expected ${expected} values (one per box), got ${out.length}`);
  }
  return out;
}

/** An IoU threshold: a number in [0, 1]. */
export function readIouThreshold(value: unknown, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > 1) {
    throw new RangeError(`${name}: expected a number in [0, 1], got ${describeValue(value)}`);
  }
  return value;
}

/** A finite number, optionally constrained to be >= min (or > min when `exclusive`). */
export function readNumber(value: unknown, name: string, min = Number.NEGATIVE_INFINITY, exclusive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    const bound = min === Number.NEGATIVE_INFINITY ? '' : ` ${exclusive ? '>' : '>='} ${min}`;
    throw new RangeError(`${name}: expected a finite number${bound}, got ${describeValue(value)}`);
  }
  return value;
}

/** A positive integer (or >= min). */
export function readInt(value: unknown, name: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name}: expected an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}

/** A float32 view of a tensor's data (float32 as is, other dtypes converted). */
export function floatData(t: Tensor, name: string): Float32Array {
  if (t.dtype === 'bool') throw new DTypeError(`${name}: expected a numeric tensor, got a bool tensor`);
  return t.dtype === 'float32' ? (t.data as Float32Array) : Float32Array.from(toNumberArray(t.dtype, t.data));
}
