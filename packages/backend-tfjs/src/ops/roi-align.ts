import { UnsupportedOpError } from '@striate/core';
import type { Tensor1D, Tensor2D, Tensor4D, Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { intAttr, numberAttr, stringAttr, where } from '../internal/attrs.js';
import { nchw, nhwc, type OpDef, req, toNchw, toNhwc } from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';

/**
 * ONNX RoiAlign, mode 'avg' (torchvision's roi_align), with tfjs ops only, so it runs on every tfjs device and the
 * RoIs can be computed at run time (nothing is read back to the host). Bilinear sampling and the average over a
 * bin's sample grid are separable along y and x, which both paths below use.
 *
 * Fixed sampling_ratio k (torchvision's Faster / Mask R-CNN use 2): a bin's k x k samples are part of one evenly
 * spaced PH*k x PW*k grid per RoI, sampled by tfjs's `cropAndResize` (bilinear, on X padded by one replicated cell
 * so that torchvision's border rules hold) and averaged by a k x k `avgPool`. Cost: O(R * PH * PW * k^2 * C).
 *
 * Adaptive grid (sampling_ratio 0: ceil(bin size) samples per side, different for each RoI, so no static tap count):
 * each RoI's output is `Ay[r] (PH x H) * X[b_r, c] (H x W) * Ax[r]^T (W x PW)`, where `Ay[r][p, y]` is the mean over
 * the bin's samples s of `valid(s) * max(0, 1 - |y - clamp(s, 0, H - 1)|)` (valid: s in [-1, H]), exactly
 * torchvision's weights (ly, hy) and border rules. Samples are then more than 0.5 apart (or there is one), so at most
 * 4 of them touch a row and a window of 6 grid indices around the row is enough. Cost: O(N * R * PH * H * W * C) and
 * an [R, PH, W, C] intermediate, much more than the fixed path on large maps.
 *
 * Batch indices are not range checked here (that would read them back); an index outside [0, N) yields zeros on
 * the adaptive path and whatever the device's gather gives on the fixed one.
 */

/** The window of grid indices enumerated per row when sampling_ratio is 0 (see above). */
const ADAPTIVE_WINDOW = 6;

interface AxisArgs {
  readonly start: TfTensor; // [R]
  readonly end: TfTensor; // [R]
  readonly bins: number;
  readonly size: number;
  readonly ratio: number;
  readonly minLength: number; // 1 for output_half_pixel, -Infinity for half_pixel
}

/** The [R, bins, size] weights of one axis. */
function axisWeights(tf: Tf, a: AxisArgs): TfTensor {
  const r = a.start.shape[0]!;
  let len = tf.sub(a.end, a.start);
  if (Number.isFinite(a.minLength)) len = tf.maximum(len, a.minLength);
  const bin = tf.div(len, a.bins); // [R]
  const grid = a.ratio > 0 ? tf.fill([r], a.ratio) : tf.ceil(bin); // [R], as torchvision's ceil(len / bins)
  const gridPos = tf.maximum(grid, 1);
  const step = tf.div(bin, gridPos);
  const k = a.ratio > 0 ? a.ratio : ADAPTIVE_WINDOW;
  const col = (t: TfTensor) => tf.reshape(t, [r, 1, 1, 1]);
  const p = tf.tensor(
    Array.from({ length: a.bins }, (_, i) => i),
    [1, a.bins, 1, 1],
  );
  const pos = tf.tensor(
    Array.from({ length: a.size }, (_, i) => i),
    [1, 1, 1, a.size],
  );
  const ks = tf.tensor(
    Array.from({ length: k }, (_, i) => i),
    [1, 1, k, 1],
  );
  const binStart = tf.add(col(a.start), tf.mul(p, col(bin))); // [R, P, 1, 1]
  let index: TfTensor = ks; // [1, 1, K, 1] or [R, P, K, S]
  if (a.ratio === 0) {
    // First grid index whose sample can reach row `pos`, less one for rounding, kept inside [0, grid - K].
    const t = tf.sub(tf.div(tf.sub(tf.sub(pos, 1), binStart), col(step)), 0.5);
    const hi = col(tf.maximum(tf.sub(grid, k), 0));
    const first = tf.minimum(tf.maximum(tf.sub(tf.floor(t), 1), 0), hi); // [R, P, 1, S]
    index = tf.add(first, ks);
  }
  const sample = tf.add(binStart, tf.mul(tf.add(index, 0.5), col(step)));
  const valid = tf.logicalAnd(
    tf.logicalAnd(tf.greaterEqual(sample, -1), tf.lessEqual(sample, a.size)),
    tf.less(index, col(grid)),
  );
  const clamped = tf.clipByValue(sample, 0, a.size - 1);
  const tent = tf.relu(tf.sub(1, tf.abs(tf.sub(pos, clamped))));
  const w = tf.mul(tent, tf.cast(valid, 'float32')); // [R, P, K, S]
  return tf.div(tf.sum(w, 2), tf.reshape(gridPos, [r, 1, 1])); // [R, P, S]
}

/**
 * The fixed-ratio path: the bins' k x k sample grids are one evenly spaced grid of PH*k x PW*k points per RoI, which
 * `cropAndResize` samples bilinearly, then a k x k average pool. torchvision reads the border row for a sample in
 * [-1, 0] (and [H - 1, H]) and 0 beyond; cropAndResize gives 0 outside [0, H - 1], so X is first padded by one
 * replicated cell on each side and the samples shifted by +1. Returns [R, PH, PW, C].
 */
function cropSamples(
  tf: Tf,
  xNhwc: TfTensor,
  batch: TfTensor,
  box: { y1: TfTensor; x1: TfTensor; y2: TfTensor; x2: TfTensor },
  bins: [number, number],
  ratio: number,
  minLength: number,
): TfTensor {
  const [, h, w] = xNhwc.shape as [number, number, number, number];
  const padded = tf.mirrorPad(
    xNhwc as Tensor4D,
    [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
    'symmetric',
  );
  // First and last sample along one axis, in the padded map's normalized coordinates.
  const ends = (start: TfTensor, end: TfTensor, count: number, size: number): [TfTensor, TfTensor] => {
    let len = tf.sub(end, start);
    if (Number.isFinite(minLength)) len = tf.maximum(len, minLength);
    const step = tf.div(len, count * ratio);
    const first = tf.add(tf.add(start, tf.mul(step, 0.5)), 1);
    const last = tf.add(first, tf.mul(step, count * ratio - 1));
    return [tf.div(first, size + 1), tf.div(last, size + 1)];
  };
  const [ya, yb] = ends(box.y1, box.y2, bins[0], h);
  const [xa, xb] = ends(box.x1, box.x2, bins[1], w);
  const crops = tf.image.cropAndResize(
    padded as Tensor4D,
    tf.stack([ya, xa, yb, xb], 1) as Tensor2D,
    tf.cast(batch, 'int32') as Tensor1D,
    [bins[0] * ratio, bins[1] * ratio],
    'bilinear',
    0,
  );
  return ratio === 1 ? crops : tf.avgPool(crops, [ratio, ratio], [ratio, ratio], 'valid');
}

const roiAlign: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const mode = stringAttr(node.attrs, 'mode', ['avg', 'max'], node);
  if (mode === 'max') {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: mode 'max' (ONNX Runtime's weighted-corner maximum) is not implemented on tfjs; use 'avg'`,
    );
  }
  const coord = stringAttr(node.attrs, 'coordinate_transformation_mode', ['half_pixel', 'output_half_pixel'], node);
  const oh = intAttr(node.attrs, 'output_height', 1, node);
  const ow = intAttr(node.attrs, 'output_width', 1, node);
  const ratio = intAttr(node.attrs, 'sampling_ratio', 0, node);
  const scale = numberAttr(node.attrs, 'spatial_scale', 1, node);
  if (oh < 1 || ow < 1 || ratio < 0) {
    throw new RangeError(
      `${where(node)}: expected output_height, output_width >= 1 and sampling_ratio >= 0, got ${oh}, ${ow}, ${ratio}`,
    );
  }
  const offset = coord === 'half_pixel' ? 0.5 : 0;
  const minLength = coord === 'half_pixel' ? Number.NEGATIVE_INFINITY : 1;
  return {
    run: (inputs) => {
      const xv = req(inputs, 0, 'X', node);
      const rois = toNchw(tf, req(inputs, 1, 'rois', node));
      const idx = toNchw(tf, req(inputs, 2, 'batch_indices', node));
      const c = xv.t.shape[xv.nhwc ? 3 : 1]!;
      const r = rois.shape[0]!;
      // No RoIs (e.g. no proposals): an empty result; tfjs-wasm's kernels fail on some zero-sized shapes.
      if (r === 0) return [nchw(tf.zeros([0, c, oh, ow]))];
      const coords = tf.sub(tf.mul(rois, scale), offset); // [R, 4]
      const [x1, y1, x2, y2] = tf.unstack(coords, 1);
      if (ratio > 0) {
        const y = cropSamples(
          tf,
          toNhwc(tf, xv),
          idx,
          { y1: y1!, x1: x1!, y2: y2!, x2: x2! },
          [oh, ow],
          ratio,
          minLength,
        );
        return [nhwc(y)];
      }
      const x = toNchw(tf, xv);
      const [n, , h, w] = x.shape as [number, number, number, number];
      const ay = axisWeights(tf, { start: y1!, end: y2!, bins: oh, size: h, ratio, minLength });
      const ax = axisWeights(tf, { start: x1!, end: x2!, bins: ow, size: w, ratio, minLength });
      // Rows first, per batch item: [R*PH, H] x [H, W*C], the RoIs of other items masked to zero.
      const xh = tf.reshape(tf.transpose(x, [0, 2, 3, 1]), [n, h, w * c]);
      const ay2 = tf.reshape(ay, [r * oh, h]);
      let rows: TfTensor | null = null;
      for (let b = 0; b < n; b++) {
        const mine = tf.reshape(tf.cast(tf.equal(idx, b), 'float32'), [r, 1]);
        const masked = tf.reshape(tf.mul(tf.reshape(ay, [r, oh * h]), mine), [r * oh, h]);
        const part = tf.matMul(n === 1 ? ay2 : masked, tf.reshape(tf.slice(xh, [b, 0, 0], [1, h, w * c]), [h, w * c]));
        rows = rows ? tf.add(rows, part) : part;
      }
      // Then columns, per RoI: [PW, W] x [W, PH*C].
      const t = tf.reshape(tf.transpose(tf.reshape(rows!, [r, oh, w, c]), [0, 2, 1, 3]), [r, w, oh * c]);
      const y = tf.matMul(ax, t); // [R, PW, PH*C]
      return [nchw(tf.transpose(tf.reshape(y, [r, ow, oh, c]), [0, 3, 2, 1]))];
    },
  };
};

export const roiAlignOps: Record<string, OpDef> = { RoiAlign: roiAlign };
