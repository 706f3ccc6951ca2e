import { UnsupportedOpError } from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { floatsOf, intAttr, normalizeAxis, numberAttr, where } from '../internal/attrs.js';
import { nchw, nhwc, type OpDef, req, toNchw, toNhwc } from '../internal/op-types.js';

/**
 * BatchNormalization (inference) folds to y = x * a + b with a = scale / sqrt(var + eps), b = B - mean * a, computed
 * once in float64 when the parameters are initializers; on NHWC the per-channel vectors broadcast on the last axis.
 */
const batchNorm: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const eps = numberAttr(node.attrs, 'epsilon', 1e-5, node);
  if (intAttr(node.attrs, 'training_mode', 0, node) !== 0 || node.outputs.filter((o) => o !== '').length > 1) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: only the inference form (training_mode 0, one output) is supported`,
    );
  }
  const consts = [1, 2, 3, 4].map((i) => ctx.constant(i));
  let folded: [TfTensor, TfTensor] | null = null;
  if (consts.every((c) => c !== undefined)) {
    const [scale, bias, mean, variance] = consts.map((c) => floatsOf(c!)) as [number[], number[], number[], number[]];
    const a = new Float32Array(scale.length);
    const b = new Float32Array(scale.length);
    for (let c = 0; c < scale.length; c++) {
      const s = scale[c]! / Math.sqrt(variance[c]! + eps);
      a[c] = s;
      b[c] = bias[c]! - mean[c]! * s;
    }
    folded = [ctx.own(tf.tensor1d(a)), ctx.own(tf.tensor1d(b))];
  }
  return {
    staticInputs: folded ? [1, 2, 3, 4] : [],
    run: (inputs) => {
      const xv = req(inputs, 0, 'X', node);
      let a: TfTensor;
      let b: TfTensor;
      if (folded) {
        [a, b] = folded;
      } else {
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => toNchw(tf, req(inputs, i, 'param', node))) as [
          TfTensor,
          TfTensor,
          TfTensor,
          TfTensor,
        ];
        a = tf.div(scale, tf.sqrt(tf.add(variance, eps)));
        b = tf.sub(bias, tf.mul(mean, a));
      }
      const rank = xv.t.rank;
      if (rank === 4 || xv.nhwc) return [nhwc(tf.add(tf.mul(toNhwc(tf, xv), a), b))];
      const x = xv.t;
      if (rank === 2) return [nchw(tf.add(tf.mul(x, a), b))];
      const shape = [a.shape[0]!, ...new Array<number>(Math.max(0, rank - 2)).fill(1)];
      return [nchw(tf.add(tf.mul(x, tf.reshape(a, shape)), tf.reshape(b, shape)))];
    },
  };
};

const layerNorm: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const eps = numberAttr(node.attrs, 'epsilon', 1e-5, node);
  const axisAttr = intAttr(node.attrs, 'axis', -1, node);
  if (node.outputs.filter((o) => o !== '').length > 1) {
    throw new UnsupportedOpError(node.op, `${where(node)}: only the Y output is supported`);
  }
  return {
    run: (inputs) => {
      const x = toNchw(tf, req(inputs, 0, 'X', node));
      const axis = normalizeAxis(axisAttr, x.rank, node);
      const axes = Array.from({ length: x.rank - axis }, (_, i) => axis + i);
      const mean = tf.mean(x, axes, true);
      const centered = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centered), axes, true);
      let y = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
      y = tf.mul(y, toNchw(tf, req(inputs, 1, 'Scale', node)));
      const b = inputs[2];
      return [nchw(b ? tf.add(y, toNchw(tf, b)) : y)];
    },
  };
};

export const normOps: Record<string, OpDef> = { BatchNormalization: batchNorm, LayerNormalization: layerNorm };
