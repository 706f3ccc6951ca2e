import { DTYPE_BYTES, type DType, type TypedArrayFor, viewOf } from './dtype.js';
import { DataError, describeValue } from './errors.js';
import { bfloat16ToFloat32Array } from './float16.js';
import {
  isSafetensorsDType,
  SAFETENSORS_DTYPE_BYTES,
  SAFETENSORS_DTYPES,
  SAFETENSORS_MAX_HEADER_BYTES,
  SAFETENSORS_METADATA_KEY,
  SAFETENSORS_TO_DTYPE,
  type SafetensorsDType,
  type SafetensorsFile,
  UNSUPPORTED_SAFETENSORS_DTYPES,
} from './safetensors.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

export interface ReadSafetensorsOptions {
  /**
   * Copy every tensor's data out of `bytes` (default false: tensors whose data is aligned for their element type are
   * zero-copy views of `bytes`, so writing to `bytes` later changes them).
   */
  copy?: boolean;
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/** Where a name is in the file, for error messages (best effort: the header start when it cannot be found). */
type Locate = (name: string) => number;

const PREFIX = 'readSafetensors';

/**
 * Reads a safetensors file. Tensors come in the order of their data in the file. F32, F16, I64, I32, U8 and BOOL keep
 * their type (float16 as raw half bits); BF16 is decoded exactly to float32 (`SafetensorsFile.dtypes` still says
 * 'BF16'). Tensor data are zero-copy views of `bytes` where the data is aligned for the element type (always the
 * case for files whose tensors are ordered by decreasing element size, when `bytes` starts on an 8-byte boundary)
 * and copies otherwise; pass `{ copy: true }` to always copy. Assumes a little-endian host, as every JS engine is in
 * practice.
 *
 * The file is checked as strictly as the Hugging Face reader: the header must be a JSON object starting with `{`, at
 * most 100 MB; the tensors' `data_offsets` must tile the data section exactly (no overlap, no hole, no trailing
 * bytes); each tensor's byte size must be `product(shape) * dtype size`. In addition BOOL bytes must be 0 or 1 and
 * names must not be empty. Anything else raises a `DataError` that names the tensor and the byte offset.
 */
export function readSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  options: ReadSafetensorsOptions = {},
): SafetensorsFile {
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${PREFIX}: bytes: expected a Uint8Array or an ArrayBuffer, got ${describeValue(bytes)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${PREFIX}: options: expected an object, got ${describeValue(options)}`);
  }
  const copy = options.copy ?? false;
  if (typeof copy !== 'boolean') {
    throw new TypeError(`${PREFIX}: options.copy: expected a boolean, got ${describeValue(copy)}`);
  }

  const headerLength = readHeaderLength(bytes);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const headerBytes = bytes.subarray(8, dataStart);
  const header = parseHeader(headerBytes);
  const locate: Locate = (name) => 8 + Math.max(0, findKey(headerBytes, name));

  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === SAFETENSORS_METADATA_KEY) metadata = parseMetadata(value, locate);
    else entries.push(parseEntry(name, value, locate, dataStart, dataLength));
  }
  checkCoverage(entries, locate, dataStart, dataLength);

  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafetensorsDType>();
  for (const e of entries) {
    tensors.set(e.name, makeTensor(bytes, e, dataStart, copy));
    dtypes.set(e.name, e.dtype);
  }
  return { tensors, dtypes, metadata };
}

function readHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < 8) {
    throw new DataError(
      `${PREFIX}: file too short: expected at least 8 bytes (the header length at byte 0), got ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + low;
  if (n > SAFETENSORS_MAX_HEADER_BYTES) {
    const shown = high >= 2 ** 21 ? `${(BigInt(high) << 32n) | BigInt(low)}` : `${n}`;
    throw new DataError(
      `${PREFIX}: header length at byte 0: expected at most ${SAFETENSORS_MAX_HEADER_BYTES} bytes, got ${shown}`,
    );
  }
  if (n > bytes.length - 8) {
    throw new DataError(
      `${PREFIX}: header length at byte 0: ${n} bytes from byte 8 runs past the end of the file ` +
        `(${bytes.length} bytes, so at most ${bytes.length - 8}); the file is truncated or not safetensors`,
    );
  }
  return n;
}

function parseHeader(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch (cause) {
    throw new DataError(`${PREFIX}: header (bytes 8..${8 + headerBytes.length}): not valid UTF-8`, { cause });
  }
  if (!text.startsWith('{')) {
    throw new DataError(
      `${PREFIX}: header at byte 8: expected a JSON object starting with "{", got ${describeValue(text.slice(0, 16))}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataError(`${PREFIX}: header (bytes 8..${8 + headerBytes.length}): not valid JSON: ${reason}`, {
      cause,
    });
  }
  if (!isPlainObject(value)) {
    throw new DataError(`${PREFIX}: header at byte 8: expected a JSON object, got ${describeJson(value)}`);
  }
  return value;
}

function parseMetadata(value: unknown, locate: Locate): Record<string, string> {
  if (value === null) return {};
  const at = locate(SAFETENSORS_METADATA_KEY);
  if (!isPlainObject(value)) {
    throw new DataError(
      `${PREFIX}: ${SAFETENSORS_METADATA_KEY} (header byte ${at}): expected an object of strings, ` +
        `got ${describeJson(value)}`,
    );
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new DataError(
        `${PREFIX}: ${SAFETENSORS_METADATA_KEY}[${JSON.stringify(key)}] (header byte ${at}): expected a string, ` +
          `got ${describeJson(v)}`,
      );
    }
  }
  // Object.fromEntries defines properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

function parseEntry(name: string, value: unknown, locate: Locate, dataStart: number, dataLength: number): Entry {
  const fail = (message: string): never => {
    throw new DataError(`${PREFIX}: tensor ${JSON.stringify(name)} (header byte ${locate(name)}): ${message}`);
  };
  if (name === '') fail('expected a non-empty tensor name');
  if (!isPlainObject(value)) {
    return fail(`expected an object { dtype, shape, data_offsets }, got ${describeJson(value)}`);
  }

  const dtype = value.dtype;
  if (!isSafetensorsDType(dtype)) {
    const known = typeof dtype === 'string' && UNSUPPORTED_SAFETENSORS_DTYPES.includes(dtype);
    fail(
      `dtype: expected one of ${SAFETENSORS_DTYPES.join(', ')}, got ${describeJson(dtype)}` +
        (known ? ' (a safetensors dtype that striate does not read)' : ''),
    );
  }
  const st = dtype as SafetensorsDType;

  const shape = value.shape;
  if (!Array.isArray(shape)) {
    return fail(`shape: expected an array of non-negative integers, got ${describeJson(shape)}`);
  }
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      fail(`shape[${i}]: expected a non-negative integer, got ${describeJson(d)}`);
    }
    size *= d as number;
  }
  const byteSize = size * SAFETENSORS_DTYPE_BYTES[st];
  if (!Number.isSafeInteger(byteSize)) fail(`shape ${formatShape(shape as number[])} is too large (${size} elements)`);

  const offsets = value.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  ) {
    return fail(`data_offsets: expected two non-negative integers [begin, end], got ${describeJson(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`data_offsets: expected begin <= end, got [${begin}, ${end}]`);
  if (end > dataLength) {
    fail(
      `data_offsets [${begin}, ${end}] (file bytes ${dataStart + begin}..${dataStart + end}) run past the data ` +
        `section (${dataLength} bytes from byte ${dataStart}); the file is truncated or the offsets are wrong`,
    );
  }
  if (end - begin !== byteSize) {
    fail(
      `data_offsets [${begin}, ${end}] (file byte ${dataStart + begin}) hold ${end - begin} bytes, but ${st} ` +
        `shape ${formatShape(shape as number[])} needs ${size} x ${SAFETENSORS_DTYPE_BYTES[st]} = ${byteSize} bytes`,
    );
  }
  return { name, dtype: st, shape: shape as number[], begin, end };
}

/** Sorts `entries` by their data and checks that they tile the data section exactly, as the Hugging Face reader. */
function checkCoverage(entries: Entry[], locate: Locate, dataStart: number, dataLength: number): void {
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    const where = (): string => `${PREFIX}: tensor ${JSON.stringify(e.name)} (header byte ${locate(e.name)})`;
    const span = `data_offsets [${e.begin}, ${e.end}] (file bytes ${dataStart + e.begin}..${dataStart + e.end})`;
    if (e.begin < covered) {
      throw new DataError(
        `${where()}: ${span} overlap tensor ${JSON.stringify(previous?.name)}, which ends at data offset ${covered} ` +
          `(file byte ${dataStart + covered})`,
      );
    }
    if (e.begin > covered) {
      throw new DataError(
        `${where()}: ${span} leave a hole of ${e.begin - covered} bytes at data offset ${covered} ` +
          `(file byte ${dataStart + covered}); tensors must cover the data section contiguously`,
      );
    }
    covered = e.end;
    previous = e;
  }
  if (covered !== dataLength) {
    throw new DataError(
      `${PREFIX}: data section (${dataLength} bytes from file byte ${dataStart}): ` +
        `the tensors cover ${covered} bytes, ` +
        `leaving ${dataLength - covered} unused bytes at file byte ${dataStart + covered}`,
    );
  }
}

function makeTensor(bytes: Uint8Array, e: Entry, dataStart: number, copy: boolean): Tensor {
  const dtype: DType = SAFETENSORS_TO_DTYPE[e.dtype];
  const elementBytes = SAFETENSORS_DTYPE_BYTES[e.dtype];
  const from = dataStart + e.begin;
  const count = (e.end - e.begin) / elementBytes;
  const storage: DType = e.dtype === 'BF16' ? 'float16' : dtype; // BF16 bits are read as a Uint16Array
  const absolute = bytes.byteOffset + from;
  const aligned = absolute % DTYPE_BYTES[storage] === 0;
  let raw: TypedArrayFor<DType>;
  if (aligned && (!copy || e.dtype === 'BF16')) {
    raw = viewOf(storage, bytes.buffer, absolute, count);
  } else {
    // A fresh buffer (not bytes.slice: a Node Buffer's slice is a view, which would stay misaligned).
    const own = new Uint8Array(count * elementBytes);
    own.set(bytes.subarray(from, from + own.length));
    raw = viewOf(storage, own.buffer, 0, count);
  }
  if (e.dtype === 'BF16') return new Tensor('float32', e.shape, bfloat16ToFloat32Array(raw as Uint16Array));
  if (e.dtype === 'BOOL') {
    const values = raw as Uint8Array;
    for (let i = 0; i < values.length; i++) {
      if (values[i]! > 1) {
        throw new DataError(
          `${PREFIX}: tensor ${JSON.stringify(e.name)}: BOOL element ${i} (file byte ${from + i}) is ` +
            `${values[i]}; expected 0 or 1`,
        );
      }
    }
  }
  return new Tensor(dtype, e.shape, raw as TypedArrayFor<DType>);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const encoder = new TextEncoder();
const isJsonSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** Index in `header` of `"name"` used as a key (followed by optional whitespace and a colon), or -1. */
function findKey(header: Uint8Array, name: string): number {
  const needle = encoder.encode(JSON.stringify(name));
  const last = header.length - needle.length;
  outer: for (let i = header.indexOf(needle[0]!); i !== -1 && i <= last; i = header.indexOf(needle[0]!, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (header[i + j] !== needle[j]) continue outer;
    let k = i + needle.length;
    while (isJsonSpace(header[k])) k++;
    if (header[k] === 0x3a) return i;
  }
  return -1;
}
