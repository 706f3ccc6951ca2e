import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from './errors.js';
import { float32ToFloat16Array } from './float16.js';
import { full, Tensor, tensor, zeros } from './tensor.js';

describe('tensor() from typed arrays', () => {
  it('wraps without copying and takes the dtype from the storage', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(data, [2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.data).toBe(data);
    expect(tensor(new Int32Array(3)).shape).toEqual([3]);
    expect(tensor(new Uint16Array(1)).dtype).toBe('float16');
    expect(tensor(new BigInt64Array(1)).dtype).toBe('int64');
    expect(tensor(new Uint8Array([0, 1]), [2], 'bool').dtype).toBe('bool');
  });

  it('refuses storage that does not fit the dtype, and shapes that do not fit the length', () => {
    expect(() => tensor(new Float32Array(2), [2], 'int32')).toThrow(DTypeError);
    expect(() => tensor(new Float32Array(2), [2], 'int32')).toThrow(
      /a int32 tensor needs a Int32Array, got Float32Array\(2\)/,
    );
    expect(() => tensor(new Float64Array(2) as unknown as Float32Array)).toThrow(DTypeError);
    expect(() => tensor(new Float32Array(6), [4, 2])).toThrow(ShapeError);
    expect(() => tensor(new Float32Array(6), [4, 2])).toThrow('data: shape [4, 2] needs 8 elements, got 6');
    expect(() => new Tensor('float32', [2], new Float32Array(3))).toThrow(ShapeError);
    expect(() => new Tensor('float64' as 'float32', [1], new Float32Array(1))).toThrow(DTypeError);
  });
});

describe('tensor() from nested arrays', () => {
  it('infers the shape, copies, and converts to the dtype (default float32)', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor([0.1]).data[0]).toBe(Math.fround(0.1));
    expect(tensor([1.9, -1.9], undefined, 'int32').toArray()).toEqual([1, -1]);
    expect(tensor([2 ** 40 + 0.5], undefined, 'int64').data[0]).toBe(2n ** 40n);
    expect(tensor([true, false], undefined, 'bool').toArray()).toEqual([1, 0]);
    expect(tensor([1, 65520], undefined, 'float16').data).toEqual(Uint16Array.from([0x3c00, 0x7c00]));
  });

  it('handles scalars, empty arrays and an explicit shape', () => {
    const s = tensor(7);
    expect([s.shape, s.rank, s.size, s.get()]).toEqual([[], 0, 1, 7]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
    expect(tensor([1, 2, 3, 4], [2, 2]).shape).toEqual([2, 2]);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(ShapeError);
  });

  it('reports ragged nesting as a ShapeError and non-numbers as a TypeError', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested array: expected 2 items at depth 1, got \[3\]/);
    expect(() => tensor([1, [2]] as number[])).toThrow(/too deep at depth 1/);
    expect(() => tensor([[1], 2] as unknown as number[][])).toThrow(ShapeError);
    expect(() => tensor([1, 'a'] as unknown as number[])).toThrow(TypeError);
    expect(() => tensor({ length: 2 } as unknown as number[])).toThrow(
      /expected a typed array, a number or nested arrays/,
    );
    expect(() => tensor([1], undefined, 'float64' as 'float32')).toThrow(DTypeError);
  });
});

