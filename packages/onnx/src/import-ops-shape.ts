/**
 * Converters for the data-movement and shape ops: folded when their inputs are constant (Shape, Gather, Unsqueeze,
 * Concat, Cast, ConstantOfShape, Constant, Reshape, Slice, ...), mapped to IR ops otherwise (Gather with a constant
 * index -> Slice [+ Reshape], Unsqueeze/Squeeze -> Reshape, Cast to the same dtype -> Identity).
 */
import { DataError, type Dim, resolveReshape, Tensor } from '@striate/core';
import { foldBinary, foldConcat, foldGather, foldSlice, foldTranspose, numbersOf, tensorOf } from './fold.js';
import {
  allConst,
  constIn,
  emit1,
  input,
  intAttr,
  intsAttr,
  intsOf,
  type NodeCtx,
  requireConst,
  temp,
  unsupported,
} from './import-attrs.js';
import { dtypeOfOnnx, int64Tensor } from './tensor-proto.js';

export type Converter = (c: NodeCtx) => void;

const out0 = (c: NodeCtx): string => c.outputs[0]!;
const setOut = (c: NodeCtx, t: Tensor): void => c.imp.setConst(out0(c), t);
const normAxis = (c: NodeCtx, axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank)
    throw new DataError(`${c.where}: axis ${axis} out of range for rank ${rank}`);
  return a;
};

/** A Reshape to `dims`; a symbolic dim is kept only where it stays at its index (as Reshape's 0). */
function reshapeTo(c: NodeCtx, x: string, dims: readonly Dim[], from: readonly Dim[], output?: string): string {
  const shape = dims.map((d, j) => {
    if (typeof d === 'number') return d;
    if (from[j] === d) return 0;
    throw unsupported(c, `needs the static shape of its input, got [${from.join(', ')}]`);
  });
  return emit1(c, 'Reshape', [x, int64Tensor(shape)], {}, output);
}

function unsqueezeAxes(c: NodeCtx): number[] {
  if (c.opset < 13) return intsAttr(c, 'axes') ?? [];
  return intsOf(requireConst(c, 1, 'axes'));
}

const shape: Converter = (c) => {
  const info = c.imp.info(input(c, 0), c.where);
  const rank = info.shape.length;
  const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const dims = info.shape.slice(clampIdx(intAttr(c, 'start', 0)), clampIdx(intAttr(c, 'end', rank)));
  if (!dims.every((d) => typeof d === 'number')) {
    throw unsupported(c, `the shape [${info.shape.join(', ')}] is symbolic; pass inputShapes to importOnnx to fix it`);
  }
  setOut(c, int64Tensor(dims as number[]));
};

const size: Converter = (c) => {
  const info = c.imp.info(input(c, 0), c.where);
  if (!info.shape.every((d) => typeof d === 'number')) throw unsupported(c, 'the input shape is symbolic');
  setOut(c, tensorOf('int64', [], [(info.shape as number[]).reduce((a, b) => a * b, 1)], c.where));
};

const constant: Converter = (c) => {
  const a = c.attrs;
  if (a.value instanceof Tensor) setOut(c, a.value);
  else if (typeof a.value_float === 'number') setOut(c, tensorOf('float32', [], [a.value_float], c.where));
  else if (Array.isArray(a.value_floats))
    setOut(c, tensorOf('float32', [a.value_floats.length], a.value_floats as number[], c.where));
  else if (typeof a.value_int === 'number') setOut(c, tensorOf('int64', [], [a.value_int], c.where));
  else if (Array.isArray(a.value_ints)) setOut(c, int64Tensor(a.value_ints as number[]));
  else throw unsupported(c, `only tensor, float(s) and int(s) values are supported, got ${Object.keys(a).join(', ')}`);
};

const constantOfShape: Converter = (c) => {
  const dims = intsOf(requireConst(c, 0, 'shape'));
  if (dims.some((d) => !Number.isInteger(d) || d < 0))
    throw new DataError(`${c.where}: bad shape [${dims.join(', ')}]`);
  const value = c.attrs.value instanceof Tensor ? c.attrs.value : tensorOf('float32', [1], [0], c.where);
  const v = numbersOf(value)[0] ?? 0;
  const size = dims.reduce((a, b) => a * b, 1);
  if (size > 1 << 26) throw new DataError(`${c.where}: shape [${dims.join(', ')}] is too large to fold`);
  setOut(c, tensorOf(value.dtype, dims, new Float64Array(size).fill(v), c.where));
};

