import { allocate, type DType } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, formatShape, type Shape, shapeSize, shapesEqual, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Broadcast iteration for the reference kernels: NumPy broadcasting of element-wise binary ops, and the row walker
 * that the binary ops and reductions share. Iteration spaces are coalesced first (size-1 axes dropped, axes that are
 * contiguous in every operand merged), so the hot loops run over long rows with fixed per-operand strides.
 */

/** Per-axis strides of `inShape` read as `outShape` (right-aligned; 0 where the input broadcasts). */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const offset = rank - inShape.length;
  const inStrides = stridesOf(inShape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    out[offset + i] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  return out;
}

export interface Coalesced {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Drops size-1 axes and merges adjacent axes that are contiguous in every strides array (stride[i] equals
 * stride[i + 1] * shape[i + 1]). The result has at least one axis, so a scalar iterates as one row of one element.
 */
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): Coalesced {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => s[i]! * d === outStrides[k]![last])) {
      outShape[last] = outShape[last]! * d;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![i]!;
    } else {
      outShape.push(d);
      for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![i]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Walks the rows of a coalesced iteration space (every axis but the last), keeping one element offset per operand.
 * `offsets[k]` is operand k's offset at the start of the current row; `next()` advances to the following row.
 */
export class RowWalker {
  /** Number of rows. */
  readonly rows: number;
  /** Row length (the last axis). */
  readonly inner: number;
  /** Per-operand stride along the row. */
  readonly innerStrides: number[];
  readonly offsets: number[];
  private readonly shape: number[];
  private readonly strides: number[][];
  private readonly index: number[];

  constructor(space: Coalesced) {
    const rank = space.shape.length;
    this.inner = space.shape[rank - 1]!;
    this.rows = shapeSize(space.shape.slice(0, rank - 1));
    this.innerStrides = space.strides.map((s) => s[rank - 1]!);
    this.offsets = space.strides.map(() => 0);
    this.shape = space.shape.slice(0, rank - 1);
    this.strides = space.strides.map((s) => s.slice(0, rank - 1));
    this.index = this.shape.map(() => 0);
  }

  next(): void {
    const { index, shape, strides, offsets } = this;
    for (let axis = index.length - 1; axis >= 0; axis--) {
      const i = index[axis]! + 1;
      if (i < shape[axis]!) {
        index[axis] = i;
        for (let k = 0; k < offsets.length; k++) offsets[k] = offsets[k]! + strides[k]![axis]!;
        return;
      }
      index[axis] = 0;
      for (let k = 0; k < offsets.length; k++) offsets[k] = offsets[k]! - (i - 1) * strides[k]![axis]!;
    }
  }
}

/** Binary element-wise ops. PRelu is `a < 0 ? a * b : a` with `b` (the slope) broadcast to `a`'s shape. */
export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div' | 'PRelu';

const OP_CODES: Readonly<Record<BinaryOp, number>> = { Add: 0, Sub: 1, Mul: 2, Div: 3, PRelu: 4 };
const BINARY_DTYPES: readonly DType[] = ['float32', 'int32', 'int64'];

/**
 * Computes `a op b` with NumPy broadcasting (or unidirectional broadcasting of `b` to `a` when `unidirectional`).
 * float32 math is done in float64 and rounded once on store (exact for + - * /). int32 wraps as C does (Math.imul
 * for Mul) and int64 wraps to 64 bits; integer division truncates toward zero, and a zero divisor is a RangeError.
 * `context` (e.g. `"layer1.add (Add)"`) prefixes every error message.
 */
export function broadcastBinary(op: BinaryOp, a: Tensor, b: Tensor, context: string, unidirectional = false): Tensor {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(`${context}: inputs must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  const dtype = a.dtype;
  if (!BINARY_DTYPES.includes(dtype) || (op === 'PRelu' && dtype !== 'float32')) {
    const allowed = op === 'PRelu' ? 'float32' : BINARY_DTYPES.join(', ');
    throw new DTypeError(`${context}: expected inputs of dtype ${allowed}, got ${dtype}`);
  }
  const outShape = broadcastShapes(a.shape, b.shape, context);
  if (unidirectional && !shapesEqual(outShape, a.shape)) {
    throw new ShapeError(
      `${context}: second input of shape ${formatShape(b.shape)} must broadcast to the first input's shape ` +
        `${formatShape(a.shape)} (unidirectional), which would give ${formatShape(outShape)}`,
    );
  }
  const size = shapeSize(outShape);
  const out = allocate(dtype, size);
  if (size === 0) return new Tensor(dtype, outShape, out);
  if (op === 'Div' && dtype !== 'float32' && hasZero(b.data as Int32Array | BigInt64Array)) {
    throw new RangeError(`${context}: integer division by zero (the divisor input holds a 0)`);
  }
  const walker = new RowWalker(
    coalesce(outShape, [stridesOf(outShape), broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]),
  );
  const code = OP_CODES[op];
  const [, sa, sb] = walker.innerStrides as [number, number, number];
  const n = walker.inner;
  for (let r = 0; r < walker.rows; r++) {
    const [o, pa, pb] = walker.offsets as [number, number, number];
    if (dtype === 'float32') {
      floatRow(code, out as Float32Array, o, a.data as Float32Array, pa, sa, b.data as Float32Array, pb, sb, n);
    } else if (dtype === 'int32') {
      int32Row(code, out as Int32Array, o, a.data as Int32Array, pa, sa, b.data as Int32Array, pb, sb, n);
    } else {
      int64Row(code, out as BigInt64Array, o, a.data as BigInt64Array, pa, sa, b.data as BigInt64Array, pb, sb, n);
    }
    walker.next();
  }
  return new Tensor(dtype, outShape, out);
}

