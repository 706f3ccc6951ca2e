/**
 * Box utilities: area and clipping to an image, as torchvision's `box_area` and `clip_boxes_to_image`.
 * The IoU family is in `box-iou.ts`, format conversion in `box-convert.ts`, `masksToBoxes` in
 * `masks-to-boxes.ts`.
 *
 * Boxes are `(x1, y1, x2, y2)`: a Float32Array/Float64Array of 4N coordinates, or an `[N, 4]` tensor (float32,
 * float16, int32, int64 or uint8). Results are float32: a Float32Array for typed-array input, a Tensor for tensor
 * input. Values are computed in float64 and stored as float32.
 */
import { describeValue } from './errors.js';
import { type BoxesLike, type BoxesResult, readBoxes } from './internal/box-input.js';
import { Tensor } from './tensor.js';

export type { BoxesLike, BoxesResult, FlatBoxes, PairwiseResult } from './internal/box-input.js';

/** What `boxArea` returns: a float32 `[N]` tensor for a tensor, a Float32Array otherwise. */
export type AreaResult<A> = A extends Tensor ? Tensor<'float32'> : Float32Array;

/**
 * Areas of `(x1, y1, x2, y2)` boxes: `(x2 - x1) * (y2 - y1)`, as `torchvision.ops.box_area`. Not clamped, so a
 * box with x2 < x1 has a negative area (as in torchvision). NaN coordinates give NaN. Returns a Float32Array of N
 * values, or a float32 tensor of shape `[N]` for a tensor.
 */
export function boxArea<A extends BoxesLike>(boxes: A): AreaResult<A> {
  const { coords, count, isTensor } = readBoxes(boxes, 'boxArea: boxes');
  const out = new Float32Array(count);
  for (let i = 0, p = 0; i < count; i++, p += 4) {
    out[i] = (coords[p + 2]! - coords[p]!) * (coords[p + 3]! - coords[p + 1]!);
  }
  return (isTensor ? new Tensor('float32', [count], out) : out) as AreaResult<A>;
}

function readSize(size: unknown): [number, number] {
  if (!Array.isArray(size) || size.length !== 2) {
    throw new TypeError(`clipBoxes: size: expected [height, width], got ${describeValue(size)}`);
  }
  const names = ['height', 'width'];
  for (let k = 0; k < 2; k++) {
    const v = size[k] as unknown;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `clipBoxes: size[${k}] (${names[k]}): expected a finite number >= 0, got ${describeValue(v)}`,
      );
    }
  }
  return [size[0] as number, size[1] as number];
}

/**
 * Clips `(x1, y1, x2, y2)` boxes to an image of `[height, width]`, as `torchvision.ops.clip_boxes_to_image`:
 * x coordinates are clamped to [0, width], y coordinates to [0, height]. NaN coordinates stay NaN (as torch.clamp);
 * +-Infinity is clamped to the bounds. Returns new boxes (Float32Array, or a float32 `[N, 4]` tensor for a tensor).
 */
export function clipBoxes<A extends BoxesLike>(boxes: A, size: readonly [number, number]): BoxesResult<A> {
  const { coords, count, isTensor } = readBoxes(boxes, 'clipBoxes: boxes');
  const [height, width] = readSize(size);
  const out = new Float32Array(count * 4);
  for (let p = 0; p < out.length; p++) {
    const v = coords[p]!;
    const hi = (p & 1) === 0 ? width : height;
    // torch's clamp(min=0, max=hi); Math.max/Math.min propagate NaN as it does.
    out[p] = Math.min(Math.max(v, 0), hi);
  }
  return (isTensor ? new Tensor('float32', [count, 4], out) : out) as BoxesResult<A>;
}
