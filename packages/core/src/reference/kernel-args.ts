import { DTypeError, describeValue, ShapeError, UnsupportedOpError } from '../errors.js';
import type { GraphNode } from '../graph.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Argument helpers shared by the reference kernels: attribute readers with ONNX defaults and input checks. Every
 * message starts with the node's name and op, e.g. `layer1.0.conv1 (Conv): attribute strides: ...`.
 */

export const where = (node: GraphNode): string => `${node.name} (${node.op})`;

function attr(node: GraphNode, name: string): unknown {
  return node.attrs?.[name];
}

/** An integer attribute (ONNX `int`), or `def` when absent. */
export function intAttr(node: GraphNode, name: string, def: number): number {
  const v = attr(node, name);
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${where(node)}: attribute ${name}: expected an integer, got ${describeValue(v)}`);
  }
  return v;
}

/** A float attribute (ONNX `float`), or `def` when absent. */
export function floatAttr(node: GraphNode, name: string, def: number): number {
  const v = attr(node, name);
  if (v === undefined) return def;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`${where(node)}: attribute ${name}: expected a number, got ${describeValue(v)}`);
  }
  return v;
}

/** A string attribute, or `def` when absent; `allowed` lists the accepted values. */
export function stringAttr<S extends string>(node: GraphNode, name: string, def: S, allowed: readonly S[]): S {
  const v = attr(node, name);
  if (v === undefined) return def;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: attribute ${name}: expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, ` +
        `got ${describeValue(v)}`,
    );
  }
  return v as S;
}

/** An integer-list attribute (ONNX `ints`) of `length` items when given, or undefined when absent. */
export function intsAttr(node: GraphNode, name: string, length?: number): number[] | undefined {
  const v = attr(node, name);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new TypeError(`${where(node)}: attribute ${name}: expected a list of integers, got ${describeValue(v)}`);
  }
  if (length !== undefined && v.length !== length) {
    throw new ShapeError(
      `${where(node)}: attribute ${name}: expected ${length} values, got ${v.length} (${describeValue(v)})`,
    );
  }
  return [...(v as number[])];
}

/** Input `index` as a float32 tensor of rank `rank` (a list of accepted ranks, or undefined for any). */
export function floatInput(
  inputs: readonly (Tensor | null)[],
  index: number,
  node: GraphNode,
  label: string,
  rank?: number | readonly number[],
): Tensor<'float32'> {
  const t = inputs[index];
  if (t === null || t === undefined) {
    throw new TypeError(`${where(node)}: input ${index} (${label}) is required but missing`);
  }
  return checkFloat(t, node, label, rank);
}

/** Input `index` as a float32 tensor, or null when the optional input is omitted. */
export function optionalFloatInput(
  inputs: readonly (Tensor | null)[],
  index: number,
  node: GraphNode,
  label: string,
  rank?: number | readonly number[],
): Tensor<'float32'> | null {
  const t = inputs[index];
  if (t === null || t === undefined) return null;
  return checkFloat(t, node, label, rank);
}

function checkFloat(
  t: Tensor,
  node: GraphNode,
  label: string,
  rank: number | readonly number[] | undefined,
): Tensor<'float32'> {
  if (!(t instanceof Tensor))
    throw new TypeError(`${where(node)}: ${label}: expected a Tensor, got ${describeValue(t)}`);
  if (t.dtype !== 'float32') {
    throw new DTypeError(`${where(node)}: ${label}: expected float32, got ${t.dtype}`);
  }
  if (rank !== undefined) {
    const ranks = typeof rank === 'number' ? [rank] : rank;
    if (!ranks.includes(t.rank)) {
      throw new ShapeError(
        `${where(node)}: ${label}: expected rank ${ranks.join(' or ')}, got rank ${t.rank} ${formatShape(t.shape)}`,
      );
    }
  }
  return t as Tensor<'float32'>;
}

/** Resolves a possibly negative axis against `rank`; throws a RangeError naming the attribute. */
export function normalizeAxis(node: GraphNode, name: string, axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) {
    throw new RangeError(`${where(node)}: attribute ${name}: expected an axis in [${-rank}, ${rank - 1}], got ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Float64 values -> a new float32 tensor. */
export function float32From(shape: readonly number[], values: ArrayLike<number>): Tensor<'float32'> {
  const data = new Float32Array(values.length);
  data.set(values);
  return new Tensor('float32', shape, data);
}
