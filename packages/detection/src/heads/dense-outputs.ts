/** Reshaping per-level dense predictions [N, A*K, H, W] to [N, H*W*A, K] and concatenating levels (torchvision). */
import { functional as F, formatShape, ShapeError, type Value } from '@striate/core';

/** `x.view(N, A, K, H, W).permute(0, 3, 4, 1, 2).reshape(N, -1, K)`: per location, then per anchor. */
export function permuteAndFlatten(x: Value, k: number): Value {
  const [, c, h, w] = x.shape;
  if (x.shape.length !== 4 || typeof c !== 'number' || typeof h !== 'number' || typeof w !== 'number' || c % k) {
    throw new ShapeError(
      `permuteAndFlatten: expected [N, A*${k}, H, W] with numeric C, H, W, got ${formatShape(x.shape)}`,
    );
  }
  const a = c / k;
  const t = F.transpose(F.reshape(x, [0, a, k, h, w]), [0, 3, 4, 1, 2]);
  return F.reshape(t, [0, h * w * a, k]);
}

/** Each level through `permuteAndFlatten`, concatenated on the box axis: [N, sum(H*W*A), K]. */
export function concatLevels(levels: readonly Value[], k: number): Value {
  const flat = levels.map((x) => permuteAndFlatten(x, k));
  return flat.length === 1 ? flat[0]! : F.concat(flat, 1);
}
