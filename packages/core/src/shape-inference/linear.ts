import type { Dim, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { broadcastDims, broadcastsTo, unifyDims } from './dims.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/** Gemm: Y = alpha*A'B' + beta*C with A' = transA ? A^T : A (M x K), B' = transB ? B^T : B (K x N), C broadcast. */
const gemm = rule('Gemm', (n) => {
  const [a, b, c] = n.take(['A', 'B', 'C?']) as [ValueInfo, ValueInfo, ValueInfo | null];
  n.requireFloat(a, 'input A');
  n.requireFloat(b, 'input B', { value: a, name: 'input A' });
  if (c) n.requireFloat(c, 'input C', { value: a, name: 'input A' });
  n.requireRank(a, 'input A', [2]);
  n.requireRank(b, 'input B', [2]);
  const transA = n.flag('transA', 0);
  const transB = n.flag('transB', 0);
  n.float('alpha', 1);
  n.float('beta', 1);
  const [m, ka] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, nOut] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (unifyDims(ka, kb) === undefined) {
    throw n.shapeError(
      `A ${formatShape(a.shape)}${transA ? ' (transposed)' : ''} has K = ${ka} but B ${formatShape(b.shape)}` +
        `${transB ? ' (transposed)' : ''} has K = ${kb}` +
        (transB ? '' : ' (hint: a Linear weight [out, in] needs transB = 1)'),
    );
  }
  const out: Dim[] = [m, nOut];
  if (c && !broadcastsTo(c.shape, out)) {
    throw n.shapeError(`C ${formatShape(c.shape)} does not broadcast to the output ${formatShape(out)}`);
  }
  return one(a.dtype, out);
});

/** MatMul: numpy matmul; 1-D operands get a 1 prepended (A) or appended (B) and removed again; batch dims broadcast. */
const matmul = rule('MatMul', (n) => {
  const [a, b] = n.take(['A', 'B']) as [ValueInfo, ValueInfo];
  n.requireFloat(a, 'input A');
  n.requireFloat(b, 'input B', { value: a, name: 'input A' });
  n.requireRank(a, 'input A', { min: 1 });
  n.requireRank(b, 'input B', { min: 1 });
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const ka = as[as.length - 1]!;
  const kb = bs[bs.length - 2]!;
  if (unifyDims(ka, kb) === undefined) {
    throw n.shapeError(
      `A ${formatShape(a.shape)} and B ${formatShape(b.shape)} do not multiply: A has ${ka} columns, B has ${kb} rows`,
    );
  }
  const batch = broadcastDims(n, as.slice(0, -2), bs.slice(0, -2), 'batch dims of A and B');
  const out: Dim[] = [...batch];
  if (a.shape.length > 1) out.push(as[as.length - 2]!);
  if (b.shape.length > 1) out.push(bs[bs.length - 1]!);
  return one(a.dtype, out);
});

export const LINEAR_RULES: Partial<Record<OpType, ShapeRule>> = { Gemm: gemm, MatMul: matmul };
