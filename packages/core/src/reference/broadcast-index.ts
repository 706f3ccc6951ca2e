import { ShapeError } from '../errors.js';
import { formatShape, type Shape, stridesOf } from '../shape.js';

/**
 * For each flat index of `dst`, the flat index of the element of `src` that NumPy broadcasting reads there.
 * `src` must broadcast to `dst` one way (`context` names the operand in the error).
 */
export function broadcastIndex(src: Shape, dst: Shape, context: string): Int32Array {
  if (src.length > dst.length) {
    throw new ShapeError(`${context}: shape ${formatShape(src)} has more dims than ${formatShape(dst)}`);
  }
  const lead = dst.length - src.length;
  const srcStrides = stridesOf(src);
  const strides = dst.map((d, i) => {
    if (i < lead) return 0;
    const s = src[i - lead]!;
    if (s !== d && s !== 1) {
      throw new ShapeError(`${context}: shape ${formatShape(src)} does not broadcast to ${formatShape(dst)}`);
    }
    return s === 1 ? 0 : srcStrides[i - lead]!;
  });
  let size = 1;
  for (const d of dst) size *= d;
  const out = new Int32Array(size);
  const rank = dst.length;
  const pos = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < size; i++) {
    out[i] = off;
    for (let a = rank - 1; a >= 0; a--) {
      pos[a]++;
      off += strides[a]!;
      if (pos[a]! < dst[a]!) break;
      off -= strides[a]! * pos[a]!;
      pos[a] = 0;
    }
  }
  return out;
}