describe('Tensor views and element access', () => {
  it('reshape shares data, infers -1 and copies dims for 0', () => {
    const t = tensor(
      Float32Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const r = t.reshape([4, -1]);
    expect(r.shape).toEqual([4, 6]);
    expect(r.data).toBe(t.data);
    r.data[5] = 100;
    expect(t.get(0, 1, 1)).toBe(100);
    expect(t.reshape([0, -1]).shape).toEqual([2, 12]);
    expect(t.strides).toEqual([12, 4, 1]);
    expect(() => t.reshape([5, -1])).toThrow(/Tensor.reshape: cannot reshape \[2, 3, 4\]/);
    expect(() => t.reshape([-1, -1])).toThrow(ShapeError);
  });

  it('shape is frozen and independent of the array passed in', () => {
    const shape = [2, 2];
    const t = zeros(shape);
    shape[0] = 9;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('get reads row-major, decodes float16 and int64, and checks indices', () => {
    const t = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      undefined,
      'float16',
    );
    expect(t.get(1, 2)).toBe(6);
    expect(tensor(BigInt64Array.from([5n, -7n])).get(1)).toBe(-7);
    expect(() => t.get(1)).toThrow(/index: expected 2 indices for shape \[2, 3\], got 1/);
    expect(() => t.get(0, 3)).toThrow(/index\[1\]: expected an integer in \[0, 3\), got 3/);
    expect(() => t.get(-1, 0)).toThrow(RangeError);
    expect(() => t.get(0.5, 0)).toThrow(RangeError);
    expect(() => t.get(Number.NaN, 0)).toThrow(RangeError);
  });

  it('clone copies; toString names dtype and shape', () => {
    const t = tensor([1, 2]);
    const c = t.clone();
    c.data[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
    expect(String(zeros([2, 3], 'int32'))).toBe('Tensor(int32, [2, 3])');
  });
});

describe('conversions', () => {
  it('toFloat32 decodes float16 exactly and returns float32 tensors unchanged', () => {
    const values = [1, -2.5, 65504, 2 ** -24, -0];
    const h = tensor(float32ToFloat16Array(values), [5]);
    const f = h.toFloat32();
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.data)).toEqual(values);
    expect(Object.is(f.data[4], -0)).toBe(true);
    const same = tensor([1, 2]);
    expect(same.toFloat32()).toBe(same);
    expect(tensor([3, -4], undefined, 'int64').toFloat32().toArray()).toEqual([3, -4]);
  });

  it('cast truncates toward zero for ints, rounds to nearest even for float16, tests != 0 for bool', () => {
    const t = tensor([1.7, -1.7, 0, -0, Number.NaN, 2.5]);
    expect(t.cast('int32').toArray()).toEqual([1, -1, 0, 0, 0, 2]);
    expect(t.cast('int64').data).toEqual(BigInt64Array.from([1n, -1n, 0n, 0n, 0n, 2n]));
    expect(t.cast('bool').toArray()).toEqual([1, 1, 0, 0, 1, 1]); // NaN != 0, as in numpy and torch
    expect(tensor([1 + 2 ** -11, 1 + 3 * 2 ** -11]).cast('float16').data).toEqual(Uint16Array.from([0x3c00, 0x3c02]));
    expect(tensor([3, 200], undefined, 'uint8').cast('float32').toArray()).toEqual([3, 200]);
  });

  it('cast to the same dtype is a copy; an unknown dtype is a DTypeError', () => {
    const t = tensor([1, 2], undefined, 'int32');
    const c = t.cast('int32');
    expect(c.data).not.toBe(t.data);
    expect(c.toArray()).toEqual([1, 2]);
    expect(() => t.cast('float64' as 'int32')).toThrow(DTypeError);
  });
});

describe('zeros and full', () => {
  it('allocate the dtype and fill', () => {
    const z = zeros([2, 3]);
    expect([z.dtype, z.size, z.toArray().every((x) => x === 0)]).toEqual(['float32', 6, true]);
    expect(zeros([0, 4]).size).toBe(0);
    expect(full([2], 1.5).toArray()).toEqual([1.5, 1.5]);
    expect(full([2], 1.5, 'int32').toArray()).toEqual([1, 1]);
    expect(full([3], -3, 'int64').data).toEqual(BigInt64Array.from([-3n, -3n, -3n]));
    expect(full([2], 1, 'float16').data).toEqual(Uint16Array.from([0x3c00, 0x3c00]));
    expect(full([2], 5, 'bool').toArray()).toEqual([1, 1]);
    expect(full([], 4).get()).toBe(4);
  });

  it('validate the shape and the dtype', () => {
    expect(() => zeros([2, -1])).toThrow(/shape\[1\]: expected a non-negative integer size, got -1/);
    expect(() => zeros([1.5])).toThrow(RangeError);
    expect(() => zeros([2], 'float64' as 'float32')).toThrow(DTypeError);
    expect(() => full([2], 0, 'complex64' as 'float32')).toThrow(DTypeError);
  });
});
