/** striate Tensors to and from ONNX TensorProtos (raw little-endian data on export; every storage form on import). */
import { DataError, type DType, describeValue, Tensor } from '@striate/core';
import type { onnx as O } from 'onnx-proto';
import { type Int64Like, ONNX_DTYPE, toBig, toNum } from './proto.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** striate dtype -> ONNX elem_type. */
export const ONNX_OF_DTYPE: Readonly<Record<DType, number>> = {
  float32: ONNX_DTYPE.FLOAT,
  float16: ONNX_DTYPE.FLOAT16,
  int32: ONNX_DTYPE.INT32,
  int64: ONNX_DTYPE.INT64,
  uint8: ONNX_DTYPE.UINT8,
  bool: ONNX_DTYPE.BOOL,
};

/** ONNX elem_type -> striate dtype (double is read as float32, the only float activation type of the IR). */
export function dtypeOfOnnx(elemType: number, where: string): DType {
  switch (elemType) {
    case ONNX_DTYPE.FLOAT:
    case ONNX_DTYPE.DOUBLE:
      return 'float32';
    case ONNX_DTYPE.FLOAT16:
      return 'float16';
    case ONNX_DTYPE.INT32:
    case ONNX_DTYPE.INT8:
    case ONNX_DTYPE.INT16:
    case ONNX_DTYPE.UINT16:
      return 'int32';
    case ONNX_DTYPE.INT64:
    case ONNX_DTYPE.UINT32:
    case ONNX_DTYPE.UINT64:
      return 'int64';
    case ONNX_DTYPE.UINT8:
      return 'uint8';
    case ONNX_DTYPE.BOOL:
      return 'bool';
    default:
      throw new DataError(`${where}: ONNX element type ${elemType} is not supported (expected float, int or bool)`);
  }
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const width = (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j]!;
  return out;
}

/** A TensorProto holding `t` as raw little-endian bytes (a view of the tensor's data, no copy, on LE hosts). */
export function tensorToProto(name: string, t: Tensor): O.ITensorProto {
  return { name, dims: [...t.shape], dataType: ONNX_OF_DTYPE[t.dtype], rawData: bytesOf(t.data) };
}

/** Copies `n` elements of `width` bytes from raw (possibly unaligned) little-endian bytes into `out`. */
function fromRaw<T extends ArrayBufferView>(raw: Uint8Array, out: T, width: number): T {
  const dst = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  if (LITTLE_ENDIAN) dst.set(raw.subarray(0, dst.length));
  else for (let i = 0; i < dst.length; i += width) for (let j = 0; j < width; j++) dst[i + j] = raw[i + width - 1 - j]!;
  return out;
}

function numbers(list: readonly Int64Like[] | readonly number[] | null | undefined): number[] {
  return (list ?? []).map((v) => toNum(v as Int64Like));
}

