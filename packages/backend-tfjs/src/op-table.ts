import { OP_TYPES, type OpType } from '@striate/core';
import type { OpDef } from './internal/op-types.js';
import { convOps } from './ops/conv.js';
import { elementwiseOps } from './ops/elementwise.js';
import { maxRoiPoolOps } from './ops/max-roi-pool.js';
import { normOps } from './ops/norm.js';
import { poolOps } from './ops/pool.js';
import { resizeOps } from './ops/resize.js';
import { roiAlignOps } from './ops/roi-align.js';
import { tensorOps } from './ops/tensor.js';

/** Every IR op, by type, to its tfjs implementation: one table, as onnxruntime maps ops to kernels. */
export const TFJS_OPS: Readonly<Partial<Record<OpType, OpDef>>> = Object.freeze({
  ...elementwiseOps,
  ...convOps,
  ...poolOps,
  ...normOps,
  ...tensorOps,
  ...resizeOps,
  ...roiAlignOps,
  ...maxRoiPoolOps,
});

/** IR op types this backend has no implementation for (empty when every op is covered). */
export const MISSING_OPS: readonly OpType[] = Object.freeze(OP_TYPES.filter((op) => !TFJS_OPS[op]));
