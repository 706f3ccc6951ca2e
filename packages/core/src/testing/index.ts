/**
 * `@striate/core/testing`: the conformance suite. Every IR op over random and edge-case shapes, as small graphs with
 * seeded inputs, run on any backend and device against the reference backend with a tolerance per op and dtype.
 */
export { CaseContext, type ConformanceCase, defineCase } from './case.js';
export { CONFORMANCE_CASES } from './cases.js';
export { type Comparison, compareTensors } from './compare.js';
export { type DescribeConformanceOptions, describeConformance, type TestApi } from './describe.js';
export {
  type ConformanceOptions,
  type ConformanceResult,
  type ConformanceStatus,
  type KnownGap,
  knownGapOf,
  runCase,
  runConformance,
  selectCases,
} from './runner.js';
export { SqueezeNet11 } from './squeezenet.js';
export { FLOAT32_TOLERANCES, type Tolerance, toleranceFor } from './tolerance.js';
