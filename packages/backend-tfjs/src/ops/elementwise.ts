import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { floatsOf, normalizeAxis, numberAttr, stringAttr, where } from '../internal/attrs.js';
import { alignLayouts, NHWC_POS, type OpDef, type PrepareContext, req, type Val } from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';

/** Element-wise ops: they keep their input's layout (NCHW or NHWC), so they never add a transpose. */

function unary(fn: (tf: Tf, x: TfTensor, ctx: PrepareContext) => TfTensor): OpDef {
  return (ctx) => ({
    run: (inputs) => {
      const x = req(inputs, 0, 'X', ctx.node);
      return [{ t: fn(ctx.tf, x.t, ctx), nhwc: x.nhwc }];
    },
  });
}

function binary(fn: (tf: Tf, a: TfTensor, b: TfTensor) => TfTensor): OpDef {
  return (ctx) => ({
    run: (inputs) => {
      const { ts, nhwc } = alignLayouts(ctx.tf, [req(inputs, 0, 'A', ctx.node), req(inputs, 1, 'B', ctx.node)]);
      return [{ t: fn(ctx.tf, ts[0]!, ts[1]!), nhwc }];
    },
  });
}

const identity: OpDef = (ctx) => ({ run: (inputs) => [req(inputs, 0, 'input', ctx.node)] });

const gelu: OpDef = (ctx) => {
  const approximate = stringAttr(ctx.node.attrs, 'approximate', ['none', 'tanh'], ctx.node);
  const { tf } = ctx;
  return unary((_tf, x) => {
    if (approximate === 'tanh') {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  })(ctx);
};

const hardSigmoidOf = (tf: Tf, x: TfTensor, alpha: number, beta: number): TfTensor =>
  tf.clipByValue(tf.add(tf.mul(x, alpha), beta), 0, 1);

const clip: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const bound = (i: number): number | null | 'dynamic' => {
    if (node.inputs[i] === undefined || node.inputs[i] === '') return null;
    const c = ctx.constant(i);
    if (!c) return 'dynamic';
    if (c.size !== 1) throw new RangeError(`${where(node)}: input ${i} must be a scalar, got ${c.size} values`);
    return floatsOf(c)[0]!;
  };
  const lo = bound(1);
  const hi = bound(2);
  const staticInputs = [lo, hi].flatMap((b, k) => (typeof b === 'number' ? [k + 1] : []));
  return {
    staticInputs,
    run: (inputs) => {
      const x = req(inputs, 0, 'input', node);
      let t = x.t;
      if (typeof lo === 'number') t = tf.maximum(t, lo);
      else if (lo === 'dynamic') t = tf.maximum(t, tf.reshape(req(inputs, 1, 'min', node).t, []));
      if (typeof hi === 'number') t = tf.minimum(t, hi);
      else if (hi === 'dynamic') t = tf.minimum(t, tf.reshape(req(inputs, 2, 'max', node).t, []));
      return [{ t: t === x.t ? tf.clone(t) : t, nhwc: x.nhwc }];
    },
  };
};

const prelu: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const { ts, nhwc } = alignLayouts(tf, [req(inputs, 0, 'X', node), req(inputs, 1, 'slope', node)]);
    const [x, slope] = ts as [TfTensor, TfTensor];
    return [{ t: tf.add(tf.relu(x), tf.mul(slope, tf.minimum(x, 0))), nhwc }];
  },
});

const softmax: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const axisAttr = numberAttr(node.attrs, 'axis', -1, node);
  return {
    run: (inputs): Val[] => {
      const x = req(inputs, 0, 'input', node);
      let axis = normalizeAxis(axisAttr, x.t.rank, node);
      if (x.nhwc) axis = NHWC_POS[axis]!;
      const shifted = tf.sub(x.t, tf.max(x.t, axis, true));
      const e = tf.exp(shifted);
      return [{ t: tf.div(e, tf.sum(e, axis, true)), nhwc: x.nhwc }];
    },
  };
};

export const elementwiseOps: Record<string, OpDef> = {
  Relu: unary((tf, x) => tf.relu(x)),
  LeakyRelu: unary((tf, x, c) => tf.leakyRelu(x, numberAttr(c.node.attrs, 'alpha', 0.01, c.node))),
  Elu: unary((tf, x, c) => {
    const alpha = numberAttr(c.node.attrs, 'alpha', 1, c.node);
    return tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
  }),
  Sigmoid: unary((tf, x) => tf.sigmoid(x)),
  Tanh: unary((tf, x) => tf.tanh(x)),
  HardSigmoid: unary((tf, x, c) =>
    hardSigmoidOf(tf, x, numberAttr(c.node.attrs, 'alpha', 0.2, c.node), numberAttr(c.node.attrs, 'beta', 0.5, c.node)),
  ),
  HardSwish: unary((tf, x) => tf.mul(x, hardSigmoidOf(tf, x, 1 / 6, 0.5))),
  Gelu: gelu,
  PRelu: prelu,
  Softmax: softmax,
  Add: binary((tf, a, b) => tf.add(a, b)),
  Sub: binary((tf, a, b) => tf.sub(a, b)),
  Mul: binary((tf, a, b) => tf.mul(a, b)),
  Div: binary((tf, a, b) => tf.div(a, b)),
  Clip: clip,
  Identity: identity,
  Dropout: identity,
};
