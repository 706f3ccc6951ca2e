/**
 * `pasteMasksInImage` as torchvision.models.detection.roi_heads.paste_masks_in_image: each MxM mask is padded by
 * `padding` zeros (expand_masks), its box scaled about its center by (M + 2 padding) / M and truncated to integers
 * (expand_boxes, `.to(int64)`), the mask resized bilinearly (align_corners false) to the box's (w + 1) x (h + 1)
 * and pasted into a zero image, cropped to it. Arithmetic in float32 as torch. With `threshold` the result is the
 * binary uint8 mask `> threshold` (torchvision's references use 0.5).
 */
import { DTypeError, describeValue, formatShape, ShapeError, Tensor } from '@striate/core';

export interface PasteMasksOptions {
  /** Zero border added before resizing (default 1, torchvision's). */
  readonly padding?: number;
  /** Return uint8 masks `> threshold` instead of the float32 pasted values. */
  readonly threshold?: number;
}

const f = Math.fround;

/** torch bilinear resize (align_corners false) of one [h, w] plane to [oh, ow], float32 arithmetic. */
function resizeBilinear(src: Float32Array, h: number, w: number, oh: number, ow: number): Float32Array {
  const out = new Float32Array(oh * ow);
  const sy = f(h / oh);
  const sx = f(w / ow);
  const coord = (d: number, s: number, n: number): [number, number, number] => {
    const r = Math.max(f(f(f(d + 0.5) * s) - 0.5), 0);
    const i0 = Math.floor(r);
    const i1 = Math.min(i0 + 1, n - 1);
    return [Math.min(i0, n - 1), i1, f(r - i0)];
  };
  const xs = Array.from({ length: ow }, (_, x) => coord(x, sx, w));
  for (let y = 0; y < oh; y++) {
    const [y0, y1, ly] = coord(y, sy, h);
    const hy = f(1 - ly);
    for (let x = 0; x < ow; x++) {
      const [x0, x1, lx] = xs[x]!;
      const hx = f(1 - lx);
      const top = f(f(hx * src[y0 * w + x0]!) + f(lx * src[y0 * w + x1]!));
      const bot = f(f(hx * src[y1 * w + x0]!) + f(lx * src[y1 * w + x1]!));
      out[y * ow + x] = f(f(hy * top) + f(ly * bot));
    }
  }
  return out;
}

/**
 * masks: float32 [K, M, M] or [K, 1, M, M] (probabilities); boxes: 4K numbers (x1, y1, x2, y2) in image
 * coordinates; imageSize [height, width]. Returns [K, 1, height, width] (float32, or uint8 with `threshold`).
 */
export function pasteMasksInImage(
  masks: Tensor,
  boxes: Float32Array | Float64Array | readonly number[],
  imageSize: readonly [number, number],
  options: PasteMasksOptions = {},
): Tensor<'float32'> | Tensor<'uint8'> {
  const ctx = 'pasteMasksInImage';
  if (!(masks instanceof Tensor)) throw new TypeError(`${ctx}: masks: expected a Tensor, got ${describeValue(masks)}`);
  if (masks.dtype !== 'float32') throw new DTypeError(`${ctx}: masks: expected float32, got ${masks.dtype}`);
  const sh = masks.shape;
  if (!((sh.length === 3 || (sh.length === 4 && sh[1] === 1)) && sh[sh.length - 1] === sh[sh.length - 2])) {
    throw new ShapeError(`${ctx}: masks: expected [K, M, M] or [K, 1, M, M], got ${formatShape(sh)}`);
  }
  const k = sh[0]!;
  const m = sh[sh.length - 1]!;
  if (boxes.length !== 4 * k) {
    throw new ShapeError(`${ctx}: boxes: expected 4 * ${k} = ${4 * k} numbers (one box per mask), got ${boxes.length}`);
  }
  const [imH, imW] = imageSize ?? [];
  if (!Number.isInteger(imH) || !Number.isInteger(imW) || imH! < 0 || imW! < 0) {
    throw new RangeError(
      `${ctx}: imageSize: expected [height, width] of non-negative integers, got ${describeValue(imageSize)}`,
    );
  }
  const padding = options.padding ?? 1;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`${ctx}: padding: expected a non-negative integer, got ${describeValue(padding)}`);
  }
  const th = options.threshold;
  if (th !== undefined && (typeof th !== 'number' || Number.isNaN(th))) {
    throw new TypeError(`${ctx}: threshold: expected a number, got ${describeValue(th)}`);
  }
  const H = imH!;
  const W = imW!;
  const pm = m + 2 * padding;
  const scale = f(pm / m);
  const src = masks.data as Float32Array;
  const out = new Float32Array(k * H * W);
  const padded = new Float32Array(pm * pm);
  for (let i = 0; i < k; i++) {
    padded.fill(0);
    for (let y = 0; y < m; y++) {
      padded.set(src.subarray((i * m + y) * m, (i * m + y + 1) * m), (y + padding) * pm + padding);
    }
    const [bx1, by1, bx2, by2] = [0, 1, 2, 3].map((j) => f(Number(boxes[4 * i + j])));
    const wHalf = f(f(f(bx2! - bx1!) * 0.5) * scale);
    const hHalf = f(f(f(by2! - by1!) * 0.5) * scale);
    const xc = f(f(bx2! + bx1!) * 0.5);
    const yc = f(f(by2! + by1!) * 0.5);
    const b = [f(xc - wHalf), f(yc - hHalf), f(xc + wHalf), f(yc + hHalf)].map(Math.trunc) as [
      number,
      number,
      number,
      number,
    ];
    const w = Math.max(b[2] - b[0] + 1, 1);
    const h = Math.max(b[3] - b[1] + 1, 1);
    const r = resizeBilinear(padded, pm, pm, h, w);
    const x0 = Math.max(b[0], 0);
    const x1 = Math.min(b[2] + 1, W);
    const y0 = Math.max(b[1], 0);
    const y1 = Math.min(b[3] + 1, H);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) out[(i * H + y) * W + x] = r[(y - b[1]) * w + (x - b[0])]!;
    }
  }
  if (th === undefined) return new Tensor('float32', [k, 1, H, W], out);
  const bin = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bin[i] = out[i]! > th ? 1 : 0;
  return new Tensor('uint8', [k, 1, H, W], bin);
}
