import { DTypeError } from './errors.js';

/** Element types. float16 is stored as raw IEEE 754 half bits in a Uint16Array; bool as 0/1 bytes. */
export type DType = 'float32' | 'float16' | 'int32' | 'int64' | 'uint8' | 'bool';

export interface DTypeStorage {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type TypedArrayFor<D extends DType> = DTypeStorage[D];
export type AnyTypedArray = DTypeStorage[DType];

export const DTYPES: readonly DType[] = Object.freeze(['float32', 'float16', 'int32', 'int64', 'uint8', 'bool']);

/** Bytes per element. */
export const DTYPE_BYTES: Readonly<Record<DType, number>> = Object.freeze({
  float32: 4,
  float16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  bool: 1,
});

const CONSTRUCTORS = {
  float32: Float32Array,
  float16: Uint16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function assertDType(value: unknown, argName: string): asserts value is DType {
  if (!isDType(value)) {
    throw new DTypeError(`${argName}: expected one of ${DTYPES.join(', ')}, got ${JSON.stringify(value)}`);
  }
}

/** Allocates a zero-filled typed array for `size` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return new CONSTRUCTORS[dtype](size) as TypedArrayFor<D>;
}

/** A view of `byteLength` bytes of `buffer` at `byteOffset` as `dtype` (zero-copy; the offset must be aligned). */
export function viewOf<D extends DType>(
  dtype: D,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): TypedArrayFor<D> {
  return new CONSTRUCTORS[dtype](buffer as ArrayBuffer, byteOffset, length) as TypedArrayFor<D>;
}

/** Which dtype a typed array holds natively (Uint16Array is taken as float16, Uint8Array as uint8). */
export function dtypeOfArray(data: AnyTypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Uint16Array) return 'float16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  throw new DTypeError(`data: expected a Float32Array, Uint16Array, Int32Array, BigInt64Array or Uint8Array`);
}

/** Whether `data` is the storage type of `dtype`. */
export function storageMatches(dtype: DType, data: unknown): boolean {
  return data instanceof CONSTRUCTORS[dtype];
}

export const isFloatDType = (dtype: DType): dtype is 'float32' | 'float16' =>
  dtype === 'float32' || dtype === 'float16';
export const isIntDType = (dtype: DType): boolean => dtype === 'int32' || dtype === 'int64' || dtype === 'uint8';
