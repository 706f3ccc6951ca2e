/**
 * The ONNX protobuf messages, from the maintained `onnx-proto` package (protobufjs code generated from onnx.proto).
 * It is a CommonJS module, so it is imported whole and its namespace taken from there.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_DTYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType codes. */
export const ATTR_TYPE = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** A protobufjs int64 field: a number or a Long-like object. */
export type Int64Like = number | { toNumber(): number; toString(): string } | null | undefined;

/** An int64 field as a number (values beyond 2^53 lose precision, as in every JS reader of ONNX attributes). */
export function toNum(v: Int64Like): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** An int64 field as a bigint (exact). */
export function toBig(v: Int64Like): bigint {
  if (v === null || v === undefined) return 0n;
  return typeof v === 'number' ? BigInt(v) : BigInt(v.toString());
}
