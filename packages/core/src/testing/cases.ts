import type { ConformanceCase } from './case.js';
import { CONV_CASES } from './cases-conv.js';
import { ELEMENTWISE_CASES } from './cases-elementwise.js';
import { LINEAR_CASES } from './cases-linear.js';
import { MAX_ROI_POOL_CASES } from './cases-max-roi-pool.js';
import { POOL_CASES } from './cases-pool.js';
import { ROI_ALIGN_CASES } from './cases-roi-align.js';
import { TENSOR_CASES } from './cases-tensor.js';

/** Every conformance case, grouped by op family. Every IR op has at least one (a test checks). */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = Object.freeze([
  ...CONV_CASES,
  ...POOL_CASES,
  ...ELEMENTWISE_CASES,
  ...LINEAR_CASES,
  ...TENSOR_CASES,
  ...ROI_ALIGN_CASES,
  ...MAX_ROI_POOL_CASES,
]);
