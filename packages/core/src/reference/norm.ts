import { ShapeError, UnsupportedOpError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { broadcastIndex } from './broadcast-index.js';
import { floatAttr, floatInput, intAttr, normalizeAxis, optionalFloatInput, where } from './kernel-args.js';
import type { Kernel } from './types.js';

/**
 * ONNX BatchNormalization in inference form: X [N, C, ...], scale, B, input_mean, input_var [C];
 * Y = (X - mean) / sqrt(var + epsilon) * scale + B, computed in float64.
 */
export const batchNormalization: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X');
  if (x.rank < 2)
    throw new ShapeError(`${where(node)}: X: expected rank >= 2 (N, C, ...), got ${formatShape(x.shape)}`);
  if (intAttr(node, 'training_mode', 0) !== 0 || node.outputs.slice(1).some((o) => o !== '')) {
    throw new UnsupportedOpError(node.op, `${where(node)}: only the inference form (training_mode 0, one output)`);
  }
  const eps = floatAttr(node, 'epsilon', 1e-5);
  const c = x.shape[1]!;
  const params = ['scale', 'B', 'input_mean', 'input_var'].map((label, i) => {
    const t = floatInput(inputs, i + 1, node, label, 1);
    if (t.shape[0] !== c) {
      throw new ShapeError(
        `${where(node)}: ${label}: expected shape [${c}] (X's channels), got ${formatShape(t.shape)}`,
      );
    }
    return t.data;
  });
  const [scale, shift, mean, variance] = params as [Float32Array, Float32Array, Float32Array, Float32Array];
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const y = new Float32Array(x.size);
  const xd = x.data;
  let o = 0;
  for (let b = 0; b < x.shape[0]!; b++) {
    for (let ch = 0; ch < c; ch++) {
      const mu = mean[ch]!;
      const k = scale[ch]! / Math.sqrt(variance[ch]! + eps);
      const beta = shift[ch]!;
      for (let i = 0; i < inner; i++, o++) y[o] = (xd[o]! - mu) * k + beta;
    }
  }
  return [new Tensor('float32', x.shape, y)];
};

/**
 * ONNX LayerNormalization: normalizes over the dims from `axis` (default -1) to the end with the population
 * variance, then applies Scale and B (broadcast to those dims). Optional outputs Mean and InvStdDev have X's
 * leading dims and 1 for the normalized ones. float64 throughout.
 */
export const layerNormalization: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X');
  if (x.rank < 1) throw new ShapeError(`${where(node)}: X: expected rank >= 1, got a scalar`);
  const axis = normalizeAxis(node, 'axis', intAttr(node, 'axis', -1), x.rank);
  const eps = floatAttr(node, 'epsilon', 1e-5);
  const normShape = x.shape.slice(axis);
  const scale = floatInput(inputs, 1, node, 'Scale');
  const bias = optionalFloatInput(inputs, 2, node, 'B');
  const scaleIdx = broadcastIndex(scale.shape, normShape, `${where(node)}: Scale`);
  const biasIdx = bias ? broadcastIndex(bias.shape, normShape, `${where(node)}: B`) : null;
  const inner = normShape.reduce((a, b) => a * b, 1);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const y = new Float32Array(x.size);
  const means = new Float32Array(outer);
  const invStd = new Float32Array(outer);
  const xd = x.data;
  const sd = scale.data;
  const bd = bias?.data;
  for (let r = 0; r < outer; r++) {
    const base = r * inner;
    let sum = 0;
    for (let i = 0; i < inner; i++) sum += xd[base + i]!;
    const mu = sum / inner;
    let sq = 0;
    for (let i = 0; i < inner; i++) {
      const dev = xd[base + i]! - mu;
      sq += dev * dev;
    }
    const k = 1 / Math.sqrt(sq / inner + eps);
    means[r] = mu;
    invStd[r] = k;
    for (let i = 0; i < inner; i++) {
      const v = (xd[base + i]! - mu) * k * sd[scaleIdx[i]!]!;
      y[base + i] = bd && biasIdx ? v + bd[biasIdx[i]!]! : v;
    }
  }
  const statShape = [...x.shape.slice(0, axis), ...normShape.map(() => 1)];
  return [
    new Tensor('float32', x.shape, y),
    new Tensor('float32', statShape, means),
    new Tensor('float32', statShape, invStd),
  ];
};
