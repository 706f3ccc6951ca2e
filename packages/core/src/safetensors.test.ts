import { describe, expect, it } from 'vitest';
import { readGoldenBytes } from '../../../test-utils/fixtures.js';
import { DataError, DTypeError } from './errors.js';
import { float32ToBfloat16Array } from './float16.js';
import { readSafetensors } from './safetensors-read.js';
import { writeSafetensors } from './safetensors-write.js';
import { Tensor, tensor } from './tensor.js';

const encoder = new TextEncoder();

/** A file from raw header text (padded with spaces to 8 bytes unless `pad` is false) and data bytes. */
function build(header: string | object, data: ArrayLike<number> = [], pad = true): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  let json = encoder.encode(text);
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

function expectDataError(fn: () => unknown, ...patterns: RegExp[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DataError);
  for (const p of patterns) expect((error as Error).message).toMatch(p);
}

const bytesOf = (t: Tensor): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** Byte equality for large arrays (vitest's deep equality is slow on millions of elements). */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

describe('writeSafetensors / readSafetensors round trip', () => {
  it('keeps every dtype exactly', () => {
    const allHalfBits = new Uint16Array(65536).map((_, i) => i);
    const input = new Map<string, Tensor>([
      ['f32', tensor(new Float32Array([1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 3.4e38, 1e-45]), [2, 3])],
      ['f16', tensor(allHalfBits, [256, 256])],
      ['i64', tensor(new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n), 0n, 9007199254740993n]))],
      ['i32', tensor(new Int32Array([2147483647, -2147483648, 7]))],
      ['u8', tensor(new Uint8Array([0, 255, 128]))],
      ['bool', tensor(new Uint8Array([1, 0, 1, 1]), [2, 2], 'bool')],
      ['scalar', tensor(new Float32Array([42]), [])],
      ['empty', tensor(new Float32Array(0), [0, 3])],
    ]);
    const file = readSafetensors(writeSafetensors(input));
    expect([...file.tensors.keys()]).toEqual([...input.keys()]);
    expect([...file.dtypes.values()]).toEqual(['F32', 'F16', 'I64', 'I32', 'U8', 'BOOL', 'F32', 'F32']);
    for (const [name, t] of input) {
      const back = file.tensors.get(name)!;
      expect(back.dtype, name).toBe(t.dtype);
      expect(back.shape, name).toEqual(t.shape);
      expect(bytesOf(back), name).toEqual(bytesOf(t));
    }
    expect(file.tensors.get('i64')!.data[0]).toBe(2n ** 63n - 1n);
    expect(file.metadata).toEqual({});
  });

  it('writes float32 as BF16 on request and reads it back as float32, decoded exactly', () => {
    const values = new Float32Array([1, -2.5, 3.140625, 1 / 3, Number.NaN, 65504, 1e-40]);
    const bytes = writeSafetensors({ w: tensor(values), keep: tensor(values) }, undefined, { bfloat16: ['w'] });
    const file = readSafetensors(bytes);
    expect(file.dtypes.get('w')).toBe('BF16');
    expect(file.dtypes.get('keep')).toBe('F32');
    const w = file.tensors.get('w')!;
    expect(w.dtype).toBe('float32');
    const bits = float32ToBfloat16Array(values);
    const expected = new Float32Array(new Uint32Array(Array.from(bits, (b) => b << 16)).buffer);
    expect(bytesOf(w)).toEqual(new Uint8Array(expected.buffer));
    expect(w.toArray().slice(0, 3)).toEqual([1, -2.5, 3.140625]);
    expect(Number.isNaN(w.data[4])).toBe(true);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(bytes.length - 8 - headerLength).toBe(7 * 2 + 7 * 4);
    expect(file.tensors.get('keep')!.data).toEqual(values);

    const all = readSafetensors(
      writeSafetensors({ a: tensor(values), b: tensor(new Int32Array([1])) }, undefined, { bfloat16: true }),
    );
    expect([...all.dtypes.values()]).toEqual(['BF16', 'I32']);
  });

  it('rejects bad bfloat16 options', () => {
    const t = { w: tensor(new Float32Array([1])), h: tensor(new Uint16Array([1])) };
    expect(() => writeSafetensors(t, undefined, { bfloat16: ['nope'] })).toThrow(RangeError);
    expect(() => writeSafetensors(t, undefined, { bfloat16: ['h'] })).toThrow(DTypeError);
    expect(() => writeSafetensors(t, undefined, { bfloat16: 'w' as never })).toThrow(/options.bfloat16/);
    expect(() => writeSafetensors(t, undefined, null as never)).toThrow(TypeError);
  });

  it('keeps metadata, written first in the header', () => {
    const metadata = { format: 'pt', note: 'é "quoted"', '0': 'zero' };
    const bytes = writeSafetensors({ x: tensor(new Float32Array([1])) }, metadata);
    const text = new TextDecoder().decode(
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    expect(text.startsWith('{"__metadata__":{')).toBe(true);
    expect(readSafetensors(bytes).metadata).toEqual(metadata);
  });

  it('keeps insertion order, including integer-like names', () => {
    const names = ['b', '10', 'a', '2', '__proto__', 'layer1.0.conv1.weight'];
    const input = new Map(names.map((n, i) => [n, tensor(new Float32Array([i]))]));
    const file = readSafetensors(writeSafetensors(input));
    expect([...file.tensors.keys()]).toEqual(names);
    expect(names.map((n) => file.tensors.get(n)!.data[0])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('lays out the header as the Rust writer: compact JSON padded with spaces to 8 bytes', () => {
    const bytes = writeSafetensors({ a: tensor(new Float32Array([1, 2]), [2]) });
    const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const n = Math.ceil(json.length / 8) * 8;
    expect(new DataView(bytes.buffer).getBigUint64(0, true)).toBe(BigInt(n));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n))).toBe(json.padEnd(n, ' '));
    expect(bytes.length).toBe(8 + n + 8);
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([1, 2]);
    for (let k = 0; k < 20; k++) {
      const name = 'x'.repeat(k);
      const b = writeSafetensors({ [`t${name}`]: tensor(new Uint8Array([1])) });
      expect(Number(new DataView(b.buffer).getBigUint64(0, true)) % 8).toBe(0);
    }
  });

  it('normalizes bool bytes to 0/1 when writing', () => {
    const t = new Tensor('bool', [3], new Uint8Array([0, 2, 255]));
    expect(readSafetensors(writeSafetensors({ t })).tensors.get('t')!.toArray()).toEqual([0, 1, 1]);
  });
});

