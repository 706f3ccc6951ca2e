import { DTypeError, describeValue } from './errors.js';
import { float32ToBfloat16Array } from './float16.js';
import {
  DTYPE_TO_SAFETENSORS,
  SAFETENSORS_DTYPE_BYTES,
  SAFETENSORS_METADATA_KEY,
  type SafetensorsDType,
} from './safetensors.js';
import { Tensor } from './tensor.js';

export interface WriteSafetensorsOptions {
  /**
   * Write float32 tensors as BF16 (rounded to nearest even, NaN kept): `true` for every float32 tensor, or the names
   * of the tensors to convert (each must exist and be float32). Default: none.
   */
  bfloat16?: boolean | readonly string[];
}

interface Planned {
  name: string;
  tensor: Tensor;
  dtype: SafetensorsDType;
  begin: number;
  end: number;
}

const PREFIX = 'writeSafetensors';

/**
 * Writes tensors (a Map or a plain object: names must be non-empty and not `__metadata__`) and optional
 * string-to-string metadata as a safetensors file, as the Rust/Hugging Face writer lays it out: compact JSON header
 * (`__metadata__` first, then the tensors) padded with spaces to a multiple of 8 bytes, then the tensors' data
 * contiguously in insertion order. float16 is written as F16 bits unchanged, int64 as I64, bool as BOOL (0/1 bytes),
 * float32 as F32 or, when asked through `options.bfloat16`, as BF16. Tensors are not reordered, so a tensor that
 * follows one of an odd byte size is not aligned in the file; readers then copy it (to read every tensor zero-copy,
 * put larger element types first).
 */
export function writeSafetensors(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  metadata?: Record<string, string>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const list = tensorEntries(tensors);
  const metadataEntries = metadataOf(metadata);
  const bf16 = bfloat16Names(options, list);

  const planned: Planned[] = [];
  let offset = 0;
  for (const [name, tensor] of list) {
    const dtype: SafetensorsDType = bf16.has(name) ? 'BF16' : DTYPE_TO_SAFETENSORS[tensor.dtype];
    const byteSize = tensor.size * SAFETENSORS_DTYPE_BYTES[dtype];
    planned.push({ name, tensor, dtype, begin: offset, end: offset + byteSize });
    offset += byteSize;
  }

  const parts: string[] = [];
  if (metadataEntries) {
    const fields = metadataEntries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`${JSON.stringify(SAFETENSORS_METADATA_KEY)}:{${fields.join(',')}}`);
  }
  for (const p of planned) {
    parts.push(
      `${JSON.stringify(p.name)}:{"dtype":"${p.dtype}","shape":${JSON.stringify(p.tensor.shape)},` +
        `"data_offsets":[${p.begin},${p.end}]}`,
    );
  }
  // Built as text, not with JSON.stringify of an object, so integer-like names keep their place.
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const dataStart = 8 + headerLength;

  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, dataStart);
  for (const p of planned) out.set(dataBytes(p), dataStart + p.begin);
  return out;
}

function tensorEntries(tensors: unknown): [string, Tensor][] {
  let list: [unknown, unknown][];
  if (tensors instanceof Map) list = [...tensors.entries()];
  else if (typeof tensors === 'object' && tensors !== null && !Array.isArray(tensors) && !(tensors instanceof Tensor)) {
    list = Object.entries(tensors);
  } else {
    throw new TypeError(
      `${PREFIX}: tensors: expected a Map or a plain object of name -> Tensor, got ${describeValue(tensors)}`,
    );
  }
  for (const [name, tensor] of list) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`${PREFIX}: tensors: expected non-empty string names, got ${describeValue(name)}`);
    }
    if (name === SAFETENSORS_METADATA_KEY) {
      throw new TypeError(
        `${PREFIX}: tensors: the name ${JSON.stringify(name)} is reserved for metadata; ` +
          'pass metadata as the second argument',
      );
    }
    if (!(tensor instanceof Tensor)) {
      throw new TypeError(
        `${PREFIX}: tensors[${JSON.stringify(name)}]: expected a Tensor, got ${describeValue(tensor)}`,
      );
    }
  }
  return list as [string, Tensor][];
}

function metadataOf(metadata: unknown): [string, string][] | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || metadata instanceof Map) {
    throw new TypeError(
      `${PREFIX}: metadata: expected a plain object of string -> string, got ${describeValue(metadata)}`,
    );
  }
  const entries = Object.entries(metadata);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new TypeError(
        `${PREFIX}: metadata[${JSON.stringify(key)}]: expected a string, got ${describeValue(value)}`,
      );
    }
  }
  return entries as [string, string][];
}

function bfloat16Names(options: WriteSafetensorsOptions, list: [string, Tensor][]): Set<string> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${PREFIX}: options: expected an object, got ${describeValue(options)}`);
  }
  const bf = options.bfloat16 ?? false;
  if (bf === true) return new Set(list.filter(([, t]) => t.dtype === 'float32').map(([name]) => name));
  if (bf === false) return new Set();
  if (!Array.isArray(bf)) {
    throw new TypeError(
      `${PREFIX}: options.bfloat16: expected a boolean or an array of tensor names, got ${describeValue(bf)}`,
    );
  }
  const byName = new Map(list);
  for (const name of bf) {
    const t = byName.get(name);
    if (t === undefined) {
      throw new RangeError(`${PREFIX}: options.bfloat16: no tensor named ${describeValue(name)} to write as BF16`);
    }
    if (t.dtype !== 'float32') {
      throw new DTypeError(
        `${PREFIX}: options.bfloat16: tensor ${JSON.stringify(name)} must be float32 to be written as BF16, ` +
          `got ${t.dtype}`,
      );
    }
  }
  return new Set(bf as readonly string[]);
}

function dataBytes(p: Planned): Uint8Array {
  const data = p.tensor.data;
  if (p.dtype === 'BF16') {
    const bits = float32ToBfloat16Array(data as Float32Array);
    return new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (p.dtype === 'BOOL' && bytes.some((b) => b > 1)) return bytes.map((b) => (b ? 1 : 0));
  return bytes;
}
