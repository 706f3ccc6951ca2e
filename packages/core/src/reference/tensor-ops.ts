import { allocate, type DType, type TypedArrayFor } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { formatShape, type Shape, shapeSize, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { coalesce, RowWalker } from './broadcast.js';

/**
 * Data-movement ops of the reference backend (Concat, Split, Transpose, Slice, Pad) and ReduceMean, over any
 * dtype. Arguments are already-parsed numbers; `context` (e.g. `"stem.pad (Pad)"`) prefixes every error message.
 * Contiguous runs are copied with `TypedArray.set`, everything else with precomputed per-axis offset tables.
 */

/** The operations every typed array has, over number | bigint elements (the ops here copy within one dtype). */
interface Elements {
  readonly length: number;
  [index: number]: number | bigint;
  subarray(begin: number, end?: number): Elements;
  set(source: Elements, offset?: number): void;
  fill(value: number | bigint, start?: number, end?: number): Elements;
}

const elementsOf = (t: Tensor): Elements => t.data as unknown as Elements;
const allocElements = (dtype: DType, size: number): Elements => allocate(dtype, size) as unknown as Elements;
const tensorOf = (dtype: DType, shape: Shape, data: Elements): Tensor =>
  new Tensor(dtype, shape, data as unknown as TypedArrayFor<DType>);

/** Normalizes an axis in [-rank, rank) (or [-rank, rank] with `inclusive`); throws a RangeError naming `argName`. */
export function normalizeAxis(axis: number, rank: number, context: string, argName: string, inclusive = false): number {
  const hi = inclusive ? rank : rank - 1;
  if (!Number.isInteger(axis) || axis < -rank || axis > hi) {
    throw new RangeError(`${context}: ${argName} must be an integer in [${-rank}, ${hi}], got ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Concatenates tensors along `axis` (normalized). All inputs need the same dtype, rank and off-axis sizes. */
export function concat(inputs: readonly Tensor[], axis: number, context: string): Tensor {
  const first = inputs[0];
  if (first === undefined) throw new RangeError(`${context}: expected at least one input, got 0`);
  const rank = first.rank;
  if (rank === 0) throw new ShapeError(`${context}: inputs must have rank >= 1, got a scalar`);
  const ax = normalizeAxis(axis, rank, context, 'axis');
  const outShape = [...first.shape];
  outShape[ax] = 0;
  for (let k = 0; k < inputs.length; k++) {
    const t = inputs[k]!;
    if (t.dtype !== first.dtype) {
      throw new DTypeError(`${context}: input ${k} has dtype ${t.dtype}, expected ${first.dtype} (as input 0)`);
    }
    const mismatch = t.rank !== rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i]);
    if (mismatch) {
      throw new ShapeError(
        `${context}: input ${k} has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)} ` +
          `except along axis ${ax}`,
      );
    }
    outShape[ax] += t.shape[ax]!;
  }
  const outer = shapeSize(first.shape.slice(0, ax));
  const after = shapeSize(first.shape.slice(ax + 1));
  const out = allocElements(first.dtype, shapeSize(outShape));
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (const t of inputs) {
      const chunk = t.shape[ax]! * after;
      if (chunk === 0) continue;
      out.set(elementsOf(t).subarray(r * chunk, (r + 1) * chunk), o);
      o += chunk;
    }
  }
  return tensorOf(first.dtype, outShape, out);
}

/** Splits along `axis` (normalized) into pieces of the given sizes, which must be non-negative and sum to the dim. */
export function split(x: Tensor, axis: number, sizes: readonly number[], context: string): Tensor[] {
  if (x.rank === 0) throw new ShapeError(`${context}: input must have rank >= 1, got a scalar`);
  const ax = normalizeAxis(axis, x.rank, context, 'axis');
  const dim = x.shape[ax]!;
  let total = 0;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${context}: split[${i}] must be a non-negative integer, got ${s}`);
    }
    total += s;
  }
  if (total !== dim) {
    throw new ShapeError(
      `${context}: split sizes [${sizes.join(', ')}] sum to ${total}, expected ${dim} (axis ${ax} of input ` +
        `${formatShape(x.shape)})`,
    );
  }
  const outer = shapeSize(x.shape.slice(0, ax));
  const after = shapeSize(x.shape.slice(ax + 1));
  const src = elementsOf(x);
  const results: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    const shape = [...x.shape];
    shape[ax] = s;
    const chunk = s * after;
    const out = allocElements(x.dtype, outer * chunk);
    if (chunk > 0) {
      for (let r = 0; r < outer; r++) {
        const from = r * dim * after + start * after;
        out.set(src.subarray(from, from + chunk), r * chunk);
      }
    }
    results.push(tensorOf(x.dtype, shape, out));
    start += s;
  }
  return results;
}

