/**
 * Converters for the ops that run: IR ops taken as they are (with the attributes the IR knows), and the forms of
 * older opsets rewritten into opset 17's (Upsample -> Resize, attribute operands of Pad/Clip -> inputs, Softmax
 * before opset 13 -> Reshape + Softmax + Reshape when the axis is not the last).
 */
import type { AttrValue, OpType } from '@striate/core';
import { numbersOf, tensorOf } from './fold.js';
import {
  constIn,
  emit1,
  input,
  intAttr,
  intsAttr,
  intsOf,
  type NodeCtx,
  pick,
  requireConst,
  temp,
  unsupported,
} from './import-attrs.js';
import type { Converter } from './import-ops-shape.js';
import { int64Tensor, scalarF32 } from './tensor-proto.js';

/** An IR op with the same inputs, keeping the attributes in `keys`. */
const same =
  (keys: readonly string[] = [], maxInputs = 8): Converter =>
  (c) => {
    emit1(c, c.op as OpType, c.inputs.slice(0, maxInputs), pick(c, keys));
  };

const CONV_KEYS = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];
const POOL_KEYS = ['auto_pad', 'ceil_mode', 'dilations', 'kernel_shape', 'pads', 'strides'];

const maxPool: Converter = (c) => {
  if ((c.outputs[1] ?? '') !== '') throw unsupported(c, 'the Indices output is not an IR op output');
  emit1(c, 'MaxPool', [input(c, 0)], pick(c, POOL_KEYS));
};

const batchNorm: Converter = (c) => {
  if (intAttr(c, 'spatial', 1) !== 1) throw unsupported(c, 'spatial=0 (per-activation statistics)');
  if (intAttr(c, 'training_mode', 0) !== 0) throw unsupported(c, 'training_mode=1');
  emit1(c, 'BatchNormalization', c.inputs.slice(0, 5), pick(c, ['epsilon']));
};

const softmax: Converter = (c) => {
  const x = input(c, 0);
  const rank = c.imp.info(x, c.where).shape.length;
  const axisAttr = intAttr(c, 'axis', c.opset < 13 ? 1 : -1);
  const axis = axisAttr < 0 ? axisAttr + rank : axisAttr;
  if (c.opset >= 13 || axis === rank - 1) return void emit1(c, 'Softmax', [x], { axis: c.opset >= 13 ? axisAttr : -1 });
  // Before opset 13, Softmax flattens the input to 2-D at `axis` and normalizes each row.
  const shape = c.imp.staticShape(x, c.where);
  if (!shape) throw unsupported(c, `axis ${axisAttr} is not the last and the input shape is symbolic`);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  const flat = emit1(c, 'Reshape', [x, int64Tensor([outer, inner])], {}, temp(c, 'flat'));
  const normed = emit1(c, 'Softmax', [flat], { axis: 1 }, temp(c, 'softmax'));
  emit1(c, 'Reshape', [normed, int64Tensor(shape)]);
};

const pad: Converter = (c) => {
  const mode = (c.attrs.mode as string | undefined) ?? 'constant';
  if (!['constant', 'reflect', 'edge'].includes(mode)) throw unsupported(c, `mode ${JSON.stringify(mode)}`);
  const x = input(c, 0);
  if (c.opset < 11) {
    const pads = intsAttr(c, 'pads') ?? intsAttr(c, 'paddings') ?? [];
    const value = (c.attrs.value as number | undefined) ?? 0;
    return void emit1(c, 'Pad', [x, int64Tensor(pads), value === 0 ? null : scalarF32(value)], { mode });
  }
  let pads = intsOf(requireConst(c, 1, 'pads'));
  const axesT = constIn(c, 3);
  if (input(c, 3) !== '') {
    if (!axesT) throw unsupported(c, 'axes computed at run time');
    const rank = c.imp.info(x, c.where).shape.length;
    const full = new Array<number>(2 * rank).fill(0);
    intsOf(axesT).forEach((a, i) => {
      const ax = a < 0 ? a + rank : a;
      full[ax] = pads[i]!;
      full[ax + rank] = pads[i + pads.length / 2]!;
    });
    pads = full;
  }
  const value = input(c, 2);
  const constValue = constIn(c, 2);
  const valueIn = value === '' || (constValue && numbersOf(constValue)[0] === 0) ? null : value;
  emit1(c, 'Pad', [x, int64Tensor(pads), valueIn], { mode });
};

const clip: Converter = (c) => {
  if (c.opset >= 11) return void emit1(c, 'Clip', c.inputs.slice(0, 3));
  const min = c.attrs.min as number | undefined;
  const max = c.attrs.max as number | undefined;
  emit1(c, 'Clip', [input(c, 0), min === undefined ? null : scalarF32(min), max === undefined ? null : scalarF32(max)]);
};

const RESIZE_KEYS = ['mode', 'coordinate_transformation_mode', 'nearest_mode', 'cubic_coeff_a', 'exclude_outside'];

