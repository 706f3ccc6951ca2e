/**
 * FLOPs of a traced graph as torchvision and fvcore count them: 2 x the multiply-adds of Conv, ConvTranspose, Gemm
 * and MatMul (element-wise ops, pooling and normalization are not counted).
 */
import { type Dim, describeValue, formatShape, type Graph, ShapeError } from '@striate/core';

/** Per-op totals and their sum. */
export interface FlopCount {
  readonly total: number;
  readonly byOp: Readonly<Record<string, number>>;
}

function resolver(graph: Graph, inputShape?: readonly number[]): (d: Dim, where: string) => number {
  const symbols = new Map<string, number>();
  const input = graph.inputs[0];
  if (inputShape !== undefined) {
    if (!Array.isArray(inputShape) || !input || inputShape.length !== input.shape.length) {
      throw new RangeError(
        `countFlops: inputShape: expected ${input ? input.shape.length : 0} dims matching input ${input ? formatShape(input.shape) : '(none)'}, got ${describeValue(inputShape)}`,
      );
    }
    input.shape.forEach((d, i) => {
      const v = inputShape[i]!;
      if (typeof d === 'string') symbols.set(d, v);
      else if (d !== v) {
        throw new RangeError(`countFlops: inputShape[${i}]: the graph was traced with ${d}, got ${v}`);
      }
    });
  }
  return (d, where) => {
    if (typeof d === 'number') return d;
    const v = symbols.get(d);
    if (v === undefined)
      throw new ShapeError(`countFlops: ${where}: symbolic dim '${d}' has no value; pass inputShape`);
    return v;
  };
}

/** Counts the FLOPs of `graph`, with symbolic input dims (e.g. 'N') taken from `inputShape`. */
export function countFlops(graph: Graph, inputShape?: readonly number[]): FlopCount {
  const dim = resolver(graph, inputShape);
  const shapeOf = (name: string, node: string): number[] => {
    const info = graph.values.get(name);
    if (!info) throw new ShapeError(`countFlops: ${node}: value '${name}' has no inferred shape`);
    return info.shape.map((d) => dim(d, node));
  };
  const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
  const byOp: Record<string, number> = {};
  let total = 0;
  for (const node of graph.nodes) {
    let macs = 0;
    if (node.op === 'Conv') {
      const w = shapeOf(node.inputs[1]!, node.name);
      macs = prod(shapeOf(node.outputs[0]!, node.name)) * prod(w.slice(1));
    } else if (node.op === 'ConvTranspose') {
      const w = shapeOf(node.inputs[1]!, node.name);
      macs = prod(shapeOf(node.inputs[0]!, node.name)) * prod(w.slice(1));
    } else if (node.op === 'Gemm') {
      const a = shapeOf(node.inputs[0]!, node.name);
      const k = node.attrs.transA ? a[0]! : a[1]!;
      macs = prod(shapeOf(node.outputs[0]!, node.name)) * k;
    } else if (node.op === 'MatMul') {
      const a = shapeOf(node.inputs[0]!, node.name);
      macs = prod(shapeOf(node.outputs[0]!, node.name)) * a[a.length - 1]!;
    } else continue;
    byOp[node.op] = (byOp[node.op] ?? 0) + 2 * macs;
    total += 2 * macs;
  }
  return { total, byOp };
}
