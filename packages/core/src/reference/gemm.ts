import { ShapeError } from '../errors.js';
import { broadcastShapes, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastIndex } from './broadcast-index.js';
import { floatAttr, floatInput, intAttr, optionalFloatInput, where } from './kernel-args.js';
import type { Kernel } from './types.js';

/**
 * out[i, j] = sum_k A[i, k] * B[k, j] for row-major operands at offsets (A is [M, K] or, with `transA`, [K, M];
 * B is [K, N] or, with `transB`, [N, K]), accumulated in float64 (i-k-j order, or row dot products when B is
 * transposed, so the inner loop always walks contiguous memory).
 */
export function matmulF64(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  out: Float64Array,
  outOff: number,
): void {
  for (let i = 0; i < m; i++) {
    const o = outOff + i * n;
    if (transB) {
      for (let j = 0; j < n; j++) {
        const bRow = bOff + j * k;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[aOff + p * m + i]! * b[bRow + p]!;
        else for (let p = 0, aRow = aOff + i * k; p < k; p++) s += a[aRow + p]! * b[bRow + p]!;
        out[o + j] = s;
      }
    } else {
      for (let j = 0; j < n; j++) out[o + j] = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aOff + p * m + i]! : a[aOff + i * k + p]!;
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) out[o + j] += av * b[bRow + j]!;
      }
    }
  }
}

/** ONNX Gemm: Y = alpha * A' B' + beta * C, with A' = transA ? A^T : A (likewise B), C broadcast to [M, N]. */
export const gemm: Kernel = (inputs, _attrs, node) => {
  const a = floatInput(inputs, 0, node, 'A', 2);
  const b = floatInput(inputs, 1, node, 'B', 2);
  const c = optionalFloatInput(inputs, 2, node, 'C');
  const alpha = floatAttr(node, 'alpha', 1);
  const beta = floatAttr(node, 'beta', 1);
  const transA = intAttr(node, 'transA', 0) !== 0;
  const transB = intAttr(node, 'transB', 0) !== 0;
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== kb) {
    throw new ShapeError(
      `${where(node)}: inner dims differ: A ${formatShape(a.shape)}${transA ? ' (transposed)' : ''} gives K = ${k}, ` +
        `B ${formatShape(b.shape)}${transB ? ' (transposed)' : ''} gives K = ${kb}`,
    );
  }
  const acc = new Float64Array(m * n);
  matmulF64(a.data, 0, b.data, 0, m, k, n, transA, transB, acc, 0);
  const cIdx = c ? broadcastIndex(c.shape, [m, n], `${where(node)}: C`) : null;
  const y = new Float32Array(m * n);
  for (let i = 0; i < y.length; i++) {
    y[i] = c && cIdx ? alpha * acc[i]! + beta * c.data[cIdx[i]!]! : alpha * acc[i]!;
  }
  return [new Tensor('float32', [m, n], y)];
};

/** ONNX MatMul: NumPy matmul (1-D operands promoted and the added dim removed; batch dims broadcast). */
export const matMul: Kernel = (inputs, _attrs, node) => {
  const a = floatInput(inputs, 0, node, 'A');
  const b = floatInput(inputs, 1, node, 'B');
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(
      `${where(node)}: operands must have rank >= 1, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const aShape = a.rank === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.rank === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const n = bShape[bShape.length - 1]!;
  if (bShape[bShape.length - 2] !== k) {
    throw new ShapeError(
      `${where(node)}: inner dims differ: A ${formatShape(a.shape)} has K = ${k}, B ${formatShape(b.shape)} has ` +
        `K = ${bShape[bShape.length - 2]}`,
    );
  }
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, `${where(node)}: batch dims`);
  const aIdx = broadcastIndex(aBatch, batch, `${where(node)}: A`);
  const bIdx = broadcastIndex(bBatch, batch, `${where(node)}: B`);
  const count = aIdx.length;
  const acc = new Float64Array(count * m * n);
  for (let i = 0; i < count; i++) {
    matmulF64(a.data, aIdx[i]! * m * k, b.data, bIdx[i]! * k * n, m, k, n, false, false, acc, i * m * n);
  }
  const outShape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  return [new Tensor('float32', outShape, Float32Array.from(acc))];
};