describe('readSafetensors views and copies', () => {
  const bytes = writeSafetensors({ b: tensor(new BigInt64Array([5n])), a: tensor(new Float32Array([1, 2, 3])) });

  it('returns zero-copy views of aligned data, copies when asked', () => {
    const view = readSafetensors(bytes).tensors.get('b')!;
    expect(view.data.buffer).toBe(bytes.buffer);
    const copied = readSafetensors(bytes, { copy: true }).tensors.get('b')!;
    expect(copied.data.buffer).not.toBe(bytes.buffer);
    expect(copied.data[0]).toBe(5n);
    expect(() => readSafetensors(bytes, { copy: 'yes' as never })).toThrow(TypeError);
  });

  it('copies data that is misaligned in its ArrayBuffer (also from a Node Buffer)', () => {
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const input of [shifted.subarray(1), Buffer.from(shifted.buffer, 1, bytes.length)]) {
      const file = readSafetensors(input);
      expect(file.tensors.get('a')!.toArray()).toEqual([1, 2, 3]);
      expect(file.tensors.get('b')!.data[0]).toBe(5n);
      expect(file.tensors.get('b')!.data.byteOffset % 8).toBe(0);
    }
  });

  it('copies a tensor placed after one of odd byte size', () => {
    const file = readSafetensors(
      writeSafetensors({ u: tensor(new Uint8Array([1, 2, 3])), f: tensor(new Float32Array([0.5, -1])) }),
    );
    expect(file.tensors.get('f')!.toArray()).toEqual([0.5, -1]);
  });

  it('accepts an ArrayBuffer and rejects other inputs with a TypeError', () => {
    const file = readSafetensors(bytes.slice().buffer);
    expect(file.tensors.size).toBe(2);
    expect(() => readSafetensors([1, 2, 3] as never)).toThrow(TypeError);
    expect(() => readSafetensors(bytes, null as never)).toThrow(TypeError);
  });

  it('reads a header with no tensors, null metadata and JSON whitespace', () => {
    expect(readSafetensors(build('{}')).tensors.size).toBe(0);
    expect(readSafetensors(build('{"__metadata__":null}')).metadata).toEqual({});
    const f = readSafetensors(
      build('{ "x" : { "shape": [1], "dtype": "U8", "data_offsets": [0, 1], "extra": 1 } }', [9]),
    );
    expect(f.tensors.get('x')!.data[0]).toBe(9);
  });

  it('orders tensors by their data, not by header order', () => {
    const header = {
      second: { dtype: 'U8', shape: [1], data_offsets: [1, 2] },
      first: { dtype: 'U8', shape: [1], data_offsets: [0, 1] },
    };
    expect([...readSafetensors(build(header, [7, 8])).tensors.keys()]).toEqual(['first', 'second']);
  });
});

