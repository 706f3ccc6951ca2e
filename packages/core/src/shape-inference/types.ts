import type { DType } from '../dtype.js';
import type { Attrs, Dim, ValueInfo } from '../graph.js';
import type { Tensor } from '../tensor.js';

export interface InferContext {
  /** The node's name (module path), used in error messages. */
  readonly path: string;
  /** Constant data of a value that is an initializer (for shape operands such as Reshape's `shape`). */
  constantOf(valueName: string): Tensor | undefined;
}

export interface InferredValue {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** Inputs are null where an optional input is omitted. */
export type ShapeRule = (inputs: readonly (ValueInfo | null)[], attrs: Attrs, ctx: InferContext) => InferredValue[];
