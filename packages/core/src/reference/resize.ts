import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { GraphNode } from '../graph.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatInput, intAttr, stringAttr, where } from './kernel-args.js';
import type { Kernel } from './types.js';

type CoordMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_half_pixel_for_nn';
type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

const COORD_MODES: readonly CoordMode[] = [
  'half_pixel',
  'pytorch_half_pixel',
  'align_corners',
  'asymmetric',
  'tf_half_pixel_for_nn',
];
const NEAREST_MODES: readonly NearestMode[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

/** The input coordinate that output coordinate `x` maps to (ONNX's coordinate_transformation_mode). */
export function sourceCoordinate(mode: CoordMode, x: number, scale: number, inLen: number, outLen: number): number {
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

function roundNearest(mode: NearestMode, x: number): number {
  const f = Math.floor(x);
  switch (mode) {
    case 'floor':
      return f;
    case 'ceil':
      return Math.ceil(x);
    case 'round_prefer_floor':
      return x - f === 0.5 ? f : Math.round(x);
    case 'round_prefer_ceil':
      return x - f === 0.5 ? f + 1 : Math.round(x);
  }
}

/** Output sizes and scales per axis from Resize's `scales` (float32) or `sizes` (int64) input. */
function targetSizes(node: GraphNode, x: Tensor, scales: Tensor | null, sizes: Tensor | null) {
  const rank = x.rank;
  if (sizes && sizes.size > 0) {
    if (sizes.dtype !== 'int64') throw new DTypeError(`${where(node)}: sizes: expected int64, got ${sizes.dtype}`);
    if (sizes.size !== rank) {
      throw new ShapeError(
        `${where(node)}: sizes: expected ${rank} values (X is ${formatShape(x.shape)}), got ${sizes.size}`,
      );
    }
    const out = Array.from(sizes.data as BigInt64Array, Number);
    out.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(`${where(node)}: sizes[${i}]: expected a size >= 0, got ${v}`);
    });
    return { out, scale: out.map((v, i) => v / x.shape[i]!) };
  }
  if (scales && scales.size > 0) {
    if (scales.dtype !== 'float32')
      throw new DTypeError(`${where(node)}: scales: expected float32, got ${scales.dtype}`);
    if (scales.size !== rank) {
      throw new ShapeError(
        `${where(node)}: scales: expected ${rank} values (X is ${formatShape(x.shape)}), got ${scales.size}`,
      );
    }
    const scale = Array.from(scales.data as Float32Array);
    scale.forEach((v, i) => {
      if (!(v > 0) || !Number.isFinite(v))
        throw new RangeError(`${where(node)}: scales[${i}]: expected a finite value > 0, got ${v}`);
    });
    // onnxruntime multiplies in float32 (as shape inference does): floor(fround(in * scale)).
    return { out: scale.map((s, i) => Math.floor(Math.fround(x.shape[i]! * s))), scale };
  }
  throw new ShapeError(`${where(node)}: one of the inputs scales or sizes must be given (non-empty)`);
}

/**
 * ONNX Resize (opset 13 to 17) for modes 'nearest' (all four nearest_mode values) and 'linear' (separable, any
 * number of axes, float64), with coordinate modes half_pixel, pytorch_half_pixel, align_corners, asymmetric and
 * tf_half_pixel_for_nn. Linear clamps the source coordinate to [0, in - 1], which matches PyTorch's bilinear
 * (it clamps negative half-pixel coordinates to 0).
 */
export const resize: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X');
  const mode = stringAttr(node, 'mode', 'nearest', ['nearest', 'linear', 'cubic'] as const);
  if (mode === 'cubic') throw new UnsupportedOpError(node.op, `${where(node)}: mode "cubic" is not supported`);
  const coord = stringAttr(node, 'coordinate_transformation_mode', 'half_pixel', COORD_MODES);
  const nearest = stringAttr(node, 'nearest_mode', 'round_prefer_floor', NEAREST_MODES);
  if (intAttr(node, 'antialias', 0) !== 0 || node.attrs.axes !== undefined) {
    throw new UnsupportedOpError(node.op, `${where(node)}: attributes antialias and axes (opset 18) are not supported`);
  }
  const { out, scale } = targetSizes(node, x, inputs[2] ?? null, inputs[3] ?? null);
  const rank = x.rank;
  out.forEach((len, a) => {
    if (len > 0 && x.shape[a] === 0) {
      throw new ShapeError(
        `${where(node)}: axis ${a} of X ${formatShape(x.shape)} is empty but its output size is ${len}`,
      );
    }
  });
  if (mode === 'nearest') {
    const maps = out.map((len, a) => {
      const inLen = x.shape[a]!;
      const m = new Int32Array(len);
      for (let i = 0; i < len; i++) {
        const src = roundNearest(nearest, sourceCoordinate(coord, i, scale[a]!, inLen, len));
        m[i] = Math.min(Math.max(src, 0), inLen - 1);
      }
      return m;
    });
    const inStrides = x.strides;
    const total = out.reduce((p, v) => p * v, 1);
    const y = new Float32Array(total);
    const pos = new Array<number>(rank).fill(0);
    for (let o = 0; o < total; o++) {
      let src = 0;
      for (let a = 0; a < rank; a++) src += maps[a]![pos[a]!]! * inStrides[a]!;
      y[o] = x.data[src]!;
      for (let a = rank - 1; a >= 0; a--) {
        if (++pos[a]! < out[a]!) break;
        pos[a] = 0;
      }
    }
    return [new Tensor('float32', out, y)];
  }
  let shape = [...x.shape];
  let data: Float64Array | Float32Array = x.data;
  for (let a = 0; a < rank; a++) {
    const inLen = shape[a]!;
    const len = out[a]!;
    if (len === inLen && scale[a] === 1) continue;
    const outer = shape.slice(0, a).reduce((p, v) => p * v, 1);
    const inner = shape.slice(a + 1).reduce((p, v) => p * v, 1);
    const next = new Float64Array(outer * len * inner);
    for (let j = 0; j < len; j++) {
      const src = Math.min(Math.max(sourceCoordinate(coord, j, scale[a]!, inLen, len), 0), inLen - 1);
      const i0 = Math.floor(src);
      const i1 = Math.min(i0 + 1, inLen - 1);
      const w1 = src - i0;
      const w0 = 1 - w1;
      for (let o = 0; o < outer; o++) {
        const dst = (o * len + j) * inner;
        const s0 = (o * inLen + i0) * inner;
        const s1 = (o * inLen + i1) * inner;
        for (let t = 0; t < inner; t++) next[dst + t] = data[s0 + t]! * w0 + data[s1 + t]! * w1;
      }
    }
    data = next;
    shape = shape.map((v, i) => (i === a ? len : v));
  }
  return [new Tensor('float32', out, Float32Array.from(data))];
};
