import { UnsupportedOpError } from '@striate/core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { intAttr, where } from '../internal/attrs.js';
import { nhwc, type OpDef, req, toNhwc } from '../internal/op-types.js';
import { explicit, padsFor, readWindow } from './conv.js';

/**
 * MaxPool and AveragePool on NHWC. tfjs pools skip padded cells (max ignores them, the average counts only real
 * cells), which is ONNX's count_include_pad=0; count_include_pad=1 zero-pads first. PyTorch's ceil_mode (a last
 * window that would start inside the end padding is dropped) becomes extra end padding that tfjs also skips.
 */

function outSize(size: number, k: number, s: number, d: number, pb: number, pe: number, ceil: boolean): number {
  const span = size + pb + pe - ((k - 1) * d + 1);
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + pb) out -= 1;
  return out;
}

function pool(kind: 'max' | 'avg'): OpDef {
  return (ctx) => {
    const { tf, node } = ctx;
    const win = readWindow(ctx, null);
    const ceil = intAttr(node.attrs, 'ceil_mode', 0, node) === 1;
    const includePad = intAttr(node.attrs, 'count_include_pad', 0, node) === 1;
    const dilated = win.dilations[0] !== 1 || win.dilations[1] !== 1;
    if (dilated && kind === 'avg') {
      throw new UnsupportedOpError(
        node.op,
        `${where(node)}: dilations ${JSON.stringify(win.dilations)} are not supported`,
      );
    }
    if (node.outputs.length > 1 && node.outputs[1] !== '') {
      throw new UnsupportedOpError(node.op, `${where(node)}: the Indices output is not supported`);
    }
    return {
      run: (inputs) => {
        const xv = req(inputs, 0, 'X', node);
        if (xv.t.rank !== 4) throw new UnsupportedOpError(node.op, `${where(node)}: only rank-4 inputs are supported`);
        let x = toNhwc(tf, xv) as Tensor4D;
        const [, h, w] = x.shape;
        const p = padsFor(win, h, w);
        const [kh, kw] = win.kernel;
        const [sh, sw] = win.strides;
        const [dh, dw] = win.dilations;
        const oh = outSize(h, kh, sh, dh, p[0], p[2], ceil);
        const ow = outSize(w, kw, sw, dw, p[1], p[3], ceil);
        const extraH = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - (h + p[0] + p[2]));
        const extraW = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - (w + p[1] + p[3]));
        if (dilated) {
          // Dilated max: pad with -Infinity, then the maximum over the kh*kw strided tap views.
          const padded = tf.pad(x, explicit([p[0], p[1], p[2] + extraH, p[3] + extraW]), Number.NEGATIVE_INFINITY);
          const c = x.shape[3];
          let y: Tensor4D | null = null;
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const begin = [0, i * dh, j * dw, 0];
              const end = [x.shape[0], i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1, c];
              const tap = tf.stridedSlice(padded, begin, end, [1, sh, sw, 1]) as Tensor4D;
              y = y ? (tf.maximum(y, tap) as Tensor4D) : tap;
            }
          }
          return [nhwc(y!)];
        }
        let pads = [p[0], p[1], p[2] + extraH, p[3] + extraW];
        if (kind === 'avg' && includePad) {
          x = tf.pad(x, explicit([p[0], p[1], p[2], p[3]]));
          pads = [0, 0, extraH, extraW];
        }
        const y =
          kind === 'max'
            ? tf.maxPool(x, [kh, kw], [sh, sw], explicit(pads))
            : tf.avgPool(x, [kh, kw], [sh, sw], explicit(pads));
        return [nhwc(y)];
      },
    };
  };
}

function globalPool(kind: 'max' | 'avg'): OpDef {
  return (ctx) => ({
    run: (inputs) => {
      const { tf, node } = ctx;
      const xv = req(inputs, 0, 'X', node);
      if (xv.t.rank !== 4) throw new UnsupportedOpError(node.op, `${where(node)}: only rank-4 inputs are supported`);
      const x = toNhwc(tf, xv);
      return [nhwc(kind === 'max' ? tf.max(x, [1, 2], true) : tf.mean(x, [1, 2], true))];
    },
  });
}

export const poolOps: Record<string, OpDef> = {
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: globalPool('avg'),
  GlobalMaxPool: globalPool('max'),
};
