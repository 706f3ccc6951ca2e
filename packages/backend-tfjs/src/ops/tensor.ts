import { resolveReshape, ShapeError, type Tensor, UnsupportedOpError } from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import {
  floatsOf,
  intAttr,
  intsAttr,
  intsOf,
  normalizeAxis,
  numberAttr,
  stringAttr,
  where,
} from '../internal/attrs.js';
import {
  NHWC_POS,
  nchw,
  type OpDef,
  type PrepareContext,
  req,
  toNchw,
  toNhwc,
  type Val,
} from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';

/**
 * Shape and data-movement ops. Ops whose meaning depends on NCHW order (Reshape, Flatten, Gemm, MatMul) bring an
 * NHWC input back to NCHW; ops with an axis (Concat, Split, Slice, Pad, ReduceMean) keep NHWC and remap the axis.
 */

/** A shape operand that must be known when the graph is compiled (an initializer or a Constant). */
function staticInts(ctx: PrepareContext, i: number, name: string): number[] | null {
  if (!ctx.node.inputs[i]) return null;
  const c = ctx.constant(i);
  if (!c) {
    throw new UnsupportedOpError(
      ctx.node.op,
      `${where(ctx.node)}: input ${i} (${name}) must be an initializer or a Constant`,
    );
  }
  return intsOf(c, name, ctx.node);
}

const mapAxis = (v: Val, axis: number): number => (v.nhwc ? NHWC_POS[axis]! : axis);

/** Gathers `indices` along `axis` (slices with steps, reflect/edge padding). */
function take(tf: Tf, t: TfTensor, axis: number, indices: number[]): TfTensor {
  return tf.gather(t, tf.tensor1d(indices, 'int32'), axis);
}

const reshape: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const target = staticInts(ctx, 1, 'shape')!;
  const allowZero = intAttr(node.attrs, 'allowzero', 0, node) === 1;
  return {
    staticInputs: [1],
    run: (inputs) => {
      const x = toNchw(tf, req(inputs, 0, 'data', node));
      const shape = allowZero && target.includes(0) ? target : resolveReshape(x.shape, target, where(node));
      return [nchw(tf.reshape(x, shape))];
    },
  };
};

const flatten: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const x = toNchw(tf, req(inputs, 0, 'input', node));
    const raw = intAttr(node.attrs, 'axis', 1, node);
    const axis = raw < 0 ? raw + x.rank : raw;
    if (axis < 0 || axis > x.rank)
      throw new RangeError(`${where(node)}: axis must be in [${-x.rank}, ${x.rank}], got ${raw}`);
    const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return [nchw(tf.reshape(x, [outer, x.size / Math.max(outer, 1) || 0]))];
  },
});

const transpose: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const x = req(inputs, 0, 'data', node);
    const rank = x.t.rank;
    const perm = intsAttr(node.attrs, 'perm', node) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    if (perm.length !== rank) throw new ShapeError(`${where(node)}: perm has ${perm.length} values for rank ${rank}`);
    // An NHWC input X' = X.transpose([0,2,3,1]); X.transpose(p) = X'.transpose(NHWC_POS[p[i]]).
    return [nchw(tf.transpose(x.t, x.nhwc ? perm.map((p) => NHWC_POS[p]!) : perm))];
  },
});

const concat: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const vals = inputs.map((_, i) => req(inputs, i, `inputs[${i}]`, node));
    const rank = vals[0]!.t.rank;
    const axis = normalizeAxis(numberAttr(node.attrs, 'axis', Number.NaN, node), rank, node);
    if (rank === 4 && vals.some((v) => v.nhwc)) {
      return [
        {
          t: tf.concat(
            vals.map((v) => toNhwc(tf, v)),
            NHWC_POS[axis]!,
          ),
          nhwc: true,
        },
      ];
    }
    return [
      nchw(
        tf.concat(
          vals.map((v) => toNchw(tf, v)),
          axis,
        ),
      ),
    ];
  },
});

const split: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const sizes = staticInts(ctx, 1, 'split');
  const count = node.outputs.length;
  return {
    staticInputs: sizes ? [1] : [],
    run: (inputs) => {
      const x = req(inputs, 0, 'input', node);
      const axis = normalizeAxis(intAttr(node.attrs, 'axis', 0, node), x.t.rank, node);
      const a = mapAxis(x, axis);
      const dim = x.t.shape[a]!;
      let parts = sizes;
      if (!parts) {
        const chunk = Math.ceil(dim / count);
        parts = Array.from({ length: count }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
      }
      if (parts.reduce((s, p) => s + p, 0) !== dim || parts.length !== count) {
        throw new ShapeError(
          `${where(node)}: split ${JSON.stringify(parts)} does not divide dim ${axis} (${dim}) into ${count} outputs`,
        );
      }
      return tf.split(x.t, parts, a).map((t) => ({ t, nhwc: x.nhwc }));
    },
  };
};

