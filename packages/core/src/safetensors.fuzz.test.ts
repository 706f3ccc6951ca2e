/**
 * Seeded mutation fuzzing of readSafetensors: every mutated file must either parse into a consistent result or throw
 * a DataError (never a RangeError from a typed array constructor, a SyntaxError, or anything else).
 */
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { SAFETENSORS_DTYPE_BYTES, SAFETENSORS_TO_DTYPE, type SafetensorsFile } from './safetensors.js';
import { readSafetensors } from './safetensors-read.js';
import { writeSafetensors } from './safetensors-write.js';
import { Tensor, tensor } from './tensor.js';

/** mulberry32: a tiny deterministic PRNG, enough for choosing mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = writeSafetensors(
  new Map<string, Tensor>([
    ['w', tensor(new Float32Array([1, -2, 3.5, 0.25, 8, -0]), [2, 3])],
    ['ids', tensor(new BigInt64Array([1n, -(2n ** 62n)]))],
    ['n', tensor(new Int32Array([7, -7, 0]))],
    ['h', tensor(new Uint16Array([0x3c00, 0x7c00]))],
    ['b', tensor(new Float32Array([0.5, 2]))],
    ['px', tensor(new Uint8Array([0, 255, 9]))],
    ['mask', tensor(new Uint8Array([1, 0]), [2], 'bool')],
    ['empty', tensor(new Float32Array(0), [0, 4])],
  ]),
  { format: 'pt', origin: 'fuzz' },
  { bfloat16: ['b'] },
);
const BASE_HEADER_LENGTH = Number(new DataView(BASE.buffer).getBigUint64(0, true));
const BASE_HEADER: Record<string, unknown> = JSON.parse(
  new TextDecoder().decode(BASE.subarray(8, 8 + BASE_HEADER_LENGTH)),
);
const BASE_DATA = BASE.subarray(8 + BASE_HEADER_LENGTH);

function build(headerText: string, data: Uint8Array, pad: boolean): Uint8Array {
  let json = new TextEncoder().encode(headerText);
  if (pad && json.length % 8 !== 0) {
    const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const bytesOf = (t: Tensor): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** Why a parse result is inconsistent, or undefined when it is consistent. */
function inconsistency(file: SafetensorsFile, bytes: Uint8Array): string | undefined {
  if ([...file.tensors.keys()].join('\0') !== [...file.dtypes.keys()].join('\0')) return 'tensors/dtypes keys differ';
  let dataBytes = 0;
  for (const [name, t] of file.tensors) {
    const st = file.dtypes.get(name)!;
    if (!(t instanceof Tensor)) return `${name}: not a Tensor`;
    if (t.dtype !== SAFETENSORS_TO_DTYPE[st]) return `${name}: dtype ${t.dtype} for ${st}`;
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) return `${name}: data length`;
    if (name === '') return 'empty name';
    dataBytes += t.size * SAFETENSORS_DTYPE_BYTES[st];
  }
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (8 + headerLength + dataBytes !== bytes.length) return 'tensors do not cover the data section';
  for (const v of Object.values(file.metadata)) if (typeof v !== 'string') return 'metadata value not a string';
  // What was read writes and reads back to the same tensors.
  const again = readSafetensors(writeSafetensors(file.tensors, file.metadata));
  if ([...again.tensors.keys()].join('\0') !== [...file.tensors.keys()].join('\0')) return 'rewrite: names differ';
  for (const [name, t] of file.tensors) {
    const r = again.tensors.get(name)!;
    if (r.dtype !== t.dtype || r.shape.join() !== t.shape.join()) return `rewrite: ${name} differs`;
    if (!Buffer.from(bytesOf(r)).equals(Buffer.from(bytesOf(t)))) return `rewrite: ${name} data differ`;
  }
  return undefined;
}

interface Tally {
  parsed: number;
  rejected: number;
  failures: string[];
}