describe('readSafetensors rejects malformed files with a DataError', () => {
  const u8 = (name: string, entry: object, data: number[] = [1]): Uint8Array => build({ [name]: entry }, data);

  it('checks the length prefix', () => {
    expectDataError(() => readSafetensors(new Uint8Array(5)), /too short/, /at least 8 bytes/, /got 5/);
    const long = new Uint8Array(16);
    new DataView(long.buffer).setBigUint64(0, 9n, true);
    expectDataError(() => readSafetensors(long), /header length at byte 0/, /9 bytes/, /16 bytes/);
    new DataView(long.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    expectDataError(() => readSafetensors(long), /at most 100000000/, /18446744073709551615/);
    new DataView(long.buffer).setBigUint64(0, 200_000_000n, true);
    expectDataError(() => readSafetensors(long), /at most 100000000/);
  });

  it('checks the header text', () => {
    const bad = build('{"a":1}   ');
    bad[10] = 0xff;
    expectDataError(() => readSafetensors(bad), /not valid UTF-8/, /bytes 8\.\./);
    expectDataError(() => readSafetensors(build('{"a":')), /not valid JSON/);
    expectDataError(() => readSafetensors(build('{}\0\0')), /not valid JSON/);
    expectDataError(() => readSafetensors(build('[1, 2]')), /starting with "\{"/, /byte 8/);
    expectDataError(() => readSafetensors(build('  {}')), /starting with "\{"/);
    expectDataError(() => readSafetensors(build('', [], false)), /starting with "\{"/);
  });

  it('checks each entry', () => {
    expectDataError(() => readSafetensors(build({ w: [1] })), /tensor "w" \(header byte 9\)/, /expected an object/);
    expectDataError(
      () => readSafetensors(build({ '': { dtype: 'U8', shape: [0], data_offsets: [0, 0] } })),
      /non-empty/,
    );
    expectDataError(
      () => readSafetensors(u8('w', { dtype: 'F64', shape: [1], data_offsets: [0, 8] })),
      /"F64"/,
      /does not read/,
    );
    expectDataError(
      () => readSafetensors(u8('w', { dtype: 'f32', shape: [1], data_offsets: [0, 4] })),
      /dtype: expected one of F32/,
    );
    expectDataError(() => readSafetensors(u8('w', { shape: [1], data_offsets: [0, 1] })), /dtype/, /missing/);
    for (const shape of [3, 'x', null, { 0: 1 }]) {
      expectDataError(
        () => readSafetensors(u8('w', { dtype: 'U8', shape, data_offsets: [0, 1] })),
        /tensor "w"/,
        /shape: expected an array of non-negative integers/,
      );
    }
    for (const shape of [[-1], [1.5], ['1'], [1e300], [null]]) {
      expectDataError(
        () => readSafetensors(u8('w', { dtype: 'U8', shape, data_offsets: [0, 1] })),
        /tensor "w" \(header byte 9\)/,
        /shape\[0\]: expected a non-negative integer/,
      );
    }
    expectDataError(
      () => readSafetensors(u8('w', { dtype: 'I64', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 1] })),
      /too large/,
    );
    for (const data_offsets of [undefined, [0], [0, 1, 2], [-1, 0], [0, 0.5], ['0', '1'], [0, 2 ** 60]]) {
      expectDataError(
        () => readSafetensors(u8('w', { dtype: 'U8', shape: [1], data_offsets })),
        /tensor "w"/,
        /data_offsets: expected two non-negative integers/,
      );
    }
    expectDataError(
      () => readSafetensors(u8('w', { dtype: 'U8', shape: [0], data_offsets: [1, 0] })),
      /begin <= end/,
      /\[1, 0\]/,
    );
  });

  it('checks sizes and offsets against the data section', () => {
    const f32 = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
    const header = JSON.stringify({ w: f32 });
    const dataStart = 8 + Math.ceil(header.length / 8) * 8;
    expectDataError(
      () => readSafetensors(build({ w: f32 }, [1, 2, 3])),
      /tensor "w"/,
      /run past the data section \(3 bytes/,
      new RegExp(`file bytes ${dataStart}\\.\\.${dataStart + 8}`),
    );
    expectDataError(
      () => readSafetensors(build({ w: { ...f32, shape: [3] } }, new Array(8).fill(0))),
      /tensor "w"/,
      /hold 8 bytes/,
      /needs 3 x 4 = 12 bytes/,
      new RegExp(`file byte ${dataStart}`),
    );
  });

  it('checks that the tensors tile the data section', () => {
    const e = (begin: number, end: number) => ({ dtype: 'U8', shape: [end - begin], data_offsets: [begin, end] });
    expectDataError(
      () => readSafetensors(build({ a: e(0, 4), b: e(2, 6) }, new Array(6).fill(0))),
      /tensor "b"/,
      /overlap tensor "a"/,
    );
    expectDataError(
      () => readSafetensors(build({ a: e(0, 2), b: e(3, 4) }, new Array(4).fill(0))),
      /tensor "b"/,
      /hole of 1 bytes at data offset 2/,
    );
    expectDataError(() => readSafetensors(build({ a: e(1, 2) }, [0, 0])), /tensor "a"/, /hole/);
    expectDataError(() => readSafetensors(build({ a: e(0, 2) }, [0, 0, 0])), /leaving 1 unused bytes/);
    expectDataError(() => readSafetensors(build({ a: e(0, 2), b: e(0, 2) }, [0, 0])), /overlap/);
  });

  it('checks metadata and bool bytes', () => {
    expectDataError(
      () => readSafetensors(build({ __metadata__: { a: 1 } })),
      /__metadata__\["a"\]/,
      /header byte 9/,
      /string/,
    );
    expectDataError(() => readSafetensors(build({ __metadata__: ['a'] })), /__metadata__/, /object of strings/);
    expectDataError(
      () => readSafetensors(u8('flag', { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] }, [1, 2])),
      /tensor "flag"/,
      /element 1/,
      /file byte \d+/,
    );
  });
});