const identity: Converter = (c) => {
  const k = constIn(c, 0);
  if (k) setOut(c, k);
  else emit1(c, 'Identity', [input(c, 0)]);
};

const cast: Converter = (c) => {
  const to = dtypeOfOnnx(intAttr(c, 'to', 1), c.where);
  const k = constIn(c, 0);
  if (k) return setOut(c, to === 'int64' ? tensorOf('int64', k.shape, numbersOf(k), c.where) : k.cast(to));
  const from = c.imp.info(input(c, 0), c.where).dtype;
  if (from !== to) throw unsupported(c, `a run-time cast from ${from} to ${to} is not an IR op`);
  emit1(c, 'Identity', [input(c, 0)]);
};

const binary: Converter = (c) => {
  if (c.attrs.axis !== undefined) throw unsupported(c, 'legacy broadcasting with an axis attribute (opset < 7)');
  const a = constIn(c, 0);
  const b = constIn(c, 1);
  if (a && b) return setOut(c, foldBinary(c.op, a, b, c.where));
  emit1(c, c.op as 'Add', [input(c, 0), input(c, 1)]);
};

const concat: Converter = (c) => {
  const axis = intAttr(c, 'axis', c.opset < 4 ? 1 : Number.NaN);
  if (Number.isNaN(axis)) throw new DataError(`${c.where}: attribute axis is required`);
  const names = c.inputs.filter((n) => n !== '');
  if (allConst(c))
    return setOut(
      c,
      foldConcat(
        names.map((n) => c.imp.consts.get(n)!),
        axis,
        c.where,
      ),
    );
  emit1(c, 'Concat', names, { axis });
};

const gather: Converter = (c) => {
  const indices = requireConst(c, 1, 'indices');
  const axis = intAttr(c, 'axis', 0);
  const data = constIn(c, 0);
  if (data) return setOut(c, foldGather(data, indices, axis, c.where));
  const x = input(c, 0);
  const from = c.imp.info(x, c.where).shape;
  const ax = normAxis(c, axis, from.length);
  const dim = from[ax];
  const idx = intsOf(indices).map((i) => (typeof dim === 'number' && i < 0 ? i + dim : i));
  if (idx.some((i) => i < 0)) throw unsupported(c, 'negative indices on a symbolic axis');
  const contiguous = idx.every((v, k) => v === idx[0]! + k);
  if (indices.rank > 1 || !contiguous || idx.length === 0) {
    throw unsupported(c, `run-time Gather needs a scalar or a contiguous 1-D constant index, got [${idx.join(', ')}]`);
  }
  const sliceArgs = [int64Tensor([idx[0]!]), int64Tensor([idx[idx.length - 1]! + 1]), int64Tensor([ax])];
  if (indices.rank === 1) return void emit1(c, 'Slice', [x, ...sliceArgs]);
  const sliced = emit1(c, 'Slice', [x, ...sliceArgs], {}, temp(c, 'slice'));
  reshapeTo(c, sliced, [...from.slice(0, ax), ...from.slice(ax + 1)], from, out0(c));
};

const unsqueeze: Converter = (c) => {
  const axes = unsqueezeAxes(c);
  const k = constIn(c, 0);
  const from = k ? k.shape : c.imp.info(input(c, 0), c.where).shape;
  const rank = from.length + axes.length;
  const norm = new Set(axes.map((a) => normAxis(c, a, rank)));
  const dims: Dim[] = [];
  let src = 0;
  for (let j = 0; j < rank; j++) dims.push(norm.has(j) ? 1 : from[src++]!);
  if (k) return setOut(c, k.reshape(dims as number[]));
  // A symbolic dim may only stay at its own index (Reshape's 0).
  reshapeTo(c, input(c, 0), dims, from, out0(c));
};

