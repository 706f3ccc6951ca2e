import type { Attrs, OpType, ValueInfo } from '../graph.js';
import { UnsupportedOpError } from '../errors.js';
import type { InferContext, InferredValue, ShapeRule } from './types.js';

export type { InferContext, InferredValue, ShapeRule } from './types.js';

/** One shape rule per op type (filled in by the files of this folder). */
const RULES: Partial<Record<OpType, ShapeRule>> = {};

/** Infers the dtypes and shapes of a node's outputs; throws ShapeError naming `ctx.path` on a bad configuration. */
export function inferNode(
  op: OpType,
  inputs: readonly (ValueInfo | null)[],
  attrs: Attrs,
  ctx: InferContext,
): InferredValue[] {
  const rule = RULES[op];
  if (!rule) throw new UnsupportedOpError(op, `${ctx.path}: no shape inference rule for op ${op}`);
  return rule(inputs, attrs, ctx);
}
