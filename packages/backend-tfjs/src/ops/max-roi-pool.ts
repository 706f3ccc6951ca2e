import { ShapeError } from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { intsAttr, numberAttr, where } from '../internal/attrs.js';
import { nchw, type OpDef, req, toNchw } from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';

/**
 * ONNX MaxRoiPool (torchvision's roi_pool) with tfjs ops only, so the RoIs can be computed at run time: each RoI's
 * bin edges are computed as tensors (coordinates scaled in float32 and rounded half away from zero, as the CPU
 * kernels), and the maximum is separable: first over each bin's columns, then over its rows, with cells outside the
 * bin masked to -Infinity; an empty bin gives 0. Cost: the RoIs' maps are gathered ([R, C, H, W]) and masked once
 * per output column and row (each pass freed before the next). Batch indices outside [0, N) are not checked here.
 */

/** C's `round` (half away from zero) of `v * scale`. */
function scaledRound(tf: Tf, v: TfTensor, scale: number): TfTensor {
  const s = tf.mul(v, scale);
  return tf.mul(tf.sign(s), tf.floor(tf.add(tf.abs(s), 0.5)));
}

/** [R, P, S] bool: whether cell s of the map lies in bin p of each RoI, and [R, P] whether the bin is empty. */
function binMasks(tf: Tf, start: TfTensor, end: TfTensor, bins: number, size: number) {
  const r = start.shape[0]!;
  const len = tf.maximum(tf.add(tf.sub(end, start), 1), 1);
  const bin = tf.reshape(tf.div(len, bins), [r, 1]);
  const p = tf.tensor(
    Array.from({ length: bins }, (_, i) => i),
    [1, bins],
  );
  const s0 = tf.reshape(start, [r, 1]);
  const lo = tf.clipByValue(tf.add(tf.floor(tf.mul(p, bin)), s0), 0, size); // [R, P]
  const hi = tf.clipByValue(tf.add(tf.ceil(tf.mul(tf.add(p, 1), bin)), s0), 0, size);
  const cells = tf.tensor(
    Array.from({ length: size }, (_, i) => i),
    [1, 1, size],
  );
  const inside = tf.logicalAnd(tf.greaterEqual(cells, tf.expandDims(lo, 2)), tf.less(cells, tf.expandDims(hi, 2)));
  return { inside, empty: tf.lessEqual(hi, lo) };
}

const maxRoiPool: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const pooled = intsAttr(node.attrs, 'pooled_shape', node);
  if (pooled?.length !== 2 || pooled.some((v) => v < 1)) {
    throw new ShapeError(`${where(node)}: attribute pooled_shape: expected [height, width] >= 1, got ${pooled}`);
  }
  const [ph, pw] = pooled as [number, number];
  const scale = numberAttr(node.attrs, 'spatial_scale', 1, node);
  return {
    run: (inputs) => {
      const x = toNchw(tf, req(inputs, 0, 'X', node));
      const rois = toNchw(tf, req(inputs, 1, 'rois', node));
      const [, c, h, w] = x.shape as [number, number, number, number];
      const r = rois.shape[0]!;
      // No RoIs (e.g. no proposals): an empty result; tfjs-wasm's kernels fail on some zero-sized shapes.
      if (r === 0) return [nchw(tf.zeros([0, c, ph, pw]))];
      const [b, x1, y1, x2, y2] = tf.unstack(rois, 1) as [TfTensor, TfTensor, TfTensor, TfTensor, TfTensor];
      const rows = binMasks(tf, scaledRound(tf, y1, scale), scaledRound(tf, y2, scale), ph, h);
      const cols = binMasks(tf, scaledRound(tf, x1, scale), scaledRound(tf, x2, scale), pw, w);
      const maps = tf.gather(x, tf.cast(b, 'int32'), 0); // [R, C, H, W]
      const lowest = tf.scalar(Number.NEGATIVE_INFINITY);
      const colMax = tf.stack(
        Array.from({ length: pw }, (_, j) =>
          tf.tidy(() => {
            const m = tf.reshape(tf.slice(cols.inside, [0, j, 0], [r, 1, w]), [r, 1, 1, w]);
            return tf.max(tf.where(m, maps, lowest), 3); // [R, C, H]
          }),
        ),
        3,
      ); // [R, C, H, PW]
      const out = tf.stack(
        Array.from({ length: ph }, (_, i) =>
          tf.tidy(() => {
            const m = tf.reshape(tf.slice(rows.inside, [0, i, 0], [r, 1, h]), [r, 1, h, 1]);
            return tf.max(tf.where(m, colMax, lowest), 2); // [R, C, PW]
          }),
        ),
        2,
      ); // [R, C, PH, PW]
      const empty = tf.reshape(tf.logicalOr(tf.reshape(rows.empty, [r, ph, 1]), tf.reshape(cols.empty, [r, 1, pw])), [
        r,
        1,
        ph,
        pw,
      ]);
      return [nchw(tf.where(empty, tf.zerosLike(out), out))];
    },
  };
};

export const maxRoiPoolOps: Record<string, OpDef> = { MaxRoiPool: maxRoiPool };
