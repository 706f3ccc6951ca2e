/**
 * The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian u64 `N`, then `N` bytes
 * of UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { key: value } }`, then the
 * data section. `data_offsets` are relative to the start of the data section (byte `8 + N` of the file). Shared
 * definitions of the reader (`safetensors-read.ts`) and the writer (`safetensors-write.ts`).
 */
import type { DType } from './dtype.js';
import type { Tensor } from './tensor.js';

/** The safetensors dtypes striate reads and writes. */
export type SafetensorsDType = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8' | 'BOOL';

export const SAFETENSORS_DTYPES: readonly SafetensorsDType[] = Object.freeze([
  'F32',
  'F16',
  'BF16',
  'I64',
  'I32',
  'U8',
  'BOOL',
]);

/** Bytes per element of each safetensors dtype. */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = Object.freeze({
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  U8: 1,
  BOOL: 1,
});

/** The Tensor dtype each safetensors dtype is read as (BF16 is decoded, exactly, to float32). */
export const SAFETENSORS_TO_DTYPE: Readonly<Record<SafetensorsDType, DType>> = Object.freeze({
  F32: 'float32',
  F16: 'float16',
  BF16: 'float32',
  I64: 'int64',
  I32: 'int32',
  U8: 'uint8',
  BOOL: 'bool',
});

/** The safetensors dtype each Tensor dtype is written as (float32 may be written as BF16 on request). */
export const DTYPE_TO_SAFETENSORS: Readonly<Record<DType, SafetensorsDType>> = Object.freeze({
  float32: 'F32',
  float16: 'F16',
  int64: 'I64',
  int32: 'I32',
  uint8: 'U8',
  bool: 'BOOL',
});

/** Dtypes the format defines that striate does not read (named in the error so the cause is clear). */
export const UNSUPPORTED_SAFETENSORS_DTYPES: readonly string[] = Object.freeze([
  'F64',
  'I8',
  'I16',
  'U16',
  'U32',
  'U64',
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
  'C64',
]);

/** Largest header accepted, as the Rust/Hugging Face reader (100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** The name reserved for the file's string-to-string metadata. */
export const SAFETENSORS_METADATA_KEY = '__metadata__';

export function isSafetensorsDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && (SAFETENSORS_DTYPES as readonly string[]).includes(value);
}

/** What `readSafetensors` returns. */
export interface SafetensorsFile {
  /** The tensors in the order of their data in the file (by `data_offsets`). */
  readonly tensors: Map<string, Tensor>;
  /** The dtype each tensor had in the file (BF16 tensors are float32 in `tensors`). Same order as `tensors`. */
  readonly dtypes: Map<string, SafetensorsDType>;
  /** The `__metadata__` map (empty when the file has none). */
  readonly metadata: Record<string, string>;
}