describe('writeSafetensors validates its input', () => {
  const t = tensor(new Float32Array([1]));
  it('rejects bad containers, names, values and metadata', () => {
    expect(() => writeSafetensors(null as never)).toThrow(TypeError);
    expect(() => writeSafetensors([t] as never)).toThrow(/Map or a plain object/);
    expect(() => writeSafetensors(t as never)).toThrow(TypeError);
    expect(() => writeSafetensors({ '': t })).toThrow(/non-empty/);
    expect(() => writeSafetensors(new Map([[1 as never, t]]))).toThrow(/non-empty string names/);
    expect(() => writeSafetensors({ __metadata__: t })).toThrow(/reserved/);
    expect(() => writeSafetensors({ a: new Float32Array(1) as never })).toThrow(/tensors\["a"\]: expected a Tensor/);
    expect(() => writeSafetensors({ a: t }, { k: 1 as never })).toThrow(/metadata\["k"\]: expected a string/);
    expect(() => writeSafetensors({ a: t }, 'x' as never)).toThrow(TypeError);
  });

  it('writes an empty file for no tensors', () => {
    const bytes = writeSafetensors(new Map());
    expect(bytes.length).toBe(16);
    expect(readSafetensors(bytes).tensors.size).toBe(0);
  });
});

describe('real files (../shared/golden/weights)', () => {
  const cases = [
    { model: 'squeezenet1_1', count: 52, key: 'features.0.weight', shape: [64, 3, 3, 3] },
    { model: 'mobilenet_v3_small', count: 210, key: 'features.0.0.weight', shape: [16, 3, 3, 3] },
  ];
  for (const c of cases) {
    it(`reads ${c.model}.fp16.safetensors and writes it back byte for byte`, () => {
      const bytes = readGoldenBytes(`weights/${c.model}.fp16.safetensors`);
      const file = readSafetensors(bytes);
      expect(file.tensors.size).toBe(c.count);
      const w = file.tensors.get(c.key)!;
      expect(w.dtype).toBe('float16');
      expect(w.shape).toEqual(c.shape);
      expect(w.data.buffer).toBe(bytes.buffer);
      expect(new Set(file.dtypes.values())).toEqual(new Set(['F16']));
      expect(w.toArray().every(Number.isFinite)).toBe(true);
      const again = writeSafetensors(file.tensors);
      expect(sameBytes(again, bytes)).toBe(true);
      const reread = readSafetensors(again);
      expect([...reread.tensors.keys()]).toEqual([...file.tensors.keys()]);
      for (const [name, t] of file.tensors) {
        const r = reread.tensors.get(name)!;
        expect(r.shape, name).toEqual(t.shape);
        expect(sameBytes(bytesOf(r), bytesOf(t)), name).toBe(true);
      }
    });

    it(`reads ${c.model}.io.safetensors`, () => {
      const bytes = readGoldenBytes(`weights/${c.model}.io.safetensors`);
      const file = readSafetensors(bytes);
      expect([...file.tensors.keys()]).toEqual(['input', 'logits']);
      expect(file.tensors.get('input')!.shape).toEqual([2, 3, 224, 224]);
      expect(file.tensors.get('input')!.dtype).toBe('float32');
      expect(file.tensors.get('logits')!.shape).toEqual([2, 1000]);
      expect(file.tensors.get('logits')!.toArray().every(Number.isFinite)).toBe(true);
      const again = writeSafetensors(file.tensors);
      expect(sameBytes(again, bytes)).toBe(true);
      const reread = readSafetensors(again);
      for (const name of ['input', 'logits']) {
        const [r, t] = [reread.tensors.get(name)!, file.tensors.get(name)!];
        expect(r.shape).toEqual(t.shape);
        expect(sameBytes(bytesOf(r), bytesOf(t)), name).toBe(true);
      }
    });
  }
});
