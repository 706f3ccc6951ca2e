import { type ConformanceCase, defineCase } from './case.js';

/** Gemm, MatMul, BatchNormalization, LayerNormalization, ReduceMean. */
export const LINEAR_CASES: readonly ConformanceCase[] = Object.freeze([
  defineCase('Gemm/A B C', 'Gemm', (c) => c.op1('Gemm', [c.input([3, 5]), c.weight([5, 4]), c.weight([4])])),
  defineCase('Gemm/transB, alpha 0.5, beta 2 (Linear)', 'Gemm', (c) =>
    c.op1('Gemm', [c.input([2, 6]), c.weight([3, 6]), c.weight([3])], { transB: 1, alpha: 0.5, beta: 2 }),
  ),
  defineCase('Gemm/transA, C broadcast from [1]', 'Gemm', (c) =>
    c.op1('Gemm', [c.input([5, 3]), c.weight([5, 4]), c.weight([1])], { transA: 1 }),
  ),
  defineCase('Gemm/no C, 1x1', 'Gemm', (c) => c.op1('Gemm', [c.input([1, 1]), c.weight([1, 1])])),
  defineCase('MatMul/2-D', 'MatMul', (c) => c.op1('MatMul', [c.input([3, 7]), c.input([7, 4])])),
  defineCase('MatMul/batched 3-D', 'MatMul', (c) => c.op1('MatMul', [c.input([2, 3, 4]), c.input([2, 4, 5])])),
  defineCase('MatMul/batch broadcast [2,1,3,4] x [3,4,2]', 'MatMul', (c) =>
    c.op1('MatMul', [c.input([2, 1, 3, 4]), c.input([3, 4, 2])]),
  ),
  defineCase('MatMul/1-D x 2-D', 'MatMul', (c) => c.op1('MatMul', [c.input([4]), c.input([4, 3])])),
  defineCase('BatchNormalization/NCHW', 'BatchNormalization', (c) =>
    c.op1('BatchNormalization', [
      c.input([2, 3, 5, 5]),
      c.weight([3]),
      c.weight([3]),
      c.weight([3]),
      c.weight([3], [0.5, 2]),
    ]),
  ),
  defineCase('BatchNormalization/epsilon 1e-3 on a 1x1 map', 'BatchNormalization', (c) =>
    c.op1(
      'BatchNormalization',
      [c.input([1, 4, 1, 1]), c.weight([4]), c.weight([4]), c.weight([4]), c.weight([4], [0.01, 1])],
      { epsilon: 1e-3 },
    ),
  ),
  defineCase('LayerNormalization/last axis', 'LayerNormalization', (c) =>
    c.op1('LayerNormalization', [c.input([2, 5, 8]), c.weight([8]), c.weight([8])]),
  ),
  defineCase('LayerNormalization/axis 1, no bias', 'LayerNormalization', (c) =>
    c.op1('LayerNormalization', [c.input([2, 3, 4]), c.weight([3, 4])], { axis: 1, epsilon: 1e-3 }),
  ),
  defineCase('ReduceMean/spatial axes, keepdims', 'ReduceMean', (c) =>
    c.op1('ReduceMean', [c.input([2, 3, 4, 5])], { axes: [2, 3] }),
  ),
  defineCase('ReduceMean/negative axis, keepdims 0', 'ReduceMean', (c) =>
    c.op1('ReduceMean', [c.input([2, 3, 7])], { axes: [-1], keepdims: 0 }),
  ),
  defineCase('ReduceMean/all axes', 'ReduceMean', (c) => c.op1('ReduceMean', [c.input([3, 4])])),
]);
