/**
 * Box, keypoint and point geometry on pixel xyxy boxes, as torchvision.transforms.v2's bounding-box kernels:
 * flips mirror about the canvas edges without clamping, resize scales without clamping, crop shifts and clamps,
 * affine/rotate/perspective take the envelope (min/max) of the four transformed corners and clamp to the canvas.
 * Every function returns the unclamped geometry (`raw`) too, which the visibility filter needs.
 */
import { type AffineParams, affineMatrix, applyMatrix, expandedSize, invertHomography } from './affine-matrix.js';

export interface BoxGeometry {
  /** Boxes after the transform, clamped where torchvision clamps. */
  boxes: Float32Array;
  /** Boxes after the transform, never clamped (their area against the clamped one gives the visibility). */
  raw: Float32Array;
}

export function flipBoxes(b: Float32Array, canvas: readonly [number, number], horizontal: boolean): BoxGeometry {
  const out = new Float32Array(b.length);
  const [h, w] = canvas;
  for (let p = 0; p < b.length; p += 4) {
    if (horizontal) {
      out[p] = w - b[p + 2]!;
      out[p + 1] = b[p + 1]!;
      out[p + 2] = w - b[p]!;
      out[p + 3] = b[p + 3]!;
    } else {
      out[p] = b[p]!;
      out[p + 1] = h - b[p + 3]!;
      out[p + 2] = b[p + 2]!;
      out[p + 3] = h - b[p + 1]!;
    }
  }
  return { boxes: out, raw: out };
}

export function clampBoxesTo(b: Float32Array, canvas: readonly [number, number]): Float32Array {
  const out = new Float32Array(b.length);
  const [h, w] = canvas;
  for (let p = 0; p < b.length; p++) out[p] = Math.min(Math.max(b[p]!, 0), (p & 1) === 0 ? w : h);
  return out;
}

export function cropBoxes(b: Float32Array, top: number, left: number, height: number, width: number): BoxGeometry {
  const raw = new Float32Array(b.length);
  for (let p = 0; p < b.length; p += 4) {
    raw[p] = b[p]! - left;
    raw[p + 1] = b[p + 1]! - top;
    raw[p + 2] = b[p + 2]! - left;
    raw[p + 3] = b[p + 3]! - top;
  }
  return { boxes: clampBoxesTo(raw, [height, width]), raw };
}

export function resizeBoxes(
  b: Float32Array,
  from: readonly [number, number],
  to: readonly [number, number],
): BoxGeometry {
  const rw = to[1] / from[1];
  const rh = to[0] / from[0];
  const out = new Float32Array(b.length);
  for (let p = 0; p < b.length; p += 4) {
    out[p] = b[p]! * rw;
    out[p + 1] = b[p + 1]! * rh;
    out[p + 2] = b[p + 2]! * rw;
    out[p + 3] = b[p + 3]! * rh;
  }
  return { boxes: out, raw: out };
}

/** Envelope of the four corners of each box through `map`. */
function envelope(b: Float32Array, map: (x: number, y: number) => [number, number]): Float32Array {
  const out = new Float32Array(b.length);
  for (let p = 0; p < b.length; p += 4) {
    const x1 = b[p]!;
    const y1 = b[p + 1]!;
    const x2 = b[p + 2]!;
    const y2 = b[p + 3]!;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const [x, y] of [
      [x1, y1],
      [x2, y1],
      [x2, y2],
      [x1, y2],
    ] as const) {
      const [u, v] = map(x, y);
      if (u < minX) minX = u;
      if (u > maxX) maxX = u;
      if (v < minY) minY = v;
      if (v > maxY) maxY = v;
    }
    out[p] = minX;
    out[p + 1] = minY;
    out[p + 2] = maxX;
    out[p + 3] = maxY;
  }
  return out;
}

/**
 * How a box follows a rotation or affine map: `'envelope'` (torchvision: the bounding box of the four transformed
 * corners) or `'ellipse'` (the bounding box of the transformed inscribed ellipse: tighter for rotated objects, which
 * are rarely rectangles filling their box).
 */
export type BoxRule = 'envelope' | 'ellipse';

