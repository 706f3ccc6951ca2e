import type { DType } from './dtype.js';
import type { Tensor } from './tensor.js';

/**
 * The graph IR: a DAG of nodes whose op types, attribute names and semantics are ONNX's (opset 17), so that
 * `@striate/onnx` maps it one to one. Values are named; an empty input name marks an omitted optional input, as in
 * ONNX. Shape-like operands (Reshape's shape, Resize's scales/sizes, Pad's pads, Slice's starts/ends/axes/steps,
 * Split's split) are int64/float32 initializers, also as in ONNX.
 */

/** A dimension: a size, or a symbol (e.g. 'N' for the batch) that is bound when the graph runs. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** Attribute values: ints/floats are numbers, ints/floats lists are number arrays; tensors for Constant. */
export type AttrValue = number | string | readonly number[] | readonly string[] | Tensor;

export type Attrs = Readonly<Record<string, AttrValue>>;

/** The op types of the IR. Each follows the ONNX operator of the same name. */
export const OP_TYPES = [
  'Conv',
  'ConvTranspose',
  'BatchNormalization',
  'LayerNormalization',
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Elu',
  'Sigmoid',
  'Tanh',
  'HardSigmoid',
  'HardSwish',
  'Gelu',
  'Softmax',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'Gemm',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Concat',
  'Reshape',
  'Flatten',
  'Transpose',
  'Resize',
  'Pad',
  'Slice',
  'Split',
  'Dropout',
  'Identity',
  'Clip',
  'Constant',
  'ReduceMean',
  'RoiAlign',
  'MaxRoiPool',
] as const;

export type OpType = (typeof OP_TYPES)[number];

export interface GraphNode {
  readonly op: OpType;
  /** Unique node name; for nodes recorded by a Module, the module path plus a suffix (`layer1.0.conv1`). */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attrs;
}

/** A complete graph. Nodes are in topological order. */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly GraphNode[];
  /** Weights and constant operands, by value name. */
  readonly initializers: ReadonlyMap<string, Tensor>;
  /** Inferred type and shape of every value (inputs, outputs, intermediates, initializers). */
  readonly values: ReadonlyMap<string, ValueInfo>;
}
