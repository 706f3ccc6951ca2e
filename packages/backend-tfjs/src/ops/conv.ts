import { ShapeError, type Tensor, UnsupportedOpError } from '@striate/core';
import type { Tensor4D, Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { intAttr, intsAttr, stringAttr, where } from '../internal/attrs.js';
import { nhwc, type OpDef, type PrepareContext, req, toNhwc } from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';
import { conv2dBackpropInput, dilateAxis } from './conv-backprop-input.js';

/** Conv and ConvTranspose on NHWC activations; weights are re-laid out once, when the graph is compiled. */

export interface Window2d {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** [top, left, bottom, right], as ONNX orders them. */
  pads: [number, number, number, number];
  autoPad: 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
}

export function readWindow(ctx: PrepareContext, kernelFromWeight: readonly number[] | null): Window2d {
  const { node } = ctx;
  const a = node.attrs;
  const pair = (name: string, fallback: number): [number, number] => {
    const v = intsAttr(a, name, node) ?? [fallback, fallback];
    if (v.length !== 2) {
      throw new UnsupportedOpError(
        node.op,
        `${where(node)}: only 2-D windows are supported, ${name} has ${v.length} values`,
      );
    }
    return [v[0]!, v[1]!];
  };
  const kernel = intsAttr(a, 'kernel_shape', node) ?? kernelFromWeight;
  if (kernel?.length !== 2) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: only 2-D windows are supported (kernel_shape ${JSON.stringify(kernel)})`,
    );
  }
  const pads = intsAttr(a, 'pads', node) ?? [0, 0, 0, 0];
  if (pads.length !== 4) throw new ShapeError(`${where(node)}: pads must have 4 values, got ${pads.length}`);
  return {
    kernel: [kernel[0]!, kernel[1]!],
    strides: pair('strides', 1),
    dilations: pair('dilations', 1),
    pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!],
    autoPad: stringAttr(a, 'auto_pad', ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'], node),
  };
}

/** Explicit pads for an NHWC input, resolving auto_pad from the input size. */
export function padsFor(w: Window2d, h: number, wd: number): [number, number, number, number] {
  if (w.autoPad === 'VALID') return [0, 0, 0, 0];
  if (w.autoPad === 'NOTSET') return w.pads;
  const total = (size: number, i: 0 | 1): number => {
    const out = Math.ceil(size / w.strides[i]);
    return Math.max(0, (out - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1 - size);
  };
  const th = total(h, 0);
  const tw = total(wd, 1);
  const lowerH = w.autoPad === 'SAME_UPPER' ? Math.floor(th / 2) : Math.ceil(th / 2);
  const lowerW = w.autoPad === 'SAME_UPPER' ? Math.floor(tw / 2) : Math.ceil(tw / 2);
  return [lowerH, lowerW, th - lowerH, tw - lowerW];
}

export const explicit = (
  p: readonly number[],
): [[number, number], [number, number], [number, number], [number, number]] => [
  [0, 0],
  [p[0]!, p[2]!],
  [p[1]!, p[3]!],
  [0, 0],
];

/** Removes `begin`/`end` elements along an axis (a negative count adds zeros instead). */
export function trim(tf: Tf, t: TfTensor, axis: number, begin: number, end: number): TfTensor {
  let out = t;
  if (begin < 0 || end < 0) {
    const padding = out.shape.map((): [number, number] => [0, 0]);
    padding[axis] = [Math.max(0, -begin), Math.max(0, -end)];
    out = tf.pad(out, padding);
  }
  if (begin > 0 || end > 0) {
    const start = out.shape.map(() => 0);
    const size = [...out.shape];
    start[axis] = Math.max(0, begin);
    size[axis] = out.shape[axis]! - Math.max(0, begin) - Math.max(0, end);
    out = tf.slice(out, start, size);
  }
  return out;
}

function weightOf(ctx: PrepareContext, kind: string): Tensor | undefined {
  const w = ctx.constant(1);
  if (w && w.rank !== 4) {
    throw new UnsupportedOpError(
      ctx.node.op,
      `${where(ctx.node)}: only 2-D ${kind} is supported (weight rank ${w.rank})`,
    );
  }
  return w;
}

const upload = (ctx: PrepareContext, t: Tensor): TfTensor =>
  ctx.own(ctx.tf.tensor(t.toFloat32().data, [...t.shape], 'float32'));

const conv: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const group = intAttr(node.attrs, 'group', 1, node);
  const wConst = weightOf(ctx, 'convolution');
  const win = readWindow(ctx, wConst ? wConst.shape.slice(2) : null);
  // Weight [M, C/g, kh, kw] -> per group HWIO [kh, kw, C/g, M/g]; depthwise (C/g == 1, g == C) -> [kh, kw, C, M/C].
  const layout = (w: TfTensor): TfTensor[] => {
    const [m, cg] = w.shape as [number, number];
    if (group > 1 && cg === 1) {
      return [tf.transpose(tf.reshape(w, [group, m / group, win.kernel[0], win.kernel[1]]), [2, 3, 0, 1])];
    }
    const hwio = tf.transpose(w, [2, 3, 1, 0]);
    return group === 1 ? [hwio] : tf.split(hwio, group, 3);
  };
  const prepared = wConst ? tf.tidy(() => layout(upload(ctx, wConst))).map((t) => ctx.own(t)) : null;
  const bConst = node.inputs[2] ? ctx.constant(2) : undefined;
  const bias = bConst ? upload(ctx, bConst) : null;
  return {
    staticInputs: [...(wConst ? [1] : []), ...(bConst ? [2] : [])],
    run: (inputs) => {
      const xv = req(inputs, 0, 'X', node);
      if (xv.t.rank !== 4) {
        throw new UnsupportedOpError(
          node.op,
          `${where(node)}: only 2-D convolution (rank-4 input) is supported, got rank ${xv.t.rank}`,
        );
      }
      const x = toNhwc(tf, xv) as Tensor4D;
      const filters = prepared ?? layout(req(inputs, 1, 'W', node).t);
      const pads = padsFor(win, x.shape[1], x.shape[2]);
      const both = (win.strides[0] > 1 || win.strides[1] > 1) && (win.dilations[0] > 1 || win.dilations[1] > 1);
      const strides: [number, number] = both ? [1, 1] : win.strides;
      const depthwise = group > 1 && filters.length === 1;
      const one = (xi: Tensor4D, f: TfTensor): Tensor4D =>
        depthwise
          ? tf.depthwiseConv2d(xi, f as Tensor4D, strides, explicit(pads), 'NHWC', win.dilations)
          : tf.conv2d(xi, f as Tensor4D, strides, explicit(pads), 'NHWC', win.dilations);
      let y: TfTensor =
        group === 1 || depthwise
          ? one(x, filters[0]!)
          : tf.concat(
              tf.split(x, group, 3).map((xi, g) => one(xi as Tensor4D, filters[g]!)),
              3,
            );
      if (both) {
        const [n, h, w, c] = y.shape as number[];
        y = tf.stridedSlice(y, [0, 0, 0, 0], [n!, h!, w!, c!], [1, win.strides[0], win.strides[1], 1]);
      }
      const b = bias ?? (node.inputs[2] ? inputs[2]?.t : null);
      return [nhwc(b ? tf.add(y, b) : y)];
    },
  };
};

const convTranspose: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const group = intAttr(node.attrs, 'group', 1, node);
  const wConst = weightOf(ctx, 'transposed convolution');
  const wShape = wConst?.shape ?? null;
  const kernelAttr = intsAttr(node.attrs, 'kernel_shape', node);
  if (!wShape && !kernelAttr) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: a weight that is not an initializer needs the kernel_shape attribute`,
    );
  }
  const win = readWindow(ctx, wShape ? wShape.slice(2) : null);
  if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: auto_pad ${win.autoPad} is not supported; give explicit pads`,
    );
  }
  const outPad = intsAttr(node.attrs, 'output_padding', node) ?? [0, 0];
  const outShape = intsAttr(node.attrs, 'output_shape', node);
  const [kh, kw] = win.kernel;
  const [dh, dw] = win.dilations;
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  // Weight [C, M/g, kh, kw] -> dilated (zeros between taps) -> per group [ekh, ekw, M/g, C/g]. A constant weight
  // is dilated on the host; a trained one (a Variable) with tf ops (reshape, pad, slice), which have gradients.
  const layout = (w: TfTensor, dilated: boolean): TfTensor[] => {
    let d = w;
    if (!dilated && (dh > 1 || dw > 1)) {
      const [c, mg] = w.shape as [number, number];
      d = tf.slice(dilateAxis(tf, dilateAxis(tf, w, 2, dh), 3, dw), [0, 0, 0, 0], [c, mg, ekh, ekw]);
    }
    return (group === 1 ? [d] : tf.split(d, group, 0)).map((wg) => tf.transpose(wg, [2, 3, 1, 0]));
  };
  const dilateOnHost = (t: Tensor): TfTensor => {
    if (dh === 1 && dw === 1) return tf.tensor(t.toFloat32().data, [...t.shape], 'float32');
    const [c, mg] = t.shape as [number, number];
    const host = new Float32Array(c * mg * ekh * ekw);
    const src = t.toFloat32().data;
    for (let i = 0; i < c * mg; i++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) host[(i * ekh + y * dh) * ekw + x * dw] = src[(i * kh + y) * kw + x]!;
      }
    }
    return tf.tensor(host, [c, mg, ekh, ekw]);
  };
  const prepared = wConst ? tf.tidy(() => layout(dilateOnHost(wConst), true)).map((t) => ctx.own(t)) : null;
  const bConst = node.inputs[2] ? ctx.constant(2) : undefined;
  const bias = bConst ? upload(ctx, bConst) : null;
  return {
    staticInputs: [...(wConst ? [1] : []), ...(bConst ? [2] : [])],
    run: (inputs) => {
      const xv = req(inputs, 0, 'X', node);
      if (xv.t.rank !== 4) throw new UnsupportedOpError(node.op, `${where(node)}: only rank-4 inputs are supported`);
      const filters = prepared ?? layout(req(inputs, 1, 'W', node).t, false);
      const x = toNhwc(tf, xv) as Tensor4D;
      const [n, h, w] = x.shape;
      const [sh, sw] = win.strides;
      const fullH = (h - 1) * sh + ekh;
      const fullW = (w - 1) * sw + ekw;
      let pads = win.pads;
      if (outShape) {
        const th = sh * (h - 1) + outPad[0]! + ekh - outShape[outShape.length - 2]!;
        const tw = sw * (w - 1) + outPad[1]! + ekw - outShape[outShape.length - 1]!;
        const upper = win.autoPad === 'SAME_UPPER';
        const b = (t: number): number => (upper ? Math.floor(t / 2) : t - Math.floor(t / 2));
        pads = [b(th), b(tw), th - b(th), tw - b(tw)];
      } else if (win.autoPad === 'VALID') {
        pads = [0, 0, 0, 0];
      }
      const parts = group === 1 ? [x] : (tf.split(x, group, 3) as Tensor4D[]);
      const ys = parts.map((xi, g) => {
        const f = filters[g] as Tensor4D;
        if (!prepared) {
          // A trained (Variable) weight: formulations whose gradients are fast (tfjs-backend-wasm's
          // Conv2DBackpropInput is a plain loop). Kernel == stride (UNet's 2x2 / 2): the windows do not overlap,
          // so it is a matMul to kh*kw*M channels and a depth-to-space; otherwise a forward conv2d.
          if (kh === sh && kw === sw && dh === 1 && dw === 1) {
            const [, , mg, cg] = f.shape;
            const w2 = tf.reshape(tf.transpose(f, [3, 0, 1, 2]), [cg, kh * kw * mg]);
            const cols = tf.matMul(tf.reshape(xi, [n * h * w, cg]), w2); // [(n, i, j), (a, b, m)]
            const tiles = tf.transpose(tf.reshape(cols, [n * h, w, kh, kw * mg]), [0, 2, 1, 3]); // [(n, i), a, j, (b, m)]
            return tf.reshape(tiles, [n, h * kh, w * kw, mg]) as Tensor4D;
          }
          return conv2dBackpropInput(tf, xi, f, [n, fullH, fullW, f.shape[2]], [sh, sw], 'valid');
        }
        return tf.conv2dTranspose(xi, f, [n, fullH, fullW, f.shape[2]], [sh, sw], 'valid');
      });
      let y: TfTensor = ys.length === 1 ? ys[0]! : tf.concat(ys, 3);
      y = trim(tf, y, 1, pads[0], pads[2] - outPad[0]!);
      y = trim(tf, y, 2, pads[1], pads[3] - outPad[1]!);
      const b = bias ?? (node.inputs[2] ? inputs[2]?.t : null);
      return [nhwc(b ? tf.add(y, b) : y)];
    },
  };
};

export const convOps: Record<string, OpDef> = { Conv: conv, ConvTranspose: convTranspose };