function attempt(tally: Tally, label: string, bytes: Uint8Array): void {
  let file: SafetensorsFile;
  try {
    file = readSafetensors(bytes);
  } catch (e) {
    if (e instanceof DataError) tally.rejected++;
    else tally.failures.push(`${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return;
  }
  tally.parsed++;
  try {
    const why = inconsistency(file, bytes);
    if (why) tally.failures.push(`${label}: inconsistent result: ${why}`);
  } catch (e) {
    tally.failures.push(`${label}: re-writing the result threw ${String(e)}`);
  }
}

const newTally = (): Tally => ({ parsed: 0, rejected: 0, failures: [] });

describe('readSafetensors fuzzing (seeded)', () => {
  it('parses the unmutated base file', () => {
    const tally = newTally();
    attempt(tally, 'base', BASE);
    expect(tally).toEqual({ parsed: 1, rejected: 0, failures: [] });
  });

  it('rejects every truncation with a DataError', () => {
    const tally = newTally();
    for (let n = 0; n < BASE.length; n++) attempt(tally, `truncated to ${n}`, BASE.subarray(0, n));
    expect(tally.failures).toEqual([]);
    expect(tally.rejected).toBe(BASE.length);
  });

  it('survives random byte changes in the header and the data', () => {
    const rand = prng(1);
    const tally = newTally();
    for (let i = 0; i < 3000; i++) {
      const bytes = BASE.slice();
      const inData = i % 10 === 9;
      const flips = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < flips; k++) {
        const at = inData
          ? 8 + BASE_HEADER_LENGTH + Math.floor(rand() * BASE_DATA.length)
          : 8 + Math.floor(rand() * BASE_HEADER_LENGTH);
        bytes[at] = rand() < 0.5 ? Math.floor(rand() * 256) : bytes[at]! ^ (1 << Math.floor(rand() * 8));
      }
      attempt(tally, `byte change #${i}`, bytes);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.parsed).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });

  it('survives random header-length values', () => {
    const rand = prng(2);
    const tally = newTally();
    for (let i = 0; i < 1000; i++) {
      const bytes = BASE.slice();
      const view = new DataView(bytes.buffer);
      const kind = i % 4;
      if (kind === 0)
        view.setBigUint64(0, BigInt(Math.max(0, BASE_HEADER_LENGTH + Math.floor(rand() * 64) - 32)), true);
      else if (kind === 1) view.setBigUint64(0, BigInt(Math.floor(rand() * bytes.length * 2)), true);
      else if (kind === 2) view.setUint32(0, Math.floor(rand() * 2 ** 32), true);
      else view.setUint32(4, Math.floor(rand() * 2 ** 32), true);
      attempt(tally, `header length #${i}`, bytes);
    }
    expect(tally.failures).toEqual([]);
    expect(tally.rejected).toBeGreaterThan(900);
  });

  it('survives random JSON edits', () => {
    const rand = prng(3);
    const tally = newTally();
    for (let i = 0; i < 3000; i++) {
      const header = structuredClone(BASE_HEADER);
      const edits = 1 + Math.floor(rand() * 3);
      let top: unknown = header;
      for (let k = 0; k < edits; k++) top = editHeader(top, rand);
      let data = BASE_DATA;
      const change = rand();
      if (change < 0.1) data = data.subarray(0, Math.floor(rand() * data.length));
      else if (change < 0.2) data = Uint8Array.from([...data, ...new Array(1 + Math.floor(rand() * 9)).fill(1)]);
      attempt(
        tally,
        `JSON edit #${i}: ${JSON.stringify(top).slice(0, 200)}`,
        build(JSON.stringify(top), data, rand() < 0.8),
      );
    }
    expect(tally.failures).toEqual([]);
    expect(tally.parsed).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function randomInt(rand: () => number): number {
  return pick(rand, [0, 1, 2, 3, 4, 8, 12, 16, 24, 64, -1, 2 ** 31, 2 ** 53, 1e300, Math.floor(rand() * 200)]);
}

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (r < 0.25) return randomInt(rand);
  if (r < 0.35) return pick(rand, [0.5, -0, Number.MAX_VALUE]);
  if (r < 0.5) return pick(rand, ['', 'F32', 'BF16', 'F64', 'x', '__metadata__', '\u00e9']);
  if (r < 0.6) return pick(rand, [null, true, false]);
  if (depth > 1) return [];
  if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  return { dtype: randomValue(rand, depth + 1), shape: randomValue(rand, depth + 1) };
}

/** One random edit of a (possibly already edited) header value; returns the new top-level value. */
function editHeader(top: unknown, rand: () => number): unknown {
  if (typeof top !== 'object' || top === null || Array.isArray(top)) return top;
  const header = top as Record<string, unknown>;
  const names = Object.keys(header);
  const name = names.length > 0 ? pick(rand, names) : 'w';
  const entry = header[name];
  const fields =
    typeof entry === 'object' && entry !== null && !Array.isArray(entry)
      ? (entry as Record<string, unknown>)
      : undefined;
  switch (Math.floor(rand() * 12)) {
    case 0:
      if (fields)
        fields.dtype = pick(rand, ['F32', 'F16', 'BF16', 'I64', 'I32', 'U8', 'BOOL', 'F64', 'I8', 'f32', 1, null]);
      break;
    case 1:
      if (fields)
        fields.shape =
          rand() < 0.6 ? Array.from({ length: Math.floor(rand() * 4) }, () => randomInt(rand)) : randomValue(rand);
      break;
    case 2:
      if (fields && Array.isArray(fields.data_offsets)) {
        const j = Math.floor(rand() * 2);
        (fields.data_offsets as unknown[])[j] =
          rand() < 0.7 ? Number(fields.data_offsets[j]) + Math.floor(rand() * 17) - 8 : randomValue(rand);
      }
      break;
    case 3:
      if (fields) fields.data_offsets = randomValue(rand);
      break;
    case 4:
      if (fields) delete fields[pick(rand, ['dtype', 'shape', 'data_offsets'])];
      break;
    case 5:
      header[name] = randomValue(rand);
      break;
    case 6:
      delete header[name];
      break;
    case 7:
      // defineProperty, so that "__proto__" becomes a key rather than the prototype.
      Object.defineProperty(header, pick(rand, ['', 'extra', '0', '__proto__']), {
        value: rand() < 0.5 ? entry : randomValue(rand),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      break;
    case 8:
      header.__metadata__ = rand() < 0.5 ? { a: randomValue(rand), b: 'x' } : randomValue(rand);
      break;
    case 9:
      return rand() < 0.5 ? [header] : randomValue(rand);
    case 10:
      // Reordering the keys keeps the file valid.
      return Object.fromEntries(names.sort(() => rand() - 0.5).map((n) => [n, header[n]]));
    default:
      if (fields) fields[pick(rand, ['extra', 'dtype'])] = randomValue(rand);
  }
  return header;
}
