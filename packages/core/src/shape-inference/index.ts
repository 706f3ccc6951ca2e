import { describeValue, UnsupportedOpError } from '../errors.js';
import type { Attrs, OpType, ValueInfo } from '../graph.js';
import { CONV_RULES } from './conv.js';
import { ELEMENTWISE_RULES } from './elementwise.js';
import { LINEAR_RULES } from './linear.js';
import { MAX_ROI_POOL_RULES } from './max-roi-pool.js';
import { NORM_RULES } from './norm.js';
import { POOL_RULES } from './pool.js';
import { RESHAPE_RULES } from './reshape.js';
import { RESIZE_RULES } from './resize.js';
import { ROI_ALIGN_RULES } from './roi-align.js';
import { SLICE_PAD_RULES } from './slice-pad.js';
import { TENSOR_RULES } from './tensor-ops.js';
import type { InferContext, InferredValue, ShapeRule } from './types.js';

export type { InferContext, InferredValue, ShapeRule } from './types.js';

/** One shape rule per op type (filled in by the files of this folder). */
const RULES: Partial<Record<OpType, ShapeRule>> = {
  ...CONV_RULES,
  ...POOL_RULES,
  ...NORM_RULES,
  ...ELEMENTWISE_RULES,
  ...LINEAR_RULES,
  ...RESHAPE_RULES,
  ...TENSOR_RULES,
  ...SLICE_PAD_RULES,
  ...RESIZE_RULES,
  ...ROI_ALIGN_RULES,
  ...MAX_ROI_POOL_RULES,
};

/** Whether shape inference has a rule for `op`. */
export function hasShapeRule(op: string): boolean {
  return Object.hasOwn(RULES, op);
}

/** Infers the dtypes and shapes of a node's outputs; throws ShapeError naming `ctx.path` on a bad configuration. */
export function inferNode(
  op: OpType,
  inputs: readonly (ValueInfo | null)[],
  attrs: Attrs,
  ctx: InferContext,
): InferredValue[] {
  const rule = Object.hasOwn(RULES, op) ? RULES[op] : undefined;
  if (!rule) throw new UnsupportedOpError(op, `${ctx.path}: no shape inference rule for op ${op}`);
  if (!Array.isArray(inputs)) throw new TypeError(`inputs: expected an array, got ${describeValue(inputs)}`);
  if (typeof attrs !== 'object' || attrs === null) {
    throw new TypeError(`attrs: expected an object, got ${describeValue(attrs)}`);
  }
  return rule(inputs, attrs, ctx);
}
