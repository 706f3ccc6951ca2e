/**
 * Box format conversion, as `torchvision.ops.box_convert` for the axis-aligned formats.
 */
import { describeValue } from './errors.js';
import { type BoxesLike, type BoxesResult, readBoxes } from './internal/box-input.js';
import { Tensor } from './tensor.js';

/**
 * Box formats: `'xyxy'` corners `(x1, y1, x2, y2)`; `'xywh'` top-left corner, width and height;
 * `'cxcywh'` centre, width and height.
 */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

export const BOX_FORMATS: readonly BoxFormat[] = Object.freeze(['xyxy', 'xywh', 'cxcywh']);

function assertBoxFormat(value: unknown, argName: string): asserts value is BoxFormat {
  const valid = BOX_FORMATS.map((f) => `'${f}'`).join(', ');
  if (typeof value !== 'string') {
    throw new TypeError(`${argName}: expected a box format string (one of ${valid}), got ${describeValue(value)}`);
  }
  if (!(BOX_FORMATS as readonly string[]).includes(value)) {
    throw new RangeError(`${argName}: expected one of ${valid}, got ${describeValue(value)}`);
  }
}

const f32 = Math.fround;

/**
 * Converts boxes from one format to another with torchvision's formulas and order of operations (xywh <-> cxcywh
 * goes through xyxy, whose intermediate is rounded to float32 as torch does on float32 boxes), so float32 input
 * gives torchvision's float32 result bit for bit. Returns a new Float32Array of 4N values, or a new float32 `[N, 4]`
 * tensor for a tensor; the same format in and out gives a copy. NaN and Infinity propagate through the arithmetic.
 */
export function boxConvert<A extends BoxesLike>(boxes: A, from: BoxFormat, to: BoxFormat): BoxesResult<A> {
  const { coords, count, isTensor } = readBoxes(boxes, 'boxConvert: boxes');
  assertBoxFormat(from, 'boxConvert: from');
  assertBoxFormat(to, 'boxConvert: to');
  const out = new Float32Array(count * 4);
  for (let p = 0; p < out.length; p += 4) {
    let c0 = coords[p]!;
    let c1 = coords[p + 1]!;
    let c2 = coords[p + 2]!;
    let c3 = coords[p + 3]!;
    if (from !== to) {
      // To xyxy first (each step rounded to float32 like torch's float32 tensors).
      if (from === 'xywh') {
        c2 = f32(c0 + c2);
        c3 = f32(c1 + c3);
      } else if (from === 'cxcywh') {
        const cx = c0;
        const cy = c1;
        const hw = 0.5 * c2;
        const hh = 0.5 * c3;
        c0 = f32(cx - hw);
        c1 = f32(cy - hh);
        c2 = f32(cx + hw);
        c3 = f32(cy + hh);
      }
      if (to === 'xywh') {
        c2 = c2 - c0;
        c3 = c3 - c1;
      } else if (to === 'cxcywh') {
        const x1 = c0;
        const y1 = c1;
        c0 = (x1 + c2) / 2;
        c1 = (y1 + c3) / 2;
        c2 = c2 - x1;
        c3 = c3 - y1;
      }
    }
    out[p] = c0;
    out[p + 1] = c1;
    out[p + 2] = c2;
    out[p + 3] = c3;
  }
  return (isTensor ? new Tensor('float32', [count, 4], out) : out) as BoxesResult<A>;
}