/** Bounding boxes of the ellipses inscribed in the boxes, through the linear map and shift of `m`. */
function ellipseEnvelope(b: Float32Array, m: readonly number[]): Float32Array {
  const out = new Float32Array(b.length);
  for (let p = 0; p < b.length; p += 4) {
    const cx = (b[p]! + b[p + 2]!) / 2;
    const cy = (b[p + 1]! + b[p + 3]!) / 2;
    const rx = (b[p + 2]! - b[p]!) / 2;
    const ry = (b[p + 3]! - b[p + 1]!) / 2;
    const u = m[0]! * cx + m[1]! * cy + m[2]!;
    const v = m[3]! * cx + m[4]! * cy + m[5]!;
    const hx = Math.hypot(m[0]! * rx, m[1]! * ry);
    const hy = Math.hypot(m[3]! * rx, m[4]! * ry);
    out[p] = u - hx;
    out[p + 1] = v - hy;
    out[p + 2] = u + hx;
    out[p + 3] = v + hy;
  }
  return out;
}

export interface AffineGeometry extends BoxGeometry {
  canvas: [number, number];
  /** The offset subtracted after the map when the canvas expands (zero otherwise). */
  shift: [number, number];
  /** The forward matrix (pixel frame, about the canvas centre). */
  forward: [number, number, number, number, number, number];
}

/**
 * torchvision's `_affine_bounding_boxes_with_expand`: forward matrix about the canvas centre (W/2, H/2), envelope
 * of the corners, with `expand` a shift by the minimum of the transformed canvas corners and torchvision's
 * expanded size (computed like the image's, from the centred inverse matrix), then clamping.
 */
export function affineGeometry(
  b: Float32Array,
  canvas: readonly [number, number],
  params: AffineParams,
  expand: boolean,
  rule: BoxRule = 'envelope',
): AffineGeometry {
  const [h, w] = canvas;
  const fwd = affineMatrix([w * 0.5, h * 0.5], params, false);
  let raw = rule === 'ellipse' ? ellipseEnvelope(b, fwd) : envelope(b, (x, y) => applyMatrix(fwd, x, y));
  let outCanvas: [number, number] = [h, w];
  let shift: [number, number] = [0, 0];
  if (expand) {
    let tx = Number.POSITIVE_INFINITY;
    let ty = Number.POSITIVE_INFINITY;
    for (const [x, y] of [
      [0, 0],
      [0, h],
      [w, h],
      [w, 0],
    ] as const) {
      const [u, v] = applyMatrix(fwd, x, y);
      tx = Math.min(tx, u);
      ty = Math.min(ty, v);
    }
    shift = [tx, ty];
    const shifted = new Float32Array(raw.length);
    for (let p = 0; p < raw.length; p += 2) {
      shifted[p] = raw[p]! - tx;
      shifted[p + 1] = raw[p + 1]! - ty;
    }
    raw = shifted;
    outCanvas = expandedSize(affineMatrix([0, 0], params, true), h, w);
  }
  return { boxes: clampBoxesTo(raw, outCanvas), raw, canvas: outCanvas, shift, forward: fwd };
}

/** Keypoints through the forward affine map (and expand shift); never clamped, as torchvision. */
export function affineKeypoints(k: Float32Array, g: AffineGeometry): Float32Array {
  const out = new Float32Array(k.length);
  for (let p = 0; p < k.length; p += 2) {
    const [u, v] = applyMatrix(g.forward, k[p]!, k[p + 1]!);
    out[p] = u - g.shift[0];
    out[p + 1] = v - g.shift[1];
  }
  return out;
}

/** Keypoints (x, y pairs) through a point map, never clamped, as torchvision; undefined stays undefined. */
export function mapKeypoints(
  k: Float32Array | undefined,
  map: (x: number, y: number) => [number, number],
): Float32Array | undefined {
  if (!k) return undefined;
  const out = new Float32Array(k.length);
  for (let p = 0; p < k.length; p += 2) {
    const [u, v] = map(k[p]!, k[p + 1]!);
    out[p] = u;
    out[p + 1] = v;
  }
  return out;
}

/**
 * Boxes through the perspective transform whose coefficients map output points to input points (torchvision's
 * `coeffs`): the forward map is the inverse homography; envelope of the corners, then clamping.
 */
export function perspectiveGeometry(
  b: Float32Array,
  canvas: readonly [number, number],
  coeffs: readonly number[],
): BoxGeometry & { map: (x: number, y: number) => [number, number] } {
  const m = invertHomography(coeffs);
  const map = (x: number, y: number): [number, number] => {
    const den = m[6]! * x + m[7]! * y + m[8]!;
    return [(m[0]! * x + m[1]! * y + m[2]!) / den, (m[3]! * x + m[4]! * y + m[5]!) / den];
  };
  const raw = envelope(b, map);
  return { boxes: clampBoxesTo(raw, canvas), raw, map };
}
