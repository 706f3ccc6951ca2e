import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { zeros } from '../tensor.js';

function gemm(a: Dim[], w: number[], attrs: Attrs = {}, c?: number[]) {
  const b = new GraphBuilder();
  const inputs = [b.input('a', 'float32', a), b.initializer('w', zeros(w))];
  if (c) inputs.push(b.initializer('c', zeros(c)));
  return b.op('Gemm', inputs, attrs, { name: 'classifier.6' })[0]!.shape;
}

function matmul(a: Dim[], c: Dim[]) {
  const b = new GraphBuilder();
  return b.op('MatMul', [b.input('a', 'float32', a), b.input('b', 'float32', c)], {}, { name: 'mm' })[0]!.shape;
}

describe('Gemm shape inference', () => {
  it('gives [M, N] with transA/transB and a broadcast C', () => {
    expect(gemm(['N', 4096], [1000, 4096], { transB: 1 }, [1000])).toEqual(['N', 1000]);
    expect(gemm([8, 3], [3, 5])).toEqual([8, 5]);
    expect(gemm([3, 8], [3, 5], { transA: 1 }, [8, 5])).toEqual([8, 5]);
    expect(gemm([3, 8], [5, 3], { transA: 1, transB: 1, alpha: 2, beta: 0.5 }, [1, 5])).toEqual([8, 5]);
    expect(gemm([2, 3], [3, 4], {}, [])).toEqual([2, 4]);
  });

  it('reports mismatched K with a hint for Linear weights', () => {
    expect(() => gemm(['N', 512], [1000, 2048], { transB: 1 })).toThrow(
      'classifier.6 (Gemm): A [N, 512] has K = 512 but B [1000, 2048] (transposed) has K = 2048',
    );
    expect(() => gemm(['N', 512], [1000, 512])).toThrow(/hint: a Linear weight \[out, in\] needs transB = 1/);
  });

  it('checks C, ranks, flags and dtypes', () => {
    expect(() => gemm([2, 3], [3, 4], {}, [3])).toThrow(
      'classifier.6 (Gemm): C [3] does not broadcast to the output [2, 4]',
    );
    expect(() => gemm([2, 3, 1], [3, 4])).toThrow(/input A must have rank 2/);
    expect(() => gemm([2, 3], [3, 4], { transB: 2 })).toThrow(/attribute transB: expected 0 or 1/);
    const b = new GraphBuilder();
    expect(() =>
      b.op('Gemm', [b.input('a', 'float32', [2, 3]), b.input('b', 'int32', [3, 4])], {}, { name: 'g' }),
    ).toThrow(DTypeError);
  });
});

describe('MatMul shape inference', () => {
  it('multiplies matrices and broadcasts batch dims', () => {
    expect(matmul([2, 3], [3, 4])).toEqual([2, 4]);
    expect(matmul(['N', 8, 196, 64], [64, 196])).toEqual(['N', 8, 196, 196]);
    expect(matmul([5, 1, 2, 3], [4, 3, 6])).toEqual([5, 4, 2, 6]);
    expect(matmul(['N', 2, 3], ['N', 3, 4])).toEqual(['N', 2, 4]);
  });

  it('handles 1-D operands as NumPy', () => {
    expect(matmul([3], [3])).toEqual([]);
    expect(matmul([3], [2, 3, 4])).toEqual([2, 4]);
    expect(matmul([2, 3, 4], [4])).toEqual([2, 3]);
    expect(matmul(['N', 4], [4])).toEqual(['N']);
  });

  it('reports inner and batch mismatches', () => {
    expect(() => matmul([2, 3], [4, 5])).toThrow(
      'mm (MatMul): A [2, 3] and B [4, 5] do not multiply: A has 3 columns, B has 4 rows',
    );
    expect(() => matmul([2, 2, 3], [5, 3, 4])).toThrow(ShapeError);
    expect(() => matmul([2, 2, 3], [5, 3, 4])).toThrow(/batch dims of A and B/);
    expect(() => matmul([], [3])).toThrow(/rank >= 1/);
  });
});
