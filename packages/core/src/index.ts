export type { Backend, CompiledModel, CompileOptions, DeviceInfo } from './backend.js';
export { BOX_FORMATS, type BoxFormat, boxConvert } from './box-convert.js';
export { type BoxIouEpsOptions, boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './box-iou.js';
export { type BoxesLike, type BoxesResult, boxArea, clipBoxes, type PairwiseResult } from './boxes.js';
export {
  type AxisPadding,
  type ConvSizeArgs,
  type ConvSizeOptions,
  type ConvTransposeSizeArgs,
  type ConvTransposeSizeOptions,
  convOutputSize,
  convTransposeOutputSize,
  type PoolSizeArgs,
  type PoolSizeOptions,
  poolOutputSize,
} from './conv-shape.js';
export {
  type AnyTypedArray,
  allocate,
  assertDType,
  DTYPE_BYTES,
  DTYPES,
  type DType,
  type DTypeStorage,
  dtypeOfArray,
  isDType,
  isFloatDType,
  isIntDType,
  type TypedArrayFor,
  viewOf,
} from './dtype.js';
export {
  DataError,
  DTypeError,
  describeValue,
  ShapeError,
  StateDictError,
  StriateError,
  UnsupportedOpError,
} from './errors.js';
export {
  bfloat16ToFloat32Array,
  float16BitsToFloat32,
  float16ToFloat32Array,
  float32ToBfloat16Array,
  float32ToFloat16Array,
  float32ToFloat16Bits,
} from './float16.js';
export type { Attrs, AttrValue, Dim, Graph, GraphNode, OpType, ValueInfo } from './graph.js';
export { OP_TYPES } from './graph.js';
export { GraphBuilder, type OpOptions, type Value } from './graph-builder.js';
export * as init from './init.js';
export { calculateGain, fanInFanOut, kaimingNormal, kaimingUniform, xavierNormal, xavierUniform } from './init.js';
export { type MasksToBoxesOptions, masksToBoxes } from './masks-to-boxes.js';
export {
  ELU,
  GELU,
  Hardsigmoid,
  Hardswish,
  LeakyReLU,
  PReLU,
  ReLU,
  Sigmoid,
  SiLU,
  Softmax,
  Tanh,
} from './module/activation.js';
export { ModuleList, Sequential } from './module/container.js';
export {
  Conv2d,
  type Conv2dOptions,
  ConvTranspose2d,
  type ConvTranspose2dOptions,
  type PaddingMode,
} from './module/conv.js';
export { Dropout } from './module/dropout.js';
export { Flatten } from './module/flatten.js';
export * as functional from './module/functional.js';
export { Identity, Linear, type LinearOptions } from './module/linear.js';
export { Module } from './module/module.js';
export { BatchNorm2d, type BatchNorm2dOptions, LayerNorm, type LayerNormOptions } from './module/norm.js';
export { Parameter } from './module/parameter.js';
export {
  AdaptiveAvgPool2d,
  type AdaptiveSize,
  AvgPool2d,
  type AvgPool2dOptions,
  MaxPool2d,
  type MaxPool2dOptions,
} from './module/pool.js';
export { type InitOptions, manualSeed } from './module/random.js';
export type { LoadStateDictOptions, LoadStateDictResult, StateDictInput } from './module/state-dict.js';
export type { ForwardOutput, InputSpec, ToGraphOptions, TraceMode } from './module/trace.js';
export { type InterpolateMode, type InterpolateOptions, Upsample } from './module/upsample.js';
export { referenceBackend, referenceKernels } from './reference/backend.js';
export { nnKernels } from './reference/kernels-nn.js';
export type { Kernel } from './reference/types.js';
export { Rng, type RngState, type Shuffleable } from './rng.js';
export { SAFETENSORS_DTYPES, type SafetensorsDType, type SafetensorsFile } from './safetensors.js';
export { type ReadSafetensorsOptions, readSafetensors } from './safetensors-read.js';
export { type WriteSafetensorsOptions, writeSafetensors } from './safetensors-write.js';
export {
  assertShape,
  broadcastShapes,
  formatShape,
  resolveReshape,
  type Shape,
  shapeSize,
  shapesEqual,
  stridesOf,
} from './shape.js';
export type { InferContext, InferredValue, ShapeRule } from './shape-inference/index.js';
export { hasShapeRule, inferNode } from './shape-inference/index.js';
export { fromNumbers, full, Tensor, tensor, toNumberArray, zeros } from './tensor.js';
