export type { Backend, CompiledModel, CompileOptions, DeviceInfo } from './backend.js';
export {
  allocate,
  type AnyTypedArray,
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
export type { AttrValue, Attrs, Dim, Graph, GraphNode, OpType, ValueInfo } from './graph.js';
export { OP_TYPES } from './graph.js';
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
export { fromNumbers, full, Tensor, tensor, toNumberArray, zeros } from './tensor.js';
// --- modules added by parallel work; keep one line each, sorted by file ---