/** Permutes axes: output axis i is input axis perm[i]. `perm` must be a permutation of 0..rank-1. */
export function transpose(x: Tensor, perm: readonly number[], context: string): Tensor {
  const rank = x.rank;
  const seen = new Array<boolean>(rank).fill(false);
  let valid = perm.length === rank;
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) valid = false;
    else seen[p] = true;
  }
  if (!valid) {
    throw new RangeError(`${context}: perm must be a permutation of 0..${rank - 1}, got [${perm.join(', ')}]`);
  }
  if (perm.every((p, i) => p === i)) return x;
  const outShape = perm.map((p) => x.shape[p]!);
  const inStrides = stridesOf(x.shape);
  const out = allocElements(x.dtype, x.size);
  if (x.size === 0) return tensorOf(x.dtype, outShape, out);
  const walker = new RowWalker(coalesce(outShape, [stridesOf(outShape), perm.map((p) => inStrides[p]!)]));
  const src = elementsOf(x);
  const n = walker.inner;
  const s = walker.innerStrides[1]!;
  for (let r = 0; r < walker.rows; r++) {
    const o = walker.offsets[0]!;
    let p = walker.offsets[1]!;
    if (s === 1) {
      out.set(src.subarray(p, p + n), o);
    } else {
      for (let j = 0; j < n; j++, p += s) out[o + j] = src[p]!;
    }
    walker.next();
  }
  return tensorOf(x.dtype, outShape, out);
}

/**
 * Builds an output of `outShape` where element (i0, i1, ...) is src[maps[0][i0] + maps[1][i1] + ...], or `fill`
 * when any map entry is -1. Trailing axes whose maps are the identity over the whole input axis are copied as
 * contiguous blocks.
 */
function gatherAxes(
  x: Tensor,
  outShape: readonly number[],
  maps: readonly Int32Array[],
  fill: number | bigint,
): Tensor {
  const out = allocElements(x.dtype, shapeSize(outShape));
  if (out.length === 0) return tensorOf(x.dtype, outShape, out);
  const src = elementsOf(x);
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = src[0]!;
    return tensorOf(x.dtype, outShape, out);
  }
  // Merge trailing identity axes into one contiguous block of `block` elements.
  const inStrides = stridesOf(x.shape);
  let last = rank - 1;
  let block = 1;
  while (last >= 0 && isIdentityMap(maps[last]!, x.shape[last]!, inStrides[last]!)) block *= outShape[last--]!;
  if (last < 0) {
    out.set(src, 0);
    return tensorOf(x.dtype, outShape, out);
  }
  const inner = maps[last]!;
  const n = inner.length;
  const hasFill = inner.includes(-1);
  const index = new Array<number>(last).fill(0);
  const rows = shapeSize(outShape.slice(0, last));
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let base = 0;
    let filled = false;
    for (let d = 0; d < last; d++) {
      const m = maps[d]![index[d]!]!;
      if (m < 0) filled = true;
      base += m;
    }
    if (filled) {
      out.fill(fill, o, o + n * block);
      o += n * block;
    } else if (block > 1) {
      for (let j = 0; j < n; j++, o += block) {
        const m = inner[j]!;
        if (m < 0) out.fill(fill, o, o + block);
        else out.set(src.subarray(base + m, base + m + block), o);
      }
    } else if (hasFill) {
      for (let j = 0; j < n; j++, o++) {
        const m = inner[j]!;
        out[o] = m < 0 ? fill : src[base + m]!;
      }
    } else {
      for (let j = 0; j < n; j++, o++) out[o] = src[base + inner[j]!]!;
    }
    for (let d = last - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return tensorOf(x.dtype, outShape, out);
}

