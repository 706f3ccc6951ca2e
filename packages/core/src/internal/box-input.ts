/**
 * Reading and validating box arguments for the box utilities (`boxes.ts`, `box-iou.ts`, `box-convert.ts`).
 * Not exported from the package.
 */
import { DTypeError, describeValue, ShapeError } from '../errors.js';
import { float16ToFloat32Array } from '../float16.js';
import { formatShape } from '../shape.js';
import { Tensor, toNumberArray } from '../tensor.js';

/** Boxes as a flat typed array of 4N coordinates, box after box. */
export type FlatBoxes = Float32Array | Float64Array;

/** Boxes as a flat typed array of 4N coordinates or an `[N, 4]` tensor (any dtype but bool). */
export type BoxesLike = FlatBoxes | Tensor;

/** What a box function returns for one boxes argument: a tensor for a tensor, a Float32Array otherwise. */
export type BoxesResult<A> = A extends Tensor ? Tensor<'float32'> : Float32Array;

/** What a pairwise function returns: an `[N, M]` tensor when either argument is a tensor, else a Float32Array. */
export type PairwiseResult<A, B> = A extends Tensor
  ? Tensor<'float32'>
  : B extends Tensor
    ? Tensor<'float32'>
    : Float32Array;

/** Validated boxes: the coordinates (4 per box, row-major) and the number of boxes. */
export interface BoxData {
  readonly coords: Float32Array | Float64Array;
  readonly count: number;
  readonly isTensor: boolean;
}

/**
 * Validates `boxes` and returns its coordinates without copying where it can (Float32Array, Float64Array and
 * float32 tensors); other tensor dtypes are converted to numbers.
 */
export function readBoxes(boxes: unknown, argName: string): BoxData {
  if (boxes instanceof Tensor) {
    if (boxes.rank !== 2 || boxes.shape[1] !== 4) {
      throw new ShapeError(`${argName}: expected a tensor of shape [N, 4], got shape ${formatShape(boxes.shape)}`);
    }
    const count = boxes.shape[0]!;
    switch (boxes.dtype) {
      case 'float32':
        return { coords: boxes.data as Float32Array, count, isTensor: true };
      case 'float16':
        return { coords: float16ToFloat32Array(boxes.data as Uint16Array), count, isTensor: true };
      case 'bool':
        throw new DTypeError(
          `${argName}: expected a numeric tensor (float32, float16, int32, int64 or uint8), got a bool tensor`,
        );
      default:
        return { coords: Float64Array.from(toNumberArray(boxes.dtype, boxes.data)), count, isTensor: true };
    }
  }
  if (boxes instanceof Float32Array || boxes instanceof Float64Array) {
    if (boxes.length % 4 !== 0) {
      throw new ShapeError(
        `${argName}: expected 4 coordinates per box (a length that is a multiple of 4), got length ${boxes.length}`,
      );
    }
    return { coords: boxes, count: boxes.length / 4, isTensor: false };
  }
  const hint = ArrayBuffer.isView(boxes)
    ? ` (wrap other typed arrays in a tensor: tensor(data, [N, 4]))`
    : Array.isArray(boxes)
      ? ' (use Float32Array.from(...) for a plain array)'
      : '';
  throw new TypeError(
    `${argName}: expected a Float32Array or Float64Array of 4N coordinates or an [N, 4] Tensor, got ${describeValue(boxes)}${hint}`,
  );
}
