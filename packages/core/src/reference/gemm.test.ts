import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { gemm, matMul } from './gemm.js';

const node = (op: OpType, attrs: Attrs = {}): GraphNode => ({ op, name: 'fc', inputs: [], outputs: ['y'], attrs });

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
const rand = (shape: number[], rng: () => number) =>
  new Tensor('float32', shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rng));

/** A[i, k] of a 2-D row-major matrix, optionally stored transposed. */
const at = (t: Tensor<'float32'>, i: number, k: number, trans: boolean) =>
  trans ? t.data[k * t.shape[1]! + i]! : t.data[i * t.shape[1]! + k]!;

describe('Gemm', () => {
  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('matches the definition with transA=%s transB=%s, alpha, beta and a [N] bias', (ta, tb) => {
    const rng = random(1);
    const [m, k, n] = [4, 5, 3];
    const a = rand(ta ? [k, m] : [m, k], rng);
    const b = rand(tb ? [n, k] : [k, n], rng);
    const c = rand([n], rng);
    const attrs = { alpha: 0.5, beta: 2, transA: ta ? 1 : 0, transB: tb ? 1 : 0 };
    const [y] = gemm([a, b, c], attrs, node('Gemm', attrs));
    expect(y!.shape).toEqual([m, n]);
    const expected: number[] = [];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += at(a, i, p, ta) * at(b, p, j, tb);
        expected.push(0.5 * s + 2 * c.data[j]!);
      }
    expect(maxAbsDiff(y!.toArray(), expected)).toBeLessThan(1e-6);
  });

  it('computes a Linear layer (transB = 1) with a [M, 1] C and without C', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const w = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const attrs = { transB: 1 };
    expect(gemm([x, w, tensor([[10], [20]])], attrs, node('Gemm', attrs))[0]!.toArray()).toEqual([
      11, 12, 13, 23, 24, 27,
    ]);
    expect(gemm([x, w, null], attrs, node('Gemm', attrs))[0]!.toArray()).toEqual([1, 2, 3, 3, 4, 7]);
  });

  it('rejects mismatched inner dims, bad ranks, a C that does not broadcast and int inputs', () => {
    const a = rand([2, 3], random(2));
    expect(() => gemm([a, rand([2, 3], random(3)), null], {}, node('Gemm'))).toThrow(/fc \(Gemm\): inner dims differ/);
    expect(() => gemm([a, rand([3], random(3)), null], {}, node('Gemm'))).toThrow(ShapeError);
    expect(() => gemm([a, rand([3, 4], random(3)), rand([3], random(4))], {}, node('Gemm'))).toThrow(/C/);
    expect(() => gemm([a.cast('int32'), rand([3, 4], random(3)), null], {}, node('Gemm'))).toThrow(DTypeError);
  });
});

describe('MatMul', () => {
  function naive(a: Tensor<'float32'>, b: Tensor<'float32'>, batch: number[], aB: number[], bB: number[]) {
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.rank - 1]!;
    const out: number[] = [];
    const count = batch.reduce((x, y) => x * y, 1);
    for (let bi = 0; bi < count; bi++) {
      // unravel bi over `batch`, then ravel into each operand's batch with broadcasting
      let rest = bi;
      const idx = batch.map((_, i) => {
        const stride = batch.slice(i + 1).reduce((x, y) => x * y, 1);
        const v = Math.floor(rest / stride);
        rest -= v * stride;
        return v;
      });
      const ravel = (shape: number[]) =>
        shape.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : idx[idx.length - shape.length + i]!), 0);
      const ao = ravel(aB) * m * k;
      const bo = ravel(bB) * k * n;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[ao + i * k + p]! * b.data[bo + p * n + j]!;
          out.push(s);
        }
    }
    return out;
  }

  it('broadcasts batch dims ([2, 1, 3, 4] x [5, 4, 2] -> [2, 5, 3, 2])', () => {
    const rng = random(6);
    const a = rand([2, 1, 3, 4], rng);
    const b = rand([5, 4, 2], rng);
    const [y] = matMul([a, b], {}, node('MatMul'));
    expect(y!.shape).toEqual([2, 5, 3, 2]);
    expect(maxAbsDiff(y!.toArray(), naive(a, b, [2, 5], [2, 1], [5]))).toBeLessThan(1e-6);
  });

  it('promotes 1-D operands and removes the added dims', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(matMul([m, tensor([1, 0, -1])], {}, node('MatMul'))[0]!.shape).toEqual([2]);
    expect(matMul([m, tensor([1, 0, -1])], {}, node('MatMul'))[0]!.toArray()).toEqual([-2, -2]);
    const [row] = matMul([tensor([1, 1]), m], {}, node('MatMul'));
    expect(row!.shape).toEqual([3]);
    expect(row!.toArray()).toEqual([5, 7, 9]);
    const [dot] = matMul([tensor([1, 2]), tensor([3, 4])], {}, node('MatMul'));
    expect(dot!.shape).toEqual([]);
    expect(dot!.toArray()).toEqual([11]);
  });

  it('rejects mismatched inner dims, batch dims that do not broadcast and scalars', () => {
    const rng = random(8);
    expect(() => matMul([rand([2, 3], rng), rand([4, 2], rng)], {}, node('MatMul'))).toThrow(/inner dims differ/);
    expect(() => matMul([rand([2, 2, 3], rng), rand([3, 3, 1], rng)], {}, node('MatMul'))).toThrow(ShapeError);
    expect(() => matMul([new Tensor('float32', [], new Float32Array(1)), rand([1], rng)], {}, node('MatMul'))).toThrow(
      /rank >= 1/,
    );
  });

  it('gives an empty result for an empty batch', () => {
    const [y] = matMul([rand([0, 2, 3], random(1)), rand([3, 4], random(1))], {}, node('MatMul'));
    expect(y!.shape).toEqual([0, 2, 4]);
  });
});