function isIdentityMap(map: Int32Array, dim: number, stride: number): boolean {
  if (map.length !== dim) return false;
  for (let j = 0; j < dim; j++) if (map[j] !== j * stride) return false;
  return true;
}

/**
 * ONNX Slice with already-read operands. Negative starts/ends count from the end; values are clamped to
 * [0, dim] (step > 0) or [-1, dim - 1] (step < 0), so INT64_MAX / INT64_MIN (read as +-9.2e18) mean "to the end".
 * `axes` defaults to 0..k-1 and may be negative (no repeats); `steps` defaults to 1 and must be non-zero.
 */
export function slice(
  x: Tensor,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[] | null,
  steps: readonly number[] | null,
  context: string,
): Tensor {
  const rank = x.rank;
  const k = starts.length;
  if (ends.length !== k || (axes !== null && axes.length !== k) || (steps !== null && steps.length !== k)) {
    const lens = `starts ${k}, ends ${ends.length}, axes ${axes?.length ?? '-'}, steps ${steps?.length ?? '-'}`;
    throw new ShapeError(`${context}: starts, ends, axes and steps must have the same length, got ${lens}`);
  }
  const inStrides = stridesOf(x.shape);
  const outShape = [...x.shape];
  const maps = x.shape.map((d, i) => identityMap(d, inStrides[i]!));
  const done = new Array<boolean>(rank).fill(false);
  for (let i = 0; i < k; i++) {
    const axis = normalizeAxis(axes === null ? i : axes[i]!, rank, context, `axes[${i}]`);
    if (done[axis]) throw new RangeError(`${context}: axes must not repeat, got axis ${axis} twice`);
    done[axis] = true;
    const step = steps === null ? 1 : steps[i]!;
    if (!Number.isInteger(step) || step === 0) {
      throw new RangeError(`${context}: steps[${i}] must be a non-zero integer, got ${step}`);
    }
    const dim = x.shape[axis]!;
    let start = starts[i]!;
    let end = ends[i]!;
    if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError(`${context}: starts/ends[${i}] is NaN`);
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    if (step > 0) {
      start = Math.min(Math.max(start, 0), dim);
      end = Math.min(Math.max(end, 0), dim);
    } else {
      start = Math.min(Math.max(start, 0), dim - 1);
      end = Math.min(Math.max(end, -1), dim - 1);
    }
    const count = Math.max(0, Math.ceil((end - start) / step));
    const map = new Int32Array(count);
    for (let j = 0; j < count; j++) map[j] = (start + j * step) * inStrides[axis]!;
    maps[axis] = map;
    outShape[axis] = count;
  }
  return gatherAxes(x, outShape, maps, 0);
}

function identityMap(dim: number, stride: number): Int32Array {
  const map = new Int32Array(dim);
  for (let j = 0; j < dim; j++) map[j] = j * stride;
  return map;
}

export type PadMode = 'constant' | 'reflect' | 'edge';

/**
 * ONNX Pad with already-read operands: `pads` is [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. Negative pads
 * crop first (as ONNX Runtime does), then the positive pads are filled: 'constant' with `value`, 'edge' with the
 * border element, 'reflect' by mirroring without repeating the border (NumPy's rule, repeated when a pad is longer
 * than the axis). 'edge' and 'reflect' need a non-empty axis wherever they pad.
 */
