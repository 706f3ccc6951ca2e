import type { Dim } from '../graph.js';
import { broadcastShapes, formatShape } from '../shape.js';
import type { NodeView } from './node-view.js';

/**
 * Arithmetic on dims that may be symbols. A symbol stands for one unknown size, the same wherever it appears; a
 * rule that needs a number it does not have fails with a ShapeError that says so.
 */

export const isSymbol = (d: Dim): d is string => typeof d === 'string';
export const allNumeric = (shape: readonly Dim[]): shape is readonly number[] => shape.every((d) => !isSymbol(d));

/**
 * Two dims that must be equal: equal values give that value; a symbol and a number give the number (the symbol
 * must take it at run time); two different numbers or two different symbols give undefined.
 */
export function unifyDims(a: Dim, b: Dim): Dim | undefined {
  if (a === b) return a;
  if (isSymbol(a) && isSymbol(b)) return undefined;
  if (isSymbol(a)) return b;
  if (isSymbol(b)) return a;
  return undefined;
}

/**
 * NumPy broadcasting with symbols: equal dims broadcast, 1 yields to the other dim, a symbol against a number
 * other than 1 gives the number. Two different symbols cannot be decided at build time (ShapeError).
 */
export function broadcastDims(n: NodeView, a: readonly Dim[], b: readonly Dim[], what: string): Dim[] {
  if (allNumeric(a) && allNumeric(b)) return broadcastShapes(a, b, `${n.where}: ${what}`);
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    let d: Dim | undefined;
    if (da === db || db === 1) d = da;
    else if (da === 1) d = db;
    else if (isSymbol(da) && isSymbol(db)) {
      throw n.shapeError(
        `${what}: shapes ${formatShape(a)} and ${formatShape(b)}: dimension ${i} is ${da} vs ${db}, two ` +
          'different symbols, so whether they broadcast is unknown at build time',
      );
    } else d = unifyDims(da, db);
    if (d === undefined) {
      throw n.shapeError(
        `${what}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out.push(d);
  }
  return out;
}

/**
 * Whether `from` broadcasts to `to` without changing it (ONNX's unidirectional broadcasting), as for a bias or a
 * PRelu slope. Symbols match anything (the check is deferred to run time).
 */
export function broadcastsTo(from: readonly Dim[], to: readonly Dim[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[off + i] || isSymbol(d) || isSymbol(to[off + i]!));
}

/**
 * The product of dims: a number, or a single symbol when every other factor is 1 (`[N, 1, 1]` -> N). Anything else
 * with a symbol (N*512) cannot be written as one dim: ShapeError naming `what`.
 */
export function productDim(n: NodeView, dims: readonly Dim[], what: string): Dim {
  let num = 1;
  const syms: string[] = [];
  for (const d of dims) {
    if (isSymbol(d)) syms.push(d);
    else num *= d;
  }
  if (syms.length === 0 || num === 0) return num;
  if (syms.length === 1 && num === 1) return syms[0]!;
  throw n.shapeError(
    `${what} is ${[...syms, ...(num === 1 ? [] : [num])].join('*')}, a product with a symbolic size that cannot be ` +
      'one dim; give the symbolic dims a number (e.g. a fixed batch size)',
  );
}
