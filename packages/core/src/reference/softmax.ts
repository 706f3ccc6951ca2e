import { Tensor } from '../tensor.js';
import { floatInput, intAttr, normalizeAxis, where } from './kernel-args.js';
import type { Kernel } from './types.js';

/**
 * ONNX Softmax (opset 13): exp(x - max) / sum along `axis` (default -1), in float64. A slice that is all -Infinity
 * gives NaN and a NaN in a slice makes it all NaN, as in PyTorch.
 */
export const softmax: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'input');
  if (x.rank === 0) throw new RangeError(`${where(node)}: input: expected rank >= 1, got a scalar`);
  const axis = normalizeAxis(node, 'axis', intAttr(node, 'axis', -1), x.rank);
  const len = x.shape[axis]!;
  const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const xd = x.data;
  const y = new Float32Array(x.size);
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < len; j++) {
        const v = xd[base + j * inner]!;
        if (v > max || Number.isNaN(v)) max = v;
        if (Number.isNaN(max)) break;
      }
      let sum = 0;
      for (let j = 0; j < len; j++) {
        e[j] = Math.exp(xd[base + j * inner]! - max);
        sum += e[j]!;
      }
      for (let j = 0; j < len; j++) y[base + j * inner] = e[j]! / sum;
    }
  }
  return [new Tensor('float32', x.shape, y)];
};