export function pad(
  x: Tensor,
  pads: readonly number[],
  mode: PadMode,
  value: number | bigint,
  context: string,
): Tensor {
  const rank = x.rank;
  if (pads.length !== 2 * rank) {
    throw new ShapeError(
      `${context}: pads must have 2 * rank = ${2 * rank} values for input ${formatShape(x.shape)}, got ${pads.length}`,
    );
  }
  pads.forEach((p, i) => {
    if (!Number.isSafeInteger(p)) throw new RangeError(`${context}: pads[${i}] must be an integer, got ${p}`);
  });
  const inStrides = stridesOf(x.shape);
  const outShape: number[] = [];
  const maps: Int32Array[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const begin = pads[axis]!;
    const end = pads[axis + rank]!;
    const cropBegin = Math.max(0, -begin);
    const len = x.shape[axis]! - cropBegin - Math.max(0, -end);
    if (len < 0) {
      throw new ShapeError(
        `${context}: negative pads ${begin} and ${end} crop more than axis ${axis} holds (${x.shape[axis]})`,
      );
    }
    const padBegin = Math.max(0, begin);
    const size = len + padBegin + Math.max(0, end);
    if (size > len && len === 0 && mode !== 'constant') {
      throw new ShapeError(`${context}: mode '${mode}' cannot pad axis ${axis}, which is empty (after cropping)`);
    }
    const map = new Int32Array(size);
    const period = 2 * (len - 1);
    for (let i = 0; i < size; i++) {
      let s = i - padBegin;
      if (s < 0 || s >= len) {
        if (mode === 'constant') {
          map[i] = -1;
          continue;
        }
        if (mode === 'edge' || len === 1) {
          s = s < 0 ? 0 : len - 1;
        } else {
          s = ((s % period) + period) % period;
          if (s >= len) s = period - s;
        }
      }
      map[i] = (s + cropBegin) * inStrides[axis]!;
    }
    outShape.push(size);
    maps.push(map);
  }
  return gatherAxes(x, outShape, maps, value);
}

/**
 * Mean over `axes` (normalized, no repeats; empty means all axes), accumulated in float64, of a float32 tensor.
 * With `keepdims` the reduced axes stay as size 1. The mean over an empty set is NaN, as NumPy gives.
 */
export function reduceMean(x: Tensor, axes: readonly number[], keepdims: boolean, context: string): Tensor<'float32'> {
  if (x.dtype !== 'float32') throw new DTypeError(`${context}: input must be float32, got ${x.dtype}`);
  const rank = x.rank;
  const reduced = new Array<boolean>(rank).fill(axes.length === 0);
  for (const a of axes) {
    const axis = normalizeAxis(a, rank, context, 'axes');
    if (reduced[axis]) throw new RangeError(`${context}: axes must not repeat, got axis ${axis} twice`);
    reduced[axis] = true;
  }
  const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const outShape = keepdims ? keptShape : x.shape.filter((_, i) => !reduced[i]);
  const outSize = shapeSize(keptShape);
  const count = outSize === 0 ? 0 : x.size / outSize;
  const sums = new Float64Array(outSize);
  if (x.size > 0) {
    const keptStrides = stridesOf(keptShape).map((s, i) => (reduced[i] ? 0 : s));
    const walker = new RowWalker(coalesce(x.shape, [stridesOf(x.shape), keptStrides]));
    const src = x.data as Float32Array;
    const n = walker.inner;
    const so = walker.innerStrides[1]!;
    for (let r = 0; r < walker.rows; r++) {
      let p = walker.offsets[0]!;
      let q = walker.offsets[1]!;
      if (so === 0) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += src[p++]!;
        sums[q] = sums[q]! + acc;
      } else {
        for (let j = 0; j < n; j++, q += so) sums[q] = sums[q]! + src[p++]!;
      }
      walker.next();
    }
  }
  const out = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) out[i] = sums[i]! / count;
  return new Tensor('float32', outShape, out);
}
