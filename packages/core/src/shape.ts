import { describeValue, ShapeError } from './errors.js';

/** A concrete shape: non-negative integer sizes, outermost first. */
export type Shape = readonly number[];

/** Checks that `shape` is an array of non-negative integers; throws a TypeError/RangeError naming `argName`. */
export function assertShape(shape: unknown, argName: string): asserts shape is Shape {
  if (!Array.isArray(shape)) throw new TypeError(`${argName}: expected an array of sizes, got ${describeValue(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${argName}[${i}]: expected a non-negative integer size, got ${describeValue(d)}`);
    }
  }
}

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming both. */
export function broadcastShapes(a: Shape, b: Shape, context = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${context}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a reshape target with at most one -1 (and 0 = copy the input's size, as ONNX) against `size`. */
export function resolveReshape(from: Shape, to: readonly number[], context = 'reshape'): number[] {
  const size = shapeSize(from);
  let inferred = -1;
  let known = 1;
  const out = to.map((d, i) => {
    if (d === -1) {
      if (inferred !== -1) throw new ShapeError(`${context}: more than one -1 in target shape ${formatShape(to)}`);
      inferred = i;
      return -1;
    }
    const v = d === 0 ? from[i] : d;
    if (v === undefined || !Number.isInteger(v) || v < 0) {
      throw new ShapeError(`${context}: invalid size ${d} at index ${i} of target shape ${formatShape(to)}`);
    }
    known *= v;
    return v;
  });
  if (inferred !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${context}: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)}`);
    }
    out[inferred] = size / known;
  } else if (known !== size) {
    throw new ShapeError(
      `${context}: cannot reshape ${formatShape(from)} (${size} elements) to ${formatShape(to)} (${known} elements)`,
    );
  }
  return out;
}
