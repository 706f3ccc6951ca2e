/**
 * Constant folding at import: the shape sub-graphs of exported models (Shape -> Gather -> Unsqueeze -> Concat ->
 * Reshape, ConstantOfShape, Cast, ...) evaluated on constant tensors, so that only IR ops remain at run time.
 * Values are computed as float64 numbers and stored in the node's output dtype (int64 saturates at its range).
 */
import { DataError, type DType, Tensor, toNumberArray } from '@striate/core';

const MAX_FOLD_ELEMENTS = 1 << 26;

export function numbersOf(t: Tensor): number[] {
  return Array.from(toNumberArray(t.dtype, t.data));
}

/** A tensor of `dtype` from numbers (int64 saturating, bool as != 0). */
export function tensorOf(dtype: DType, shape: readonly number[], values: ArrayLike<number>, where: string): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_FOLD_ELEMENTS) {
    throw new DataError(`${where}: a folded constant of shape [${shape.join(', ')}] is too large (${size} elements)`);
  }
  if (dtype === 'int64') {
    const out = new BigInt64Array(values.length);
    const hi = 2n ** 63n - 1n;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) out[i] = 0n;
      else if (v >= 9.2e18) out[i] = hi;
      else if (v <= -9.2e18) out[i] = -hi - 1n;
      else out[i] = BigInt(Math.trunc(v));
    }
    return new Tensor('int64', shape, out);
  }
  const t = new Tensor('float32', shape, Float32Array.from(values));
  return dtype === 'float32' ? t : t.cast(dtype);
}

/** numpy broadcasting of two shapes; undefined if they do not broadcast. */
function broadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function indexFor(shape: readonly number[], out: readonly number[], flat: number): number {
  let idx = 0;
  let stride = 1;
  let rem = flat;
  const offs = out.length - shape.length;
  const coords: number[] = new Array(out.length);
  for (let i = out.length - 1; i >= 0; i--) {
    coords[i] = rem % out[i]!;
    rem = Math.floor(rem / out[i]!);
  }
  for (let i = shape.length - 1; i >= 0; i--) {
    const c = shape[i] === 1 ? 0 : coords[i + offs]!;
    idx += c * stride;
    stride *= shape[i]!;
  }
  return idx;
}

/** Elementwise Add/Sub/Mul/Div of constants (integer Div truncates, as ONNX). */
export function foldBinary(op: string, a: Tensor, b: Tensor, where: string): Tensor {
  const shape = broadcast(a.shape, b.shape);
  if (!shape) throw new DataError(`${where}: shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  const x = numbersOf(a);
  const y = numbersOf(b);
  const size = shape.reduce((p, q) => p * q, 1);
  const isInt = a.dtype !== 'float32' && a.dtype !== 'float16';
  const out = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    const u = x[indexFor(a.shape, shape, i)]!;
    const v = y[indexFor(b.shape, shape, i)]!;
    out[i] = op === 'Add' ? u + v : op === 'Sub' ? u - v : op === 'Mul' ? u * v : isInt ? Math.trunc(u / v) : u / v;
  }
  return tensorOf(a.dtype, shape, out, where);
}

/** Gather along `axis` with constant indices (negative ones wrap). */
export function foldGather(data: Tensor, indices: Tensor, axis: number, where: string): Tensor {
  const rank = data.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) throw new DataError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  const dim = data.shape[ax]!;
  const idx = numbersOf(indices).map((i) => (i < 0 ? i + dim : i));
  if (idx.some((i) => !Number.isInteger(i) || i < 0 || i >= dim)) {
    throw new DataError(`${where}: indices ${JSON.stringify(numbersOf(indices))} out of range for axis size ${dim}`);
  }
  const outer = data.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const inner = data.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const src = numbersOf(data);
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (const i of idx) for (let k = 0; k < inner; k++) out.push(src[(o * dim + i) * inner + k]!);
  const shape = [...data.shape.slice(0, ax), ...indices.shape, ...data.shape.slice(ax + 1)];
  return tensorOf(data.dtype, shape, out, where);
}

/** Concat of constants along `axis`. */
export function foldConcat(parts: readonly Tensor[], axis: number, where: string): Tensor {
  const first = parts[0]!;
  const rank = first.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) throw new DataError(`${where}: axis ${axis} is out of range for rank ${rank}`);
  const outer = first.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const out: number[] = [];
  const data = parts.map((p) => {
    if (p.shape.length !== rank) throw new DataError(`${where}: inputs have different ranks`);
    return numbersOf(p);
  });
  for (let o = 0; o < outer; o++) {
    parts.forEach((p, j) => {
      const chunk = p.shape.slice(ax).reduce((a, b) => a * b, 1);
      for (let k = 0; k < chunk; k++) out.push(data[j]![o * chunk + k]!);
    });
  }
  const shape = [...first.shape];
  shape[ax] = parts.reduce((s, p) => s + p.shape[ax]!, 0);
  return tensorOf(first.dtype, shape, out, where);
}

/** Slice of a constant (starts/ends clamped as ONNX). */
export function foldSlice(
  data: Tensor,
  starts: number[],
  ends: number[],
  axes: number[],
  steps: number[],
  where: string,
): Tensor {
  const rank = data.shape.length;
  const ranges = data.shape.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((a, i) => {
    const ax = a < 0 ? a + rank : a;
    const dim = data.shape[ax];
    const step = steps[i] ?? 1;
    if (dim === undefined || step === 0) throw new DataError(`${where}: bad axis ${a} or step ${step}`);
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + dim : v, lo), hi);
    const s = step > 0 ? clamp(starts[i]!, 0, dim) : clamp(starts[i]!, -1, dim - 1);
    const e = step > 0 ? clamp(ends[i]!, 0, dim) : clamp(ends[i]!, -1, dim - 1);
    const count = Math.max(0, Math.ceil((e - s) / step));
    ranges[ax] = { start: s, step, count };
  });
  const src = numbersOf(data);
  const strides = data.strides;
  const shape = ranges.map((r) => r.count);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    let rem = i;
    let off = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const c = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
      off += (ranges[d]!.start + c * ranges[d]!.step) * strides[d]!;
    }
    out[i] = src[off]!;
  }
  return tensorOf(data.dtype, shape, out, where);
}

/** Transpose of a constant. */
export function foldTranspose(data: Tensor, perm: readonly number[], where: string): Tensor {
  const shape = perm.map((p) => data.shape[p]!);
  const src = numbersOf(data);
  const strides = data.strides;
  const size = src.length;
  const out = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    let rem = i;
    let off = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      const c = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
      off += c * strides[perm[d]!]!;
    }
    out[i] = src[off]!;
  }
  return tensorOf(data.dtype, shape, out, where);
}
