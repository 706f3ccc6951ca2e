import { type DType, DTypeError, describeValue, Tensor } from '@striate/core';
import type { OrtRuntime, OrtTensor } from './ort-runtime.js';

const FROM_ORT: Readonly<Record<string, DType>> = Object.freeze({
  float32: 'float32',
  float16: 'float16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  bool: 'bool',
});

/** A striate Tensor as an ORT tensor over the same typed array (no copy). */
export function toOrtTensor(runtime: OrtRuntime, t: Tensor, argName: string): OrtTensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${argName}: expected a Tensor, got ${describeValue(t)}`);
  // striate's dtype names are ORT's; float16 is raw half bits in a Uint16Array, which ORT accepts as float16 data.
  return new runtime.Tensor(t.dtype, t.data, t.shape);
}

/** An ORT CPU tensor as a striate Tensor over the same typed array (no copy). */
export function fromOrtTensor(t: OrtTensor, name: string): Tensor {
  const dtype = FROM_ORT[t.type];
  if (dtype === undefined) {
    throw new DTypeError(
      `output ${JSON.stringify(name)}: onnxruntime returned a ${t.type} tensor; striate tensors hold ` +
        `${Object.keys(FROM_ORT).join(', ')}`,
    );
  }
  if (t.location !== 'cpu' && t.location !== 'cpu-pinned') {
    throw new TypeError(`output ${JSON.stringify(name)}: expected a CPU tensor, got location ${t.location}`);
  }
  let data = t.data as ArrayBufferView & { length: number };
  // With a native Float16Array, ORT hands float16 out as one; striate keeps raw half bits in a Uint16Array.
  if (dtype === 'float16' && !(data instanceof Uint16Array)) {
    data = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  }
  return new Tensor(
    dtype,
    t.dims.map((d) => Number(d)),
    data as never,
  );
}