/** Reads a TensorProto (raw_data or typed fields) into a Tensor; `where` names it in errors. */
export function tensorFromProto(p: O.ITensorProto, where: string): Tensor {
  if (p.dataLocation === 1 || (p.externalData && p.externalData.length > 0)) {
    throw new DataError(`${where}: tensor ${describeValue(p.name)} uses external data, which is not supported`);
  }
  const shape = numbers(p.dims as Int64Like[]);
  if (shape.some((d) => !Number.isInteger(d) || d < 0 || d > 2 ** 31)) {
    throw new DataError(`${where}: tensor ${describeValue(p.name)} has invalid dims ${describeValue(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const elemType = p.dataType ?? 0;
  const dtype = dtypeOfOnnx(elemType, `${where}: tensor ${describeValue(p.name)}`);
  const raw = p.rawData && p.rawData.length > 0 ? p.rawData : null;
  const srcWidth: Record<number, number> = {
    1: 4,
    2: 1,
    3: 1,
    4: 2,
    5: 2,
    6: 4,
    7: 8,
    9: 1,
    10: 2,
    11: 8,
    12: 4,
    13: 8,
  };
  const width = srcWidth[elemType] ?? 0;
  const check = (n: number, what: string): void => {
    if (n !== size) {
      throw new DataError(
        `${where}: tensor ${describeValue(p.name)} of shape [${shape.join(', ')}] needs ${size} values, ` +
          `got ${n} in ${what}`,
      );
    }
  };
  if (raw) {
    check(raw.length / width, 'raw_data');
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    switch (elemType) {
      case ONNX_DTYPE.FLOAT:
        return new Tensor('float32', shape, fromRaw(raw, new Float32Array(size), 4));
      case ONNX_DTYPE.DOUBLE:
        return new Tensor(
          'float32',
          shape,
          Float32Array.from({ length: size }, (_, i) => dv.getFloat64(i * 8, true)),
        );
      case ONNX_DTYPE.FLOAT16:
        return new Tensor('float16', shape, fromRaw(raw, new Uint16Array(size), 2));
      case ONNX_DTYPE.INT64:
      case ONNX_DTYPE.UINT64:
        return new Tensor('int64', shape, fromRaw(raw, new BigInt64Array(size), 8));
      case ONNX_DTYPE.UINT32:
        return new Tensor(
          'int64',
          shape,
          BigInt64Array.from({ length: size }, (_, i) => BigInt(dv.getUint32(i * 4, true))),
        );
      case ONNX_DTYPE.INT32:
        return new Tensor('int32', shape, fromRaw(raw, new Int32Array(size), 4));
      case ONNX_DTYPE.INT16:
        return new Tensor(
          'int32',
          shape,
          Int32Array.from({ length: size }, (_, i) => dv.getInt16(i * 2, true)),
        );
      case ONNX_DTYPE.UINT16:
        return new Tensor(
          'int32',
          shape,
          Int32Array.from({ length: size }, (_, i) => dv.getUint16(i * 2, true)),
        );
      case ONNX_DTYPE.INT8:
        return new Tensor(
          'int32',
          shape,
          Int32Array.from({ length: size }, (_, i) => dv.getInt8(i)),
        );
      case ONNX_DTYPE.UINT8:
        return new Tensor('uint8', shape, raw.slice(0, size));
      default:
        return new Tensor(
          'bool',
          shape,
          Uint8Array.from(raw.subarray(0, size), (b) => (b !== 0 ? 1 : 0)),
        );
    }
  }
  switch (dtype) {
    case 'float32': {
      const values = elemType === ONNX_DTYPE.DOUBLE ? (p.doubleData ?? []) : (p.floatData ?? []);
      check(values.length, elemType === ONNX_DTYPE.DOUBLE ? 'double_data' : 'float_data');
      return new Tensor('float32', shape, Float32Array.from(values));
    }
    case 'int64': {
      const values = elemType === ONNX_DTYPE.UINT32 ? (p.uint64Data ?? []) : (p.int64Data ?? []);
      const list = values.length > 0 ? values : (p.uint64Data ?? []);
      check(list.length, 'int64_data');
      return new Tensor('int64', shape, BigInt64Array.from(list as Int64Like[], toBig));
    }
    case 'float16': {
      const values = p.int32Data ?? [];
      check(values.length, 'int32_data');
      return new Tensor('float16', shape, Uint16Array.from(values));
    }
    case 'int32': {
      const values = p.int32Data ?? [];
      check(values.length, 'int32_data');
      return new Tensor('int32', shape, Int32Array.from(values));
    }
    default: {
      const values = p.int32Data ?? [];
      check(values.length, 'int32_data');
      return new Tensor(
        dtype,
        shape,
        Uint8Array.from(values, (v) => (dtype === 'bool' ? (v !== 0 ? 1 : 0) : v)),
      );
    }
  }
}

/** A float32 scalar tensor. */
export const scalarF32 = (v: number): Tensor<'float32'> => new Tensor('float32', [], Float32Array.of(v));

/** A 1-D int64 tensor. */
export const int64Tensor = (values: readonly number[]): Tensor<'int64'> =>
  new Tensor(
    'int64',
    [values.length],
    BigInt64Array.from(values, (v) => BigInt(v)),
  );
