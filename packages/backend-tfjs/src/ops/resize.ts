import { DTypeError, ShapeError, UnsupportedOpError } from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { floatsOf, intAttr, intsOf, stringAttr, where } from '../internal/attrs.js';
import { NHWC_POS, type OpDef, req } from '../internal/op-types.js';

/**
 * ONNX Resize, 'nearest' and 'linear' (the modes the reference backend has), as separable gathers along each
 * resized axis with ONNX's coordinate formulas computed here, so every coordinate mode and scale is exact on every
 * tfjs device (tfjs's own resize ops cover only some modes). Works on NCHW or NHWC values alike.
 */
type Coord = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nn';
const COORDS: readonly Coord[] = [
  'half_pixel',
  'pytorch_half_pixel',
  'align_corners',
  'asymmetric',
  'tf_half_pixel_for_nn',
];
type Nearest = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';
const NEAREST: readonly Nearest[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

function source(mode: Coord, x: number, scale: number, inLen: number, outLen: number): number {
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLen === 1 ? 0 : (x * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
  }
}

function round(mode: Nearest, x: number): number {
  const f = Math.floor(x);
  if (mode === 'floor') return f;
  if (mode === 'ceil') return Math.ceil(x);
  if (x - f === 0.5) return mode === 'round_prefer_floor' ? f : f + 1;
  return Math.round(x);
}

const resize: OpDef = (ctx) => {
  const { tf, node } = ctx;
  const mode = stringAttr(node.attrs, 'mode', ['nearest', 'linear', 'cubic'], node);
  if (mode === 'cubic') throw new UnsupportedOpError(node.op, `${where(node)}: mode "cubic" is not supported`);
  const coord = stringAttr(node.attrs, 'coordinate_transformation_mode', COORDS, node);
  const nearest = stringAttr(node.attrs, 'nearest_mode', NEAREST, node);
  if (intAttr(node.attrs, 'antialias', 0, node) !== 0 || node.attrs.axes !== undefined) {
    throw new UnsupportedOpError(node.op, `${where(node)}: attributes antialias and axes (opset 18) are not supported`);
  }
  const scalesT = node.inputs[2] ? ctx.constant(2) : undefined;
  const sizesT = node.inputs[3] ? ctx.constant(3) : undefined;
  if ((node.inputs[2] && !scalesT) || (node.inputs[3] && !sizesT)) {
    throw new UnsupportedOpError(node.op, `${where(node)}: scales and sizes must be initializers or Constants`);
  }
  const sizes = sizesT && sizesT.size > 0 ? intsOf(sizesT, 'sizes', node) : null;
  if (!sizes && scalesT && scalesT.dtype !== 'float32') {
    throw new DTypeError(`${where(node)}: scales: expected float32, got ${scalesT.dtype}`);
  }
  const scales = !sizes && scalesT && scalesT.size > 0 ? floatsOf(scalesT) : null;
  if (!sizes && !scales)
    throw new ShapeError(`${where(node)}: one of the inputs scales or sizes must be given (non-empty)`);
  return {
    staticInputs: [1, 2, 3].filter((i) => node.inputs[i]),
    run: (inputs) => {
      const x = req(inputs, 0, 'X', node);
      const rank = x.t.rank;
      const given = (sizes ?? scales)!;
      if (given.length !== rank)
        throw new ShapeError(
          `${where(node)}: ${sizes ? 'sizes' : 'scales'}: expected ${rank} values, got ${given.length}`,
        );
      let t = x.t;
      for (let a = 0; a < rank; a++) {
        const axis = x.nhwc ? NHWC_POS[a]! : a;
        const inLen = x.t.shape[axis]!;
        const len = sizes ? sizes[a]! : Math.floor(Math.fround(inLen * scales![a]!));
        const scale = sizes ? len / inLen : scales![a]!;
        if (len === inLen && scale === 1) continue;
        if (inLen === 0) throw new ShapeError(`${where(node)}: axis ${a} of X is empty but its output size is ${len}`);
        const bshape = t.shape.map((_, i) => (i === axis ? len : 1));
        if (mode === 'nearest') {
          const idx = Array.from({ length: len }, (_, i) =>
            Math.min(Math.max(round(nearest, source(coord, i, scale, inLen, len)), 0), inLen - 1),
          );
          t = tf.gather(t, tf.tensor1d(idx, 'int32'), axis);
          continue;
        }
        const i0 = new Int32Array(len);
        const i1 = new Int32Array(len);
        const w0 = new Float32Array(len);
        const w1 = new Float32Array(len);
        for (let j = 0; j < len; j++) {
          const src = Math.min(Math.max(source(coord, j, scale, inLen, len), 0), inLen - 1);
          i0[j] = Math.floor(src);
          i1[j] = Math.min(i0[j]! + 1, inLen - 1);
          w1[j] = src - i0[j]!;
          w0[j] = 1 - (src - i0[j]!);
        }
        const lo: TfTensor = tf.mul(tf.gather(t, tf.tensor1d(i0, 'int32'), axis), tf.tensor(w0, bshape));
        const hi: TfTensor = tf.mul(tf.gather(t, tf.tensor1d(i1, 'int32'), axis), tf.tensor(w1, bshape));
        t = tf.add(lo, hi);
      }
      return [{ t: t === x.t ? tf.clone(t) : t, nhwc: x.nhwc }];
    },
  };
};

export const resizeOps: Record<string, OpDef> = { Resize: resize };