function hasZero(data: Int32Array | BigInt64Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] === 0 || data[i] === 0n) return true;
  return false;
}

function floatRow(
  code: number,
  out: Float32Array,
  o: number,
  a: Float32Array,
  pa: number,
  sa: number,
  b: Float32Array,
  pb: number,
  sb: number,
  n: number,
): void {
  const end = o + n;
  switch (code) {
    case 0:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! + b[pb]!;
      return;
    case 1:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! - b[pb]!;
      return;
    case 2:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! * b[pb]!;
      return;
    case 3:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! / b[pb]!;
      return;
    default:
      for (; o < end; o++, pa += sa, pb += sb) {
        const x = a[pa]!;
        out[o] = x < 0 ? x * b[pb]! : x;
      }
  }
}

function int32Row(
  code: number,
  out: Int32Array,
  o: number,
  a: Int32Array,
  pa: number,
  sa: number,
  b: Int32Array,
  pb: number,
  sb: number,
  n: number,
): void {
  const end = o + n;
  switch (code) {
    case 0:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (a[pa]! + b[pb]!) | 0;
      return;
    case 1:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (a[pa]! - b[pb]!) | 0;
      return;
    case 2:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = Math.imul(a[pa]!, b[pb]!);
      return;
    default:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = Math.trunc(a[pa]! / b[pb]!) | 0;
  }
}

function int64Row(
  code: number,
  out: BigInt64Array,
  o: number,
  a: BigInt64Array,
  pa: number,
  sa: number,
  b: BigInt64Array,
  pb: number,
  sb: number,
  n: number,
): void {
  const end = o + n;
  // BigInt64Array stores wrap to 64 bits (BigInt.asIntN), as C int64 arithmetic does; bigint `/` truncates.
  switch (code) {
    case 0:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! + b[pb]!;
      return;
    case 1:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! - b[pb]!;
      return;
    case 2:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! * b[pb]!;
      return;
    default:
      for (; o < end; o++, pa += sa, pb += sb) out[o] = a[pa]! / b[pb]!;
  }
}