const slice: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const starts = staticInts(ctx, 1, 'starts')!;
  const ends = staticInts(ctx, 2, 'ends')!;
  const axesIn = staticInts(ctx, 3, 'axes');
  const steps = staticInts(ctx, 4, 'steps') ?? starts.map(() => 1);
  return {
    staticInputs: [1, 2, 3, 4].filter((i) => node.inputs[i]),
    run: (inputs) => {
      const x = req(inputs, 0, 'data', node);
      const rank = x.t.rank;
      const axes = axesIn ?? starts.map((_, i) => i);
      let t = x.t;
      axes.forEach((raw, i) => {
        const axis = mapAxis(x, normalizeAxis(raw, rank, node, `axes[${i}]`));
        const dim = t.shape[axis]!;
        const step = steps[i]!;
        if (step === 0) throw new RangeError(`${where(node)}: steps[${i}] must not be 0`);
        let s = starts[i]!;
        let e = ends[i]!;
        if (s < 0) s += dim;
        if (e < 0) e += dim;
        const idx: number[] = [];
        if (step > 0) {
          s = Math.min(Math.max(s, 0), dim);
          e = Math.min(Math.max(e, 0), dim);
          for (let k = s; k < e; k += step) idx.push(k);
        } else {
          s = Math.min(Math.max(s, 0), dim - 1);
          e = Math.min(Math.max(e, -1), dim - 1);
          for (let k = s; k > e; k += step) idx.push(k);
        }
        if (step === 1) {
          const begin = t.shape.map(() => 0);
          const size = [...t.shape];
          begin[axis] = idx[0] ?? 0;
          size[axis] = idx.length;
          t = tf.slice(t, begin, size);
        } else {
          t = take(tf, t, axis, idx);
        }
      });
      return [{ t: t === x.t ? tf.clone(t) : t, nhwc: x.nhwc }];
    },
  };
};

const pad: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const mode = stringAttr(node.attrs, 'mode', ['constant', 'reflect', 'edge'], node);
  const padsIn = staticInts(ctx, 1, 'pads') ?? intsAttr(node.attrs, 'pads', node);
  if (!padsIn) throw new TypeError(`${where(node)}: input 1 (pads) is required`);
  const cv: Tensor | undefined = node.inputs[2] ? ctx.constant(2) : undefined;
  if (node.inputs[2] && !cv) {
    throw new UnsupportedOpError(node.op, `${where(node)}: constant_value must be an initializer or a Constant`);
  }
  const value = cv ? floatsOf(cv)[0]! : 0;
  const axesIn = staticInts(ctx, 3, 'axes');
  return {
    staticInputs: [1, 2, 3].filter((i) => node.inputs[i]),
    run: (inputs) => {
      const x = req(inputs, 0, 'data', node);
      const rank = x.t.rank;
      const axes = axesIn ?? Array.from({ length: rank }, (_, i) => i);
      if (padsIn.length !== 2 * axes.length) {
        throw new ShapeError(`${where(node)}: pads must have ${2 * axes.length} values, got ${padsIn.length}`);
      }
      let t = x.t;
      axes.forEach((raw, i) => {
        const axis = mapAxis(x, normalizeAxis(raw, rank, node, `axes[${i}]`));
        const before = padsIn[i]!;
        const after = padsIn[i + axes.length]!;
        if (before === 0 && after === 0) return;
        const dim = t.shape[axis]!;
        if (mode === 'constant') {
          const paddings = t.shape.map((): [number, number] => [0, 0]);
          paddings[axis] = [Math.max(0, before), Math.max(0, after)];
          if (before > 0 || after > 0) t = tf.pad(t, paddings, value);
          if (before < 0 || after < 0) {
            const begin = t.shape.map(() => 0);
            const size = [...t.shape];
            begin[axis] = Math.max(0, -before);
            size[axis] = t.shape[axis]! - Math.max(0, -before) - Math.max(0, -after);
            t = tf.slice(t, begin, size);
          }
          return;
        }
        if (mode === 'reflect' && (before >= dim || after >= dim)) {
          throw new ShapeError(
            `${where(node)}: reflect pads (${before}, ${after}) must be smaller than the dim (${dim})`,
          );
        }
        const idx: number[] = [];
        for (let k = -before; k < dim + after; k++) {
          if (mode === 'edge') idx.push(Math.min(Math.max(k, 0), dim - 1));
          else idx.push(k < 0 ? -k : k >= dim ? 2 * (dim - 1) - k : k);
        }
        t = take(tf, t, axis, idx);
      });
      return [{ t: t === x.t ? tf.clone(t) : t, nhwc: x.nhwc }];
    },
  };
};

