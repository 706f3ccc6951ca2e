/**
 * The ONNX attribute types of the ops striate reads and writes, per op, as ONNX's operator schemas declare them
 * (so `epsilon: 1` is written as a FLOAT and `axis: 1` as an INT). One table, used by export and import.
 */
import type { ATTR_TYPE } from './proto.js';

export type AttrKind = keyof typeof ATTR_TYPE;

const { FLOAT, INT, STRING, TENSOR, FLOATS, INTS, STRINGS } = {
  FLOAT: 'FLOAT',
  INT: 'INT',
  STRING: 'STRING',
  TENSOR: 'TENSOR',
  FLOATS: 'FLOATS',
  INTS: 'INTS',
  STRINGS: 'STRINGS',
} as const;

const CONV = { auto_pad: STRING, dilations: INTS, group: INT, kernel_shape: INTS, pads: INTS, strides: INTS } as const;
const POOL = {
  auto_pad: STRING,
  ceil_mode: INT,
  dilations: INTS,
  kernel_shape: INTS,
  pads: INTS,
  strides: INTS,
} as const;

/** op -> attribute name -> ONNX attribute type. An op absent here has no attributes striate writes. */
export const ATTR_SCHEMA: Readonly<Record<string, Readonly<Record<string, AttrKind>>>> = {
  Conv: CONV,
  ConvTranspose: { ...CONV, output_padding: INTS, output_shape: INTS },
  BatchNormalization: { epsilon: FLOAT, momentum: FLOAT, training_mode: INT },
  LayerNormalization: { axis: INT, epsilon: FLOAT, stash_type: INT },
  Relu: {},
  LeakyRelu: { alpha: FLOAT },
  PRelu: {},
  Elu: { alpha: FLOAT },
  Sigmoid: {},
  Tanh: {},
  HardSigmoid: { alpha: FLOAT, beta: FLOAT },
  HardSwish: {},
  Gelu: { approximate: STRING },
  Softmax: { axis: INT },
  MaxPool: { ...POOL, storage_order: INT },
  AveragePool: { ...POOL, count_include_pad: INT },
  GlobalAveragePool: {},
  GlobalMaxPool: {},
  Gemm: { alpha: FLOAT, beta: FLOAT, transA: INT, transB: INT },
  MatMul: {},
  Add: {},
  Sub: {},
  Mul: {},
  Div: {},
  Erf: {},
  Concat: { axis: INT },
  Reshape: { allowzero: INT },
  Flatten: { axis: INT },
  Transpose: { perm: INTS },
  Resize: {
    antialias: INT,
    axes: INTS,
    coordinate_transformation_mode: STRING,
    cubic_coeff_a: FLOAT,
    exclude_outside: INT,
    extrapolation_value: FLOAT,
    keep_aspect_ratio_policy: STRING,
    mode: STRING,
    nearest_mode: STRING,
  },
  Pad: { mode: STRING },
  Slice: {},
  Split: { axis: INT, num_outputs: INT },
  Dropout: { seed: INT },
  Identity: {},
  Clip: {},
  Constant: {
    value: TENSOR,
    value_float: FLOAT,
    value_floats: FLOATS,
    value_int: INT,
    value_ints: INTS,
    value_string: STRING,
    value_strings: STRINGS,
  },
  ReduceMean: { axes: INTS, keepdims: INT, noop_with_empty_axes: INT },
  RoiAlign: {
    coordinate_transformation_mode: STRING,
    mode: STRING,
    output_height: INT,
    output_width: INT,
    sampling_ratio: INT,
    spatial_scale: FLOAT,
  },
  MaxRoiPool: { pooled_shape: INTS, spatial_scale: FLOAT },
};
