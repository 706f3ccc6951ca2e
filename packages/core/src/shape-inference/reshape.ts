import type { Dim, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { isSymbol, productDim } from './dims.js';
import { type NodeView, one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/**
 * Resolves an ONNX Reshape target against an input shape that may hold symbols. 0 copies the input dim at that
 * index (unless allowzero), -1 takes what is left. With symbols, the element counts are compared symbol by symbol:
 * `[N, 512, 1, 1]` to `[0, -1]` gives `[N, 512]`, to `[-1, 512]` gives `[N, 512]`; a -1 that would be a product
 * such as N*2 cannot be one dim, and a target without -1 or 0 that drops a symbol cannot be checked (ShapeError).
 */
export function resolveSymbolicReshape(
  n: NodeView,
  input: readonly Dim[],
  target: readonly number[],
  allowZero: boolean,
): Dim[] {
  const desc = `cannot reshape ${formatShape(input)} to ${formatShape(target)}`;
  let inferAt = -1;
  const out: Dim[] = target.map((t, i) => {
    if (t === -1) {
      if (inferAt !== -1) throw n.shapeError(`${desc}: more than one -1`);
      inferAt = i;
      return -1;
    }
    if (t < -1) throw n.shapeError(`${desc}: invalid size ${t} at index ${i}`);
    if (t === 0 && !allowZero) {
      if (i >= input.length)
        throw n.shapeError(`${desc}: 0 at index ${i} copies a dim the input (rank ${input.length}) lacks`);
      return input[i]!;
    }
    return t;
  });
  if (allowZero && inferAt !== -1 && target.includes(0)) {
    throw n.shapeError(`${desc}: with allowzero = 1, a target cannot hold both 0 and -1`);
  }
  let inNum = 1;
  const remaining: string[] = [];
  for (const d of input) {
    if (isSymbol(d)) remaining.push(d);
    else inNum *= d;
  }
  let outNum = 1;
  for (const [i, d] of out.entries()) {
    if (i === inferAt) continue;
    if (isSymbol(d)) remaining.splice(remaining.indexOf(d), 1);
    else outNum *= d;
  }
  if (inferAt === -1) {
    if (remaining.length > 0) {
      throw n.shapeError(
        `${desc}: the symbolic size ${remaining.join(', ')} is not kept, so the element count cannot be checked; ` +
          'use 0 to copy it or -1 to infer it, or give it a number',
      );
    }
    if (inNum !== outNum) throw n.shapeError(`${desc}: ${inNum} elements vs ${outNum}`);
    return out;
  }
  if (remaining.length === 0) {
    if (outNum === 0 || inNum % outNum !== 0) {
      throw n.shapeError(`${desc}: ${inNum} elements do not divide into the known sizes (product ${outNum})`);
    }
    out[inferAt] = inNum / outNum;
  } else if (remaining.length === 1 && inNum === outNum && outNum !== 0) {
    out[inferAt] = remaining[0]!;
  } else {
    const factor = outNum !== 0 && inNum % outNum === 0 ? inNum / outNum : `${inNum}/${outNum}`;
    throw n.shapeError(
      `${desc}: the -1 would be ${[...remaining, ...(factor === 1 ? [] : [factor])].join('*')}, which is not one ` +
        'dim; a constant size is needed for the symbolic dims (or use 0 to copy them)',
    );
  }
  return out;
}

const reshape = rule('Reshape', (n) => {
  const [data, shape] = n.take(['data', 'shape']) as [ValueInfo, ValueInfo];
  const allowZero = n.flag('allowzero', 0);
  const target = n.constInts(shape, 'shape');
  return one(data.dtype, resolveSymbolicReshape(n, data.shape, target, allowZero));
});

/** Flatten: [d0 * ... * d(axis-1), d(axis) * ... * d(r-1)]. */
const flatten = rule('Flatten', (n) => {
  const [x] = n.take(['input']) as [ValueInfo];
  const axis = n.axis('axis', 1, x.shape.length, true);
  const outer = productDim(n, x.shape.slice(0, axis), `the outer size ${formatShape(x.shape.slice(0, axis))}`);
  const inner = productDim(n, x.shape.slice(axis), `the inner size ${formatShape(x.shape.slice(axis))}`);
  return one(x.dtype, [outer, inner]);
});

export const RESHAPE_RULES: Partial<Record<OpType, ShapeRule>> = { Reshape: reshape, Flatten: flatten };
