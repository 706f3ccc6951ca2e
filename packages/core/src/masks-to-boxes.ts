/**
 * Bounding boxes of masks, as `torchvision.ops.masks_to_boxes`.
 */
import { DataError, describeValue, ShapeError } from './errors.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

/** Options of `masksToBoxes`. */
export interface MasksToBoxesOptions {
  /**
   * What an all-zero mask gives: `'zeros'` (default) the box `[0, 0, 0, 0]`; `'error'` a DataError naming the
   * mask. torchvision raises for such a mask (torch.min of an empty tensor); `'zeros'` follows the common
   * convention of Detectron2 and of segmentation datasets. Note that `[0, 0, 0, 0]` is also the box of a mask whose
   * only nonzero pixel is (0, 0): ask for `'error'` where the two must be told apart.
   */
  empty?: 'zeros' | 'error';
}

/** A 0/1 flag per element for storage that cannot be compared with `!== 0` directly. */
function nonzeroFlags(mask: Tensor): ArrayLike<number> {
  if (mask.dtype === 'int64') {
    const data = mask.data as BigInt64Array;
    const flags = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) flags[i] = data[i] !== 0n ? 1 : 0;
    return flags;
  }
  if (mask.dtype === 'float16') {
    // Zero is +0 (0x0000) or -0 (0x8000); every other bit pattern, NaN included, is nonzero (as torch's mask != 0).
    const data = mask.data as Uint16Array;
    const flags = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) flags[i] = (data[i]! & 0x7fff) !== 0 ? 1 : 0;
    return flags;
  }
  return mask.data as Float32Array | Int32Array | Uint8Array;
}

/**
 * The `(x1, y1, x2, y2)` box around the nonzero pixels of each mask: x1/x2 the smallest/largest column index and
 * y1/y2 the smallest/largest row index holding a nonzero value (inclusive, so a single pixel at (x, y) gives
 * `[x, y, x, y]`), as torchvision. `masks` is an `[N, H, W]` tensor of any dtype (bool, uint8, int32, int64,
 * float16, float32); a value is set when it is != 0 (NaN counts as set, as in torch). Returns a Float32Array of 4N
 * values. An all-zero mask (including every mask when H or W is 0) gives `[0, 0, 0, 0]`, or a DataError with
 * `{ empty: 'error' }`. N = 0 gives an empty Float32Array.
 */
export function masksToBoxes(masks: Tensor, options?: MasksToBoxesOptions): Float32Array {
  if (!(masks instanceof Tensor)) {
    throw new TypeError(
      `masksToBoxes: masks: expected an [N, H, W] Tensor, got ${describeValue(masks)} (hint: tensor(data, [N, H, W], 'bool'))`,
    );
  }
  if (masks.rank !== 3) {
    throw new ShapeError(
      `masksToBoxes: masks: expected a tensor of shape [N, H, W], got shape ${formatShape(masks.shape)}`,
    );
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(
      `masksToBoxes: options: expected an object like { empty: 'zeros' }, got ${describeValue(options)}`,
    );
  }
  const empty = options?.empty ?? 'zeros';
  if (empty !== 'zeros' && empty !== 'error') {
    throw new RangeError(`masksToBoxes: options.empty: expected 'zeros' or 'error', got ${describeValue(empty)}`);
  }
  const [n, height, width] = masks.shape as [number, number, number];
  const data = nonzeroFlags(masks);
  const out = new Float32Array(4 * n);
  const plane = height * width;
  for (let k = 0; k < n; k++) {
    let minX = width;
    let maxX = -1;
    let minY = -1;
    let maxY = -1;
    for (let y = 0; y < height; y++) {
      const row = k * plane + y * width;
      let x = 0;
      while (x < width && data[row + x] === 0) x++;
      if (x === width) continue;
      if (minY < 0) minY = y;
      maxY = y;
      if (x < minX) minX = x;
      // Only columns right of the current maxX can move it.
      let r = width - 1;
      while (r > maxX && data[row + r] === 0) r--;
      if (r > maxX) maxX = r;
    }
    if (minY < 0) {
      if (empty === 'error') {
        throw new DataError(
          `masksToBoxes: masks[${k}] (shape [${height}, ${width}]) has no nonzero pixel, so it has no box; ` +
            `pass { empty: 'zeros' } to get [0, 0, 0, 0] for it`,
        );
      }
      continue;
    }
    out[4 * k] = minX;
    out[4 * k + 1] = minY;
    out[4 * k + 2] = maxX;
    out[4 * k + 3] = maxY;
  }
  return out;
}