/** Resize before opset 11 and Upsample: asymmetric coordinates, nearest = floor when upsampling (ORT's rule). */
function legacyResize(c: NodeCtx, scales: number[]): void {
  const mode = (c.attrs.mode as string | undefined) ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') throw unsupported(c, `mode ${mode}`);
  const attrs: Record<string, AttrValue> = {
    mode: mode === 'bilinear' ? 'linear' : mode,
    coordinate_transformation_mode: 'asymmetric',
  };
  if (mode === 'nearest') {
    if (scales.some((s) => s < 1)) throw unsupported(c, 'nearest downsampling with the legacy rounding');
    attrs.nearest_mode = 'floor';
  }
  emit1(c, 'Resize', [input(c, 0), null, tensorOf('float32', [scales.length], scales, c.where)], attrs);
}

const upsample: Converter = (c) => {
  const scales = c.opset < 9 ? (c.attrs.scales as number[] | undefined) : numbersOf(requireConst(c, 1, 'scales'));
  if (!scales) throw unsupported(c, 'no scales');
  legacyResize(c, scales);
};

const resize: Converter = (c) => {
  if (c.opset < 11) return legacyResize(c, numbersOf(requireConst(c, 1, 'scales')));
  const coord = (c.attrs.coordinate_transformation_mode as string | undefined) ?? 'half_pixel';
  if (coord === 'tf_crop_and_resize') throw unsupported(c, 'coordinate_transformation_mode tf_crop_and_resize');
  if (intAttr(c, 'antialias', 0) !== 0 || c.attrs.axes !== undefined) throw unsupported(c, 'antialias or axes');
  // Empty roi/scales tensors mean "absent", as exporters write them.
  const operand = (i: number): string | null => {
    const name = input(c, i);
    const k = constIn(c, i);
    return name === '' || (k && k.size === 0) ? null : name;
  };
  const attrs = pick(c, RESIZE_KEYS);
  if (attrs.mode !== 'cubic') {
    delete attrs.cubic_coeff_a;
    delete attrs.exclude_outside;
  }
  emit1(c, 'Resize', [input(c, 0), null, operand(2), operand(3)], attrs);
};

const reduceMean: Converter = (c) => {
  let axes = intsAttr(c, 'axes');
  if (c.opset >= 18 && input(c, 1) !== '') axes = intsOf(requireConst(c, 1, 'axes'));
  if (!axes && intAttr(c, 'noop_with_empty_axes', 0) === 1) return void emit1(c, 'Identity', [input(c, 0)]);
  emit1(c, 'ReduceMean', [input(c, 0)], { axes, keepdims: intAttr(c, 'keepdims', 1) });
};

const dropout: Converter = (c) => {
  if ((c.outputs[1] ?? '') !== '') throw unsupported(c, 'the mask output is not an IR op output');
  emit1(c, 'Dropout', [input(c, 0)]);
};

/** RoiAlign before opset 16 had no coordinate_transformation_mode and behaved as 'output_half_pixel'. */
const roiAlign: Converter = (c) => {
  const attrs = pick(c, ['mode', 'output_height', 'output_width', 'sampling_ratio', 'spatial_scale']);
  attrs.coordinate_transformation_mode =
    c.opset < 16
      ? 'output_half_pixel'
      : ((c.attrs.coordinate_transformation_mode as string | undefined) ?? 'half_pixel');
  emit1(c, 'RoiAlign', c.inputs.slice(0, 3), attrs);
};

export const NN_CONVERTERS: Readonly<Record<string, Converter>> = {
  Conv: same(CONV_KEYS, 3),
  ConvTranspose: same([...CONV_KEYS, 'output_padding', 'output_shape'], 3),
  BatchNormalization: batchNorm,
  LayerNormalization: same(['axis', 'epsilon'], 3),
  Relu: same([], 1),
  LeakyRelu: same(['alpha'], 1),
  PRelu: same([], 2),
  Elu: same(['alpha'], 1),
  Sigmoid: same([], 1),
  Tanh: same([], 1),
  HardSigmoid: same(['alpha', 'beta'], 1),
  HardSwish: same([], 1),
  Gelu: same(['approximate'], 1),
  Softmax: softmax,
  MaxPool: maxPool,
  AveragePool: same([...POOL_KEYS, 'count_include_pad'], 1),
  GlobalAveragePool: same([], 1),
  GlobalMaxPool: same([], 1),
  Gemm: same(['alpha', 'beta', 'transA', 'transB'], 3),
  MatMul: same([], 2),
  Pad: pad,
  Clip: clip,
  Resize: resize,
  Upsample: upsample,
  ReduceMean: reduceMean,
  Dropout: dropout,
  RoiAlign: roiAlign,
  MaxRoiPool: same(['pooled_shape', 'spatial_scale'], 2),
};
