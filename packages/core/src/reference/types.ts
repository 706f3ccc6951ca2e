import type { Attrs, GraphNode } from '../graph.js';
import type { Tensor } from '../tensor.js';

/**
 * A reference kernel: computes a node's outputs from its input tensors (null for an omitted optional input).
 * Kernels are plain functions over typed arrays, accumulating in float64 where it matters; they are the oracle the
 * other backends are tested against.
 */
export type Kernel = (inputs: readonly (Tensor | null)[], attrs: Attrs, node: GraphNode) => Tensor[];
