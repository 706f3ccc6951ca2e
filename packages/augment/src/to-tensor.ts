/**
 * `toTensor` (HWC uint8 -> CHW float32 in [0, 1], torchvision `to_tensor` / `to_dtype(float32, scale=True)`) and
 * `normalize` (per-channel `(x - mean) / std` on a CHW or NCHW float32 tensor, torchvision `normalize`).
 */
import { DTypeError, ShapeError, Tensor } from '@striate/core';
import { finite, positive } from './internal/check.js';
import { assertImage, type ImageU8 } from './sample.js';

const INV255 = Math.fround(1 / 255);

/** A `[C, H, W]` float32 tensor of `value / 255` (torch's float32 `v * (1 / 255)`). */
export function toTensor(image: ImageU8): Tensor<'float32'> {
  assertImage(image, 'toTensor');
  const { data, height: h, width: w, channels: c } = image;
  const plane = h * w;
  const out = new Float32Array(c * plane);
  for (let k = 0; k < c; k++) {
    const base = k * plane;
    for (let p = 0, s = k; p < plane; p++, s += c) out[base + p] = data[s]! * INV255;
  }
  return new Tensor('float32', [c, h, w], out);
}

/** `(x - mean[c]) / std[c]` per channel of a float32 `[C, H, W]` or `[N, C, H, W]` tensor; returns a new tensor. */
export function normalize(tensor: Tensor, mean: readonly number[], std: readonly number[]): Tensor<'float32'> {
  const fn = 'normalize';
  if (!(tensor instanceof Tensor)) throw new TypeError(`${fn}: tensor: expected a Tensor`);
  if (tensor.dtype !== 'float32') throw new DTypeError(`${fn}: tensor: expected float32, got ${tensor.dtype}`);
  if (tensor.rank !== 3 && tensor.rank !== 4) {
    throw new ShapeError(`${fn}: tensor: expected [C, H, W] or [N, C, H, W], got [${tensor.shape.join(', ')}]`);
  }
  const c = tensor.shape[tensor.rank - 3]!;
  if (!Array.isArray(mean) || mean.length !== c)
    throw new RangeError(`${fn}: mean: expected ${c} values, got ${mean?.length}`);
  if (!Array.isArray(std) || std.length !== c)
    throw new RangeError(`${fn}: std: expected ${c} values, got ${std?.length}`);
  const m = mean.map((v, k) => finite(v, fn, `mean[${k}]`));
  const s = std.map((v, k) => positive(v, fn, `std[${k}]`));
  const plane = tensor.shape[tensor.rank - 1]! * tensor.shape[tensor.rank - 2]!;
  const src = tensor.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let base = 0, k = 0; base < src.length; base += plane, k = (k + 1) % c) {
    const mk = Math.fround(m[k]!);
    const sk = Math.fround(s[k]!);
    for (let p = base; p < base + plane; p++) out[p] = Math.fround(src[p]! - mk) / sk;
  }
  return new Tensor('float32', [...tensor.shape], out);
}
