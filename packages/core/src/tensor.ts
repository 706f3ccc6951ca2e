import {
  type AnyTypedArray,
  allocate,
  assertDType,
  type DType,
  dtypeOfArray,
  storageMatches,
  type TypedArrayFor,
} from './dtype.js';
import { DTypeError, describeValue, ShapeError } from './errors.js';
import { float16ToFloat32Array, float32ToFloat16Array } from './float16.js';
import { assertShape, formatShape, resolveReshape, type Shape, shapeSize, stridesOf } from './shape.js';

/**
 * A dense, row-major tensor over a typed array: plain data, no device state. float16 is stored as raw half bits
 * (Uint16Array), int64 as BigInt64Array, bool as 0/1 bytes. Views (`reshape`, `view`) share the data.
 */
export class Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: Shape;
  readonly data: TypedArrayFor<D>;

  constructor(dtype: D, shape: readonly number[], data: TypedArrayFor<D>) {
    assertDType(dtype, 'dtype');
    assertShape(shape, 'shape');
    if (!storageMatches(dtype, data)) {
      throw new DTypeError(
        `data: a ${dtype} tensor needs a ${allocate(dtype, 0).constructor.name}, got ${describeValue(data)}`,
      );
    }
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ShapeError(`data: shape ${formatShape(shape)} needs ${size} elements, got ${data.length}`);
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** Same data, new shape (one -1 is inferred). Zero-copy. */
  reshape(shape: readonly number[]): Tensor<D> {
    return new Tensor(this.dtype, resolveReshape(this.shape, shape, 'Tensor.reshape'), this.data);
  }

  /** Element at a multi-index, as a number (int64 converted; float16 decoded). */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new RangeError(
        `index: expected ${this.rank} indices for shape ${formatShape(this.shape)}, got ${index.length}`,
      );
    }
    let flat = 0;
    const strides = this.strides;
    for (let i = 0; i < index.length; i++) {
      const k = index[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= this.shape[i]!) {
        throw new RangeError(`index[${i}]: expected an integer in [0, ${this.shape[i]}), got ${k}`);
      }
      flat += k * strides[i]!;
    }
    return toNumberArray(this.dtype, this.data.subarray(flat, flat + 1) as AnyTypedArray)[0]!;
  }

  /** A float32 copy (or this tensor if it already is float32). float16 decodes exactly. */
  toFloat32(): Tensor<'float32'> {
    if (this.dtype === 'float32') return this as unknown as Tensor<'float32'>;
    return new Tensor('float32', this.shape, Float32Array.from(toNumberArray(this.dtype, this.data)));
  }

  /** A copy converted to `dtype` (floats to ints truncate toward zero, as a C cast; to bool: x != 0). */
  cast<T extends DType>(dtype: T): Tensor<T> {
    assertDType(dtype, 'dtype');
    if ((dtype as DType) === this.dtype) return new Tensor(dtype, this.shape, this.data.slice() as TypedArrayFor<T>);
    return new Tensor(dtype, this.shape, fromNumbers(dtype, toNumberArray(this.dtype, this.data)));
  }

  /** The values as plain numbers (flat, row-major). */
  toArray(): number[] {
    return Array.from(toNumberArray(this.dtype, this.data));
  }

  clone(): Tensor<D> {
    return new Tensor(this.dtype, this.shape, this.data.slice() as TypedArrayFor<D>);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

/** Values of typed-array storage as numbers (float16 decoded, int64 converted with Number()). */
export function toNumberArray(dtype: DType, data: AnyTypedArray): ArrayLike<number> {
  if (dtype === 'float16') return float16ToFloat32Array(data as Uint16Array);
  if (dtype === 'int64') return Array.from(data as BigInt64Array, Number);
  return data as ArrayLike<number>;
}

/** Numbers -> storage for `dtype` (float16 rounds to nearest even; ints truncate toward zero). */
export function fromNumbers<D extends DType>(dtype: D, values: ArrayLike<number>): TypedArrayFor<D> {
  const n = values.length;
  switch (dtype) {
    case 'float16':
      return float32ToFloat16Array(values) as TypedArrayFor<D>;
    case 'int64': {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        out[i] = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
      }
      return out as TypedArrayFor<D>;
    }
    case 'bool': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] !== 0 ? 1 : 0; // NaN != 0 is true, as in C, numpy and torch
      return out as TypedArrayFor<D>;
    }
    case 'int32':
    case 'uint8': {
      const out = allocate(dtype, n);
      for (let i = 0; i < n; i++) out[i] = Math.trunc(values[i]!);
      return out;
    }
    default: {
      const out = allocate(dtype, n);
      (out as Float32Array).set(values);
      return out;
    }
  }
}

type Nested = number | boolean | readonly Nested[];

function inferShape(value: Nested, argName: string): number[] {
  const shape: number[] = [];
  let cur: Nested = value;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  void argName;
  return shape;
}

function flatten(value: Nested, shape: readonly number[], depth: number, out: number[], argName: string): void {
  if (depth === shape.length) {
    if (Array.isArray(value)) throw new ShapeError(`${argName}: ragged nested array (too deep at depth ${depth})`);
    const v = typeof value === 'boolean' ? Number(value) : value;
    if (typeof v !== 'number') throw new TypeError(`${argName}: expected numbers, got ${describeValue(value)}`);
    out.push(v);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new ShapeError(
      `${argName}: ragged nested array: expected ${shape[depth]} items at depth ${depth}, got ${describeValue(value)}`,
    );
  }
  for (const item of value) flatten(item, shape, depth + 1, out, argName);
}

/**
 * Creates a tensor.
 * - `tensor(typedArray, shape?)`: wraps the array without copying; dtype from the array (Uint16Array = float16)
 *   unless given (`'bool'` for a Uint8Array of 0/1).
 * - `tensor(nestedArrays, shape?, dtype = 'float32')`: copies; the shape is inferred from the nesting.
 */
export function tensor<D extends DType = 'float32'>(
  data: AnyTypedArray | Nested,
  shape?: readonly number[],
  dtype?: D,
): Tensor<D> {
  if (ArrayBuffer.isView(data)) {
    const arr = data as AnyTypedArray;
    const dt = (dtype ?? dtypeOfArray(arr)) as D;
    return new Tensor(dt, shape ?? [arr.length], arr as TypedArrayFor<D>);
  }
  if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
    throw new TypeError(
      `data: expected a typed array, a number or nested arrays of numbers, got ${describeValue(data)}`,
    );
  }
  const inferred = inferShape(data, 'data');
  const flat: number[] = [];
  flatten(data, inferred, 0, flat, 'data');
  const dt = (dtype ?? 'float32') as D;
  assertDType(dt, 'dtype');
  const values = fromNumbers(dt, flat);
  return new Tensor(dt, shape ?? inferred, values);
}

/** A zero-filled tensor. */
export function zeros<D extends DType = 'float32'>(shape: readonly number[], dtype?: D): Tensor<D> {
  assertShape(shape, 'shape');
  const dt = (dtype ?? 'float32') as D;
  assertDType(dt, 'dtype');
  return new Tensor(dt, shape, allocate(dt, shapeSize(shape)));
}

/** A tensor filled with `value`. */
export function full<D extends DType = 'float32'>(shape: readonly number[], value: number, dtype?: D): Tensor<D> {
  const t = zeros(shape, dtype);
  const filled = fromNumbers(t.dtype, [value]);
  (t.data as { fill(v: unknown): unknown }).fill(filled[0]);
  return t;
}
