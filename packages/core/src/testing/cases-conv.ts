import type { Attrs } from '../graph.js';
import { type ConformanceCase, defineCase } from './case.js';

function conv(id: string, x: readonly number[], w: readonly number[], attrs: Attrs, bias = true): ConformanceCase {
  return defineCase(`Conv/${id}`, 'Conv', (c) =>
    c.op1('Conv', [c.input(x), c.weight(w), bias ? c.weight([w[0]!]) : null], { kernel_shape: w.slice(2), ...attrs }),
  );
}

function convT(id: string, x: readonly number[], w: readonly number[], attrs: Attrs, bias = true): ConformanceCase {
  const group = typeof attrs.group === 'number' ? attrs.group : 1;
  return defineCase(`ConvTranspose/${id}`, 'ConvTranspose', (c) =>
    c.op1('ConvTranspose', [c.input(x), c.weight(w), bias ? c.weight([w[1]! * group]) : null], {
      kernel_shape: w.slice(2),
      ...attrs,
    }),
  );
}

/** Conv and ConvTranspose: 1x1 maps, odd sizes, groups, depthwise, dilation, padding larger than the kernel. */
export const CONV_CASES: readonly ConformanceCase[] = Object.freeze([
  conv('3x3 pad 1', [1, 3, 8, 8], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('1x1 kernel on a 1x1 map', [2, 4, 1, 1], [3, 4, 1, 1], {}),
  conv('3x3 kernel pad 1 on a 1x1 map', [1, 2, 1, 1], [3, 2, 3, 3], { pads: [1, 1, 1, 1] }),
  conv('odd sizes 7x9, kernel 3x2, stride 2, asymmetric pads', [2, 3, 7, 9], [5, 3, 3, 2], {
    strides: [2, 2],
    pads: [1, 0, 1, 1],
  }),
  conv('groups 2', [1, 4, 6, 6], [6, 2, 3, 3], { group: 2, pads: [1, 1, 1, 1] }),
  conv('depthwise 3x3', [1, 4, 7, 7], [4, 1, 3, 3], { group: 4, pads: [1, 1, 1, 1] }),
  conv('depthwise, channel multiplier 2, stride 2', [1, 3, 9, 8], [6, 1, 3, 3], {
    group: 3,
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }),
  conv('dilation 2', [1, 2, 9, 9], [3, 2, 3, 3], { dilations: [2, 2], pads: [2, 2, 2, 2] }),
  conv('dilation 2x1, stride 1x2', [1, 2, 8, 10], [3, 2, 3, 3], { dilations: [2, 1], strides: [1, 2] }),
  conv('padding larger than the kernel', [1, 2, 4, 5], [2, 2, 2, 2], { pads: [3, 3, 3, 3] }),
  conv('no bias, 5x5 kernel', [1, 3, 11, 11], [4, 3, 5, 5], { pads: [2, 2, 2, 2] }, false),
  conv('batch 3, 16 channels', [3, 16, 5, 5], [8, 16, 3, 3], { pads: [1, 1, 1, 1] }),
  convT('stride 2, pad 1, output_padding 1', [1, 3, 4, 5], [3, 2, 3, 3], {
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    output_padding: [1, 1],
  }),
  convT('groups 2', [1, 4, 3, 3], [4, 3, 3, 3], { group: 2, strides: [2, 2] }),
  convT('dilation 2', [1, 2, 4, 4], [2, 3, 3, 3], { dilations: [2, 2] }),
  convT('1x1 map', [2, 3, 1, 1], [3, 4, 2, 2], {}),
  convT('no bias, stride 1, kernel 4x2', [1, 2, 5, 3], [2, 2, 4, 2], { pads: [1, 0, 2, 1] }, false),
  // LeNet-5's second conv: onnxruntime-node 1.30's WebGPU Conv reads the wrong channels when in_channels is a
  // multiple of 3 but not of 4 and out_channels a multiple of 4 (MNIST top-1 0.512 instead of 0.988).
  conv('6 to 16 channels, 5x5 (in a multiple of 3, not of 4)', [2, 6, 14, 14], [16, 6, 5, 5], {}),
  conv('9 to 8 channels, 3x3 pad 1, stride 2 (in a multiple of 3, not of 4)', [1, 9, 7, 8], [8, 9, 3, 3], {
    strides: [2, 2],
    pads: [1, 1, 1, 1],
  }),
]);