const squeeze: Converter = (c) => {
  const k = constIn(c, 0);
  const from = k ? k.shape : c.imp.info(input(c, 0), c.where).shape;
  const given = c.opset < 13 ? intsAttr(c, 'axes') : constIn(c, 1) && intsOf(constIn(c, 1)!);
  const axes = new Set((given ?? from.flatMap((d, j) => (d === 1 ? [j] : []))).map((a) => normAxis(c, a, from.length)));
  const dims = from.filter((_, j) => !axes.has(j));
  if (k) return setOut(c, k.reshape(dims as number[]));
  reshapeTo(c, input(c, 0), dims, from, out0(c));
};

const reshape: Converter = (c) => {
  const target = c.opset < 5 ? intsAttr(c, 'shape') : intsOf(requireConst(c, 1, 'shape'));
  if (!target) throw new DataError(`${c.where}: no target shape`);
  const k = constIn(c, 0);
  const allowzero = intAttr(c, 'allowzero', 0);
  if (k) {
    const dims = allowzero ? target : target.map((d, i) => (d === 0 ? k.shape[i]! : d));
    return setOut(c, k.reshape(resolveReshape(k.shape, dims, c.where)));
  }
  emit1(c, 'Reshape', [input(c, 0), int64Tensor(target)], allowzero ? { allowzero } : {});
};

const flatten: Converter = (c) => emit1(c, 'Flatten', [input(c, 0)], { axis: intAttr(c, 'axis', 1) });

const transpose: Converter = (c) => {
  const k = constIn(c, 0);
  const rank = k ? k.rank : c.imp.info(input(c, 0), c.where).shape.length;
  const perm = intsAttr(c, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (k) return setOut(c, foldTranspose(k, perm, c.where));
  emit1(c, 'Transpose', [input(c, 0)], { perm });
};

const slice: Converter = (c) => {
  let starts: number[];
  let ends: number[];
  let axes: number[] | undefined;
  let steps: number[] | undefined;
  if (c.opset < 10) {
    starts = intsAttr(c, 'starts') ?? [];
    ends = intsAttr(c, 'ends') ?? [];
    axes = intsAttr(c, 'axes');
  } else {
    starts = intsOf(requireConst(c, 1, 'starts'));
    ends = intsOf(requireConst(c, 2, 'ends'));
    axes = constIn(c, 3) && intsOf(constIn(c, 3)!);
    steps = constIn(c, 4) && intsOf(constIn(c, 4)!);
    if ((input(c, 3) && !axes) || (input(c, 4) && !steps)) throw unsupported(c, 'axes/steps computed at run time');
  }
  const ax = axes ?? starts.map((_, i) => i);
  const st = steps ?? starts.map(() => 1);
  const k = constIn(c, 0);
  if (k) return setOut(c, foldSlice(k, starts, ends, ax, st, c.where));
  const i64 = (v: number[]) => tensorOf('int64', [v.length], v, c.where);
  emit1(c, 'Slice', [input(c, 0), i64(starts), i64(ends), i64(ax), i64(st)]);
};

const split: Converter = (c) => {
  const x = input(c, 0);
  const from = c.imp.info(x, c.where).shape;
  const axis = normAxis(c, intAttr(c, 'axis', 0), from.length);
  const count = c.outputs.length;
  let sizes = c.opset < 13 ? intsAttr(c, 'split') : constIn(c, 1) && intsOf(constIn(c, 1)!);
  if (!sizes && input(c, 1) !== '' && c.opset >= 13) throw unsupported(c, 'split sizes computed at run time');
  const dim = from[axis];
  if ((!sizes || sizes.length === 0) && typeof dim === 'number') {
    const n = c.attrs.num_outputs === undefined ? count : (c.attrs.num_outputs as number);
    const chunk = Math.ceil(dim / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  }
  const outs = c.outputs.map((o) => (o === '' ? temp(c, 'unused') : o));
  if (sizes && sizes.length > 0) c.imp.emit('Split', c.name, [x, int64Tensor(sizes)], { axis }, outs);
  else c.imp.emit('Split', c.name, [x], { axis, num_outputs: count }, outs);
};

export const SHAPE_CONVERTERS: Readonly<Record<string, Converter>> = {
  Shape: shape,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Identity: identity,
  Cast: cast,
  Add: binary,
  Sub: binary,
  Mul: binary,
  Div: binary,
  Concat: concat,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Slice: slice,
  Split: split,
};
