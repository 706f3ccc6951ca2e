import {
  type Attrs,
  DTypeError,
  describeValue,
  type GraphNode,
  ShapeError,
  type Tensor,
  UnsupportedOpError,
} from '@striate/core';

/** `"<node name> (<op>)"`, the prefix of every error about a node. */
export const where = (node: GraphNode): string => `${node.name} (${node.op})`;

export function numberAttr(attrs: Attrs, name: string, fallback: number, node: GraphNode): number {
  const v = attrs[name] ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`${where(node)}: attribute ${name} must be a number, got ${describeValue(v)}`);
  }
  return v;
}

export function intAttr(attrs: Attrs, name: string, fallback: number, node: GraphNode): number {
  const v = numberAttr(attrs, name, fallback, node);
  if (!Number.isInteger(v)) throw new TypeError(`${where(node)}: attribute ${name} must be an integer, got ${v}`);
  return v;
}

export function intsAttr(attrs: Attrs, name: string, node: GraphNode): number[] | null {
  const v = attrs[name];
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new TypeError(`${where(node)}: attribute ${name} must be a list of integers, got ${describeValue(v)}`);
  }
  return [...(v as number[])];
}

export function stringAttr<T extends string>(attrs: Attrs, name: string, allowed: readonly T[], node: GraphNode): T {
  const v = attrs[name] ?? allowed[0];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: attribute ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}`,
    );
  }
  return v as T;
}

/** A 1-D integer operand (int64/int32) read as numbers. */
export function intsOf(t: Tensor, argName: string, node: GraphNode): number[] {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') {
    throw new DTypeError(`${where(node)}: ${argName} must be an int64 tensor, got ${t.dtype}`);
  }
  if (t.rank !== 1) throw new ShapeError(`${where(node)}: ${argName} must be 1-D, got rank ${t.rank}`);
  return Array.from(t.data as BigInt64Array | Int32Array, Number);
}

/** A float operand read as numbers. */
export function floatsOf(t: Tensor): number[] {
  return Array.from(t.toFloat32().data);
}

export function normalizeAxis(axis: number, rank: number, node: GraphNode, argName = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new RangeError(`${where(node)}: ${argName} must be in [${-rank}, ${rank - 1}], got ${axis}`);
  }
  return a;
}
