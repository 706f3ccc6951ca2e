import type { Attrs } from '../graph.js';
import { type ConformanceCase, defineCase } from './case.js';

function pool(op: 'MaxPool' | 'AveragePool', id: string, x: readonly number[], attrs: Attrs): ConformanceCase {
  return defineCase(`${op}/${id}`, op, (c) => c.op1(op, [c.input(x)], attrs));
}

/** Pooling: ceil mode (PyTorch's rule for the last window), padding, dilation, count_include_pad, 1x1 maps. */
export const POOL_CASES: readonly ConformanceCase[] = Object.freeze([
  pool('MaxPool', '3x3 stride 2 pad 1', [1, 3, 8, 8], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
  pool('MaxPool', 'ceil mode 3x3 stride 2 on 8x8', [1, 2, 8, 8], {
    kernel_shape: [3, 3],
    strides: [2, 2],
    ceil_mode: 1,
  }),
  pool('MaxPool', 'ceil mode with pad on 7x10', [1, 2, 7, 10], {
    kernel_shape: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    ceil_mode: 1,
  }),
  pool('MaxPool', '2x2 stride 2 on odd 7x9', [2, 3, 7, 9], { kernel_shape: [2, 2], strides: [2, 2] }),
  pool('MaxPool', 'dilation 2', [1, 2, 9, 9], { kernel_shape: [3, 3], dilations: [2, 2] }),
  pool('MaxPool', '1x1 kernel on a 1x1 map', [1, 3, 1, 1], { kernel_shape: [1, 1] }),
  pool('MaxPool', 'negative inputs with pad (pad is -inf)', [1, 1, 4, 4], {
    kernel_shape: [2, 2],
    pads: [1, 1, 1, 1],
  }),
  pool('AveragePool', '3x3 pad 1, count_include_pad 0', [1, 3, 6, 7], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
  pool('AveragePool', '3x3 pad 1, count_include_pad 1', [1, 3, 6, 7], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
    count_include_pad: 1,
  }),
  pool('AveragePool', 'ceil mode 2x2 stride 2 on 5x7', [1, 2, 5, 7], {
    kernel_shape: [2, 2],
    strides: [2, 2],
    ceil_mode: 1,
  }),
  pool('AveragePool', 'ceil mode with pad, count_include_pad 1', [1, 2, 6, 6], {
    kernel_shape: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    ceil_mode: 1,
    count_include_pad: 1,
  }),
  pool('AveragePool', '2x2 stride 2', [2, 4, 8, 8], { kernel_shape: [2, 2], strides: [2, 2] }),
  defineCase('GlobalAveragePool/5x7', 'GlobalAveragePool', (c) => c.op1('GlobalAveragePool', [c.input([2, 3, 5, 7])])),
  defineCase('GlobalAveragePool/1x1 map', 'GlobalAveragePool', (c) =>
    c.op1('GlobalAveragePool', [c.input([1, 4, 1, 1])]),
  ),
  defineCase('GlobalMaxPool/5x7', 'GlobalMaxPool', (c) => c.op1('GlobalMaxPool', [c.input([2, 3, 5, 7])])),
  defineCase('GlobalMaxPool/1x1 map', 'GlobalMaxPool', (c) => c.op1('GlobalMaxPool', [c.input([1, 4, 1, 1])])),
]);
