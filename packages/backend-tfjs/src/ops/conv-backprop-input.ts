import type { Tensor4D, Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../internal/runtime.js';

/** A conv2d `pad` argument as tfjs takes it. */
export type ConvPad = 'valid' | 'same' | number | readonly (readonly [number, number])[];

/** The top and left padding of a stride-s conv2d of an [.., h, w, ..] input giving [.., oh, ow, ..], as tfjs computes it. */
export function leadingPads(
  pad: ConvPad,
  [h, w]: readonly [number, number],
  [oh, ow]: readonly [number, number],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
): [number, number] {
  if (pad === 'valid') return [0, 0];
  if (typeof pad === 'number') return [pad, pad];
  if (pad === 'same') {
    return [Math.floor(Math.max(0, (oh - 1) * sh + kh - h) / 2), Math.floor(Math.max(0, (ow - 1) * sw + kw - w) / 2)];
  }
  return [pad[1]![0], pad[2]![0]];
}

/**
 * Inserts `s - 1` zeros after each element along `axis` (length L -> L * s, the last zeros included) with a
 * reshape to rank 4, a pad and a reshape back: differentiable, and rank 4 because tfjs-backend-webgpu's pad
 * shader fails to compile for rank 6.
 */
export function dilateAxis(tf: Tf, t: TfTensor, axis: number, s: number): TfTensor {
  if (s === 1) return t;
  const shape = t.shape;
  const before = shape.slice(0, axis).reduce((a, d) => a * d, 1);
  const after = shape.slice(axis + 1).reduce((a, d) => a * d, 1);
  const padded = tf.pad(tf.reshape(t, [before, shape[axis]!, 1, after]), [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  return tf.reshape(
    padded,
    shape.map((d, i) => (i === axis ? d * s : d)),
  );
}

/** Pads (count > 0) or crops (count < 0) `t` at both ends of `axis`. */
function padOrCrop(tf: Tf, t: TfTensor, axis: number, before: number, after: number): TfTensor {
  let out = t;
  if (before > 0 || after > 0) {
    const p = out.shape.map((): [number, number] => [0, 0]);
    p[axis] = [Math.max(0, before), Math.max(0, after)];
    out = tf.pad(out, p);
  }
  if (before < 0 || after < 0) {
    const begin = out.shape.map(() => 0);
    const size = [...out.shape];
    begin[axis] = Math.max(0, -before);
    size[axis] = out.shape[axis]! - Math.max(0, -before) - Math.max(0, -after);
    out = tf.slice(out, begin, size);
  }
  return out;
}

/**
 * The gradient of a dilation-1 conv2d (NHWC) with respect to its input — what tfjs's Conv2DBackpropInput
 * (`conv2dTranspose`) computes — written as a forward conv2d: dy dilated by the strides (zeros between rows and
 * columns, by reshape and pad), padded by kernel - 1 - pad (or cropped), correlated with the filter flipped in
 * space and with its channels swapped. Differentiable in dy and the filter with conv2d's, pad's and reverse's
 * gradients, and much faster than tfjs-backend-wasm's Conv2DBackpropInput, which is a plain loop.
 *
 * `filter` is [kh, kw, inChannels, outChannels] of the forward conv; `dy` is [N, OH, OW, outChannels]; the
 * result has `inShape` [N, H, W, inChannels].
 */
export function conv2dBackpropInput(
  tf: Tf,
  dy: TfTensor,
  filter: TfTensor,
  inShape: readonly [number, number, number, number],
  strides: readonly [number, number],
  pad: ConvPad,
): Tensor4D {
  const [kh, kw] = filter.shape as [number, number];
  const [, oh, ow] = dy.shape as [number, number, number, number];
  const [, h, w] = inShape;
  const [sh, sw] = strides;
  const [pt, pl] = leadingPads(pad, [h, w], [oh, ow], [kh, kw], [sh, sw]);
  let d = dilateAxis(tf, dilateAxis(tf, dy, 1, sh), 2, sw); // [n, oh * sh, ow * sw, co]
  const top = kh - 1 - pt;
  const left = kw - 1 - pl;
  d = padOrCrop(tf, d, 1, top, h + kh - 1 - top - oh * sh);
  d = padOrCrop(tf, d, 2, left, w + kw - 1 - left - ow * sw);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(d as Tensor4D, flipped as Tensor4D, 1, 'valid');
}