const reduceMean: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const x = req(inputs, 0, 'data', node);
    const keep = intAttr(node.attrs, 'keepdims', 1, node) === 1;
    const rank = x.t.rank;
    const axes = (intsAttr(node.attrs, 'axes', node) ?? Array.from({ length: rank }, (_, i) => i)).map((a, i) =>
      normalizeAxis(a, rank, node, `axes[${i}]`),
    );
    if (x.nhwc && keep)
      return [
        {
          t: tf.mean(
            x.t,
            axes.map((a) => NHWC_POS[a]!),
            true,
          ),
          nhwc: true,
        },
      ];
    return [nchw(tf.mean(toNchw(tf, x), axes, keep))];
  },
});

const gemm: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    const a = toNchw(tf, req(inputs, 0, 'A', node));
    const b = toNchw(tf, req(inputs, 1, 'B', node));
    const alpha = numberAttr(node.attrs, 'alpha', 1, node);
    const beta = numberAttr(node.attrs, 'beta', 1, node);
    const tA = intAttr(node.attrs, 'transA', 0, node) === 1;
    const tB = intAttr(node.attrs, 'transB', 0, node) === 1;
    let y = tf.matMul(a, b, tA, tB);
    if (alpha !== 1) y = tf.mul(y, alpha);
    const c = inputs[2];
    if (c && beta !== 0) y = tf.add(y, beta === 1 ? toNchw(tf, c) : tf.mul(toNchw(tf, c), beta));
    return [nchw(y)];
  },
});

const matMul: OpDef = (ctx) => ({
  run: (inputs) => {
    const { tf, node } = ctx;
    let a = toNchw(tf, req(inputs, 0, 'A', node));
    let b = toNchw(tf, req(inputs, 1, 'B', node));
    const aVec = a.rank === 1;
    const bVec = b.rank === 1;
    if (aVec) a = tf.reshape(a, [1, a.shape[0]!]);
    if (bVec) b = tf.reshape(b, [b.shape[0]!, 1]);
    // numpy batch broadcasting, done here: tfjs's own broadcasting in matMul is wrong on wasm for some shapes.
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const rank = Math.max(batchA.length, batchB.length);
    const batch = Array.from({ length: rank }, (_, i) => {
      const da = batchA[i - rank + batchA.length] ?? 1;
      const db = batchB[i - rank + batchB.length] ?? 1;
      if (da !== db && da !== 1 && db !== 1) {
        throw new ShapeError(
          `${where(node)}: batch dims [${batchA.join(', ')}] and [${batchB.join(', ')}] do not broadcast`,
        );
      }
      return Math.max(da, db);
    });
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.rank - 1]!;
    const count = batch.reduce((p, d) => p * d, 1);
    const a3 = tf.reshape(tf.broadcastTo(a, [...batch, m, k]), [count, m, k]);
    const b3 = tf.reshape(tf.broadcastTo(b, [...batch, b.shape[b.rank - 2]!, n]), [count, b.shape[b.rank - 2]!, n]);
    let y = tf.reshape(tf.matMul(a3, b3), [...batch, m, n]);
    if (aVec) y = tf.squeeze(y, [y.rank - 2]);
    if (bVec) y = tf.squeeze(y, [y.rank - 1]);
    return [nchw(y)];
  },
});

const constant: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const value = node.attrs.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('dtype' in value)) {
    throw new TypeError(`${where(node)}: attribute value must be a Tensor`);
  }
  const t = ctx.own(uploadHost(tf, value as Tensor, where(node)));
  return { run: () => [nchw(tf.clone(t))] };
};

/** A core Tensor as a tfjs tensor: float types as float32, integer types as int32 (range-checked), bool as bool. */
export function uploadHost(tf: Tf, t: Tensor, name: string): TfTensor {
  const shape = [...t.shape];
  if (t.dtype === 'bool') return tf.tensor(Uint8Array.from(t.data as Uint8Array), shape, 'bool');
  if (t.dtype === 'float32' || t.dtype === 'float16') {
    return tf.tensor(t.toFloat32().data, shape, 'float32');
  }
  const ints = new Int32Array(t.size);
  const src = t.data as ArrayLike<number | bigint>;
  for (let i = 0; i < ints.length; i++) {
    const v = Number(src[i]);
    if (v > 2147483647 || v < -2147483648) {
      throw new RangeError(`${name}: value ${v} at index ${i} does not fit tfjs's int32`);
    }
    ints[i] = v;
  }
  return tf.tensor(ints, shape, 'int32');
}

export const tensorOps: Record<string, OpDef> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Concat: concat,
  Split: split,
  Slice: slice,
  Pad: pad,
  ReduceMean: reduceMean,
  Gemm: gemm,
  MatMul: matMul,
  Constant: constant,
};
