/** Reading label maps and masks (integer or bool tensors) as plain numbers, with typed errors naming the input. */
import { DTypeError, describeValue, formatShape, ShapeError, Tensor } from '@striate/core';

/** Class ids of an integer (int32, int64, uint8) or bool tensor as an Int32Array. */
export function labelsOf(t: unknown, what: string): Int32Array {
  if (!(t instanceof Tensor)) throw new TypeError(`${what}: expected a Tensor, got ${describeValue(t)}`);
  switch (t.dtype) {
    case 'int32':
      return t.data as Int32Array;
    case 'uint8':
    case 'bool':
      return Int32Array.from(t.data as Uint8Array);
    case 'int64': {
      const d = t.data as BigInt64Array;
      const out = new Int32Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
      return out;
    }
    default:
      throw new DTypeError(`${what}: expected an int32, int64, uint8 or bool tensor, got ${t.dtype}`);
  }
}

/** The [H, W] of a rank-2 tensor. */
export function hw(t: Tensor, what: string): [number, number] {
  if (t.rank !== 2) throw new ShapeError(`${what}: expected an [H, W] tensor, got ${formatShape(t.shape)}`);
  return [t.shape[0]!, t.shape[1]!];
}

export function sameShape(a: Tensor, b: Tensor, aName: string, bName: string): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(
      `${aName} and ${bName}: expected the same shape, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
}
