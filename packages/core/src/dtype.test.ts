import { describe, expect, it } from 'vitest';
import {
  allocate,
  assertDType,
  DTYPE_BYTES,
  DTYPES,
  dtypeOfArray,
  isDType,
  isFloatDType,
  isIntDType,
  storageMatches,
  viewOf,
} from './dtype.js';
import { DTypeError } from './errors.js';

describe('dtypes', () => {
  it('allocates zero-filled storage of the documented type, with DTYPE_BYTES bytes per element', () => {
    const expected = {
      float32: Float32Array,
      float16: Uint16Array,
      int32: Int32Array,
      int64: BigInt64Array,
      uint8: Uint8Array,
      bool: Uint8Array,
    };
    for (const dtype of DTYPES) {
      const a = allocate(dtype, 5);
      expect(a).toBeInstanceOf(expected[dtype]);
      expect(a.length).toBe(5);
      expect(a.BYTES_PER_ELEMENT).toBe(DTYPE_BYTES[dtype]);
      expect(Array.from(a as ArrayLike<number | bigint>).every((x) => x === 0 || x === 0n)).toBe(true);
      expect(storageMatches(dtype, a)).toBe(true);
    }
    expect(Object.isFrozen(DTYPES) && Object.isFrozen(DTYPE_BYTES)).toBe(true);
  });

  it('storageMatches rejects other arrays (including look-alikes such as Uint8ClampedArray)', () => {
    expect(storageMatches('float32', new Float64Array(1))).toBe(false);
    expect(storageMatches('uint8', new Uint8ClampedArray(1))).toBe(false);
    expect(storageMatches('int64', new BigUint64Array(1))).toBe(false);
    expect(storageMatches('float16', [1, 2])).toBe(false);
  });

  it('isDType / assertDType', () => {
    expect(DTYPES.every(isDType)).toBe(true);
    for (const bad of ['float64', 'Float32', '', undefined, 3]) expect(isDType(bad)).toBe(false);
    expect(() => assertDType('float64', 'weights.dtype')).toThrow(DTypeError);
    expect(() => assertDType('float64', 'weights.dtype')).toThrow(
      'weights.dtype: expected one of float32, float16, int32, int64, uint8, bool, got "float64"',
    );
  });

  it('dtypeOfArray reads the storage type (Uint16Array is float16, Uint8Array is uint8)', () => {
    expect(dtypeOfArray(new Float32Array(1))).toBe('float32');
    expect(dtypeOfArray(new Uint16Array(1))).toBe('float16');
    expect(dtypeOfArray(new Int32Array(1))).toBe('int32');
    expect(dtypeOfArray(new BigInt64Array(1))).toBe('int64');
    expect(dtypeOfArray(new Uint8Array(1))).toBe('uint8');
    expect(() => dtypeOfArray(new Float64Array(1) as unknown as Float32Array)).toThrow(DTypeError);
  });

  it('float / int classification', () => {
    expect(DTYPES.filter(isFloatDType)).toEqual(['float32', 'float16']);
    expect(DTYPES.filter(isIntDType)).toEqual(['int32', 'int64', 'uint8']);
  });

  it('viewOf is zero-copy over a buffer at an aligned offset', () => {
    const buffer = new ArrayBuffer(16);
    const view = viewOf('float32', buffer, 4, 2);
    view[0] = 1.5;
    expect(new Float32Array(buffer)[1]).toBe(1.5);
    expect(viewOf('int64', buffer, 8, 1).buffer).toBe(buffer);
    expect(() => viewOf('float32', buffer, 2, 1)).toThrow(RangeError); // misaligned
    expect(() => viewOf('float32', buffer, 8, 3)).toThrow(RangeError); // past the end
  });
});
