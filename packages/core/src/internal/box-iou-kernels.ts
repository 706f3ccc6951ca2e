/**
 * Kernels of the IoU family (`box-iou.ts`). Two paths with the same formulas (torchvision's):
 *
 * - `pairReference`: one pair at a time with Math.min/Math.max, which propagate NaN like torch.minimum/maximum.
 *   Used when any coordinate is non-finite or huge, where only IEEE special-value rules give torch's answer.
 * - The fast kernels, for finite coordinates below 1e150: branch-free, because on real and random boxes the
 *   comparisons behind min/max are unpredictable and branch misses cost more than the arithmetic. They use
 *   `2 * min(p, q) = (p + q) - |p - q|` and `2 * max(p, q) = (p + q) + |p - q|`, which are exact when p + q and
 *   p - q are (always for float32 coordinates within a factor 2^29 of each other) and otherwise off by at most an
 *   ulp of float64 of the larger one: far below the float32 results. The second set of boxes is laid out once as
 *   float64 `[x1, y1, x2, y2, area]` records so the inner loop reads one array type.
 */

export type Coords = Float32Array | Float64Array;
export type IouKind = 'iou' | 'giou' | 'diou' | 'ciou';

/** Coordinates at most this large (in magnitude) take the fast path; NaN and +-Infinity never do. */
export const FAST_PATH_LIMIT = 1e150;

/** Whether every coordinate is finite and at most FAST_PATH_LIMIT in magnitude. */
export function fastPathApplies(coords: Coords): boolean {
  for (let i = 0; i < coords.length; i++) {
    const v = coords[i]!;
    // Written so that NaN fails it too.
    if (!(v <= FAST_PATH_LIMIT && v >= -FAST_PATH_LIMIT)) return false;
  }
  return true;
}

const CIOU_K = 4 / (Math.PI * Math.PI);

/** clamp(min=0) that keeps NaN, as torch.clamp (Math.max propagates NaN). */
const clamp0 = (v: number): number => Math.max(v, 0);

/** One entry of the IoU family for boxes `a[p..p+3]` and `b[q..q+3]`, in torchvision's order of operations. */
export function pairReference(
  kind: IouKind,
  a: ArrayLike<number>,
  p: number,
  b: ArrayLike<number>,
  q: number,
  eps: number,
): number {
  const ax1 = a[p]!;
  const ay1 = a[p + 1]!;
  const ax2 = a[p + 2]!;
  const ay2 = a[p + 3]!;
  const bx1 = b[q]!;
  const by1 = b[q + 1]!;
  const bx2 = b[q + 2]!;
  const by2 = b[q + 3]!;
  const areaA = (ax2 - ax1) * (ay2 - ay1);
  const areaB = (bx2 - bx1) * (by2 - by1);
  const w = clamp0(Math.min(ax2, bx2) - Math.max(ax1, bx1));
  const h = clamp0(Math.min(ay2, by2) - Math.max(ay1, by1));
  const inter = w * h;
  const union = areaA + areaB - inter;
  const iou = inter / union;
  if (kind === 'iou') return iou;
  const wc = clamp0(Math.max(ax2, bx2) - Math.min(ax1, bx1));
  const hc = clamp0(Math.max(ay2, by2) - Math.min(ay1, by1));
  if (kind === 'giou') {
    const areaC = wc * hc;
    return iou - (areaC - union) / areaC;
  }
  const dx = (ax1 + ax2) / 2 - (bx1 + bx2) / 2;
  const dy = (ay1 + ay2) / 2 - (by1 + by2) / 2;
  const diou = iou - (dx * dx + dy * dy) / (wc * wc + hc * hc + eps);
  if (kind === 'diou') return diou;
  const d = Math.atan((ax2 - ax1) / (ay2 - ay1)) - Math.atan((bx2 - bx1) / (by2 - by1));
  const v = CIOU_K * d * d;
  const alpha = v / (1 - iou + v + eps);
  return diou - alpha * v;
}

/** All pairs through `pairReference`. */
export function referenceKernel(
  kind: IouKind,
  a: Coords,
  n: number,
  b: Coords,
  m: number,
  eps: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = pairReference(kind, a, 4 * i, b, 4 * j, eps);
  }
}

/** `[x1, y1, x2, y2, area]` per box of `b`, in float64. */
function records(b: Coords, m: number): Float64Array {
  const r = new Float64Array(5 * m);
  for (let j = 0, p = 0, q = 0; j < m; j++, p += 4, q += 5) {
    const x1 = b[p]!;
    const y1 = b[p + 1]!;
    const x2 = b[p + 2]!;
    const y2 = b[p + 3]!;
    r[q] = x1;
    r[q + 1] = y1;
    r[q + 2] = x2;
    r[q + 3] = y2;
    r[q + 4] = (x2 - x1) * (y2 - y1);
  }
  return r;
}

export function iouKernel(a: Coords, n: number, b: Coords, m: number, out: Float32Array): void {
  const r = records(b, m);
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    const ax1 = a[p]!;
    const ay1 = a[p + 1]!;
    const ax2 = a[p + 2]!;
    const ay2 = a[p + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const row = i * m;
    for (let j = 0, q = 0; j < m; j++, q += 5) {
      const bx1 = r[q]!;
      const by1 = r[q + 1]!;
      const bx2 = r[q + 2]!;
      const by2 = r[q + 3]!;
      // 2 * (min(x2) - max(x1)) and the same for y; (v + |v|) is 2 * clamp(v, min=0).
      const w2 = ax2 + bx2 - Math.abs(ax2 - bx2) - (ax1 + bx1 + Math.abs(ax1 - bx1));
      const h2 = ay2 + by2 - Math.abs(ay2 - by2) - (ay1 + by1 + Math.abs(ay1 - by1));
      const inter = (w2 + Math.abs(w2)) * (h2 + Math.abs(h2)) * 0.0625;
      out[row + j] = inter / (areaA + r[q + 4]! - inter);
    }
  }
}

export function giouKernel(a: Coords, n: number, b: Coords, m: number, out: Float32Array): void {
  const r = records(b, m);
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    const ax1 = a[p]!;
    const ay1 = a[p + 1]!;
    const ax2 = a[p + 2]!;
    const ay2 = a[p + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const row = i * m;
    for (let j = 0, q = 0; j < m; j++, q += 5) {
      const bx1 = r[q]!;
      const by1 = r[q + 1]!;
      const bx2 = r[q + 2]!;
      const by2 = r[q + 3]!;
      const sx1 = ax1 + bx1;
      const dx1 = Math.abs(ax1 - bx1);
      const sx2 = ax2 + bx2;
      const dx2 = Math.abs(ax2 - bx2);
      const sy1 = ay1 + by1;
      const dy1 = Math.abs(ay1 - by1);
      const sy2 = ay2 + by2;
      const dy2 = Math.abs(ay2 - by2);
      const w2 = sx2 - dx2 - (sx1 + dx1);
      const h2 = sy2 - dy2 - (sy1 + dy1);
      const inter = (w2 + Math.abs(w2)) * (h2 + Math.abs(h2)) * 0.0625;
      const union = areaA + r[q + 4]! - inter;
      // Enclosing box: 2 * (max(x2) - min(x1)).
      const wc2 = sx2 + dx2 - (sx1 - dx1);
      const hc2 = sy2 + dy2 - (sy1 - dy1);
      const areaC = (wc2 + Math.abs(wc2)) * (hc2 + Math.abs(hc2)) * 0.0625;
      out[row + j] = inter / union - (areaC - union) / areaC;
    }
  }
}

/** DIoU, and with `complete` CIoU. */
export function diouKernel(
  a: Coords,
  n: number,
  b: Coords,
  m: number,
  eps: number,
  complete: boolean,
  out: Float32Array,
): void {
  const r = records(b, m);
  const centres = new Float64Array(2 * m);
  const atans = new Float64Array(m);
  for (let j = 0, q = 0; j < m; j++, q += 5) {
    centres[2 * j] = (r[q]! + r[q + 2]!) / 2;
    centres[2 * j + 1] = (r[q + 1]! + r[q + 3]!) / 2;
    atans[j] = Math.atan((r[q + 2]! - r[q]!) / (r[q + 3]! - r[q + 1]!));
  }
  for (let i = 0; i < n; i++) {
    const p = 4 * i;
    const ax1 = a[p]!;
    const ay1 = a[p + 1]!;
    const ax2 = a[p + 2]!;
    const ay2 = a[p + 3]!;
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const cxA = (ax1 + ax2) / 2;
    const cyA = (ay1 + ay2) / 2;
    const atanA = Math.atan((ax2 - ax1) / (ay2 - ay1));
    const row = i * m;
    for (let j = 0, q = 0; j < m; j++, q += 5) {
      const bx1 = r[q]!;
      const by1 = r[q + 1]!;
      const bx2 = r[q + 2]!;
      const by2 = r[q + 3]!;
      const sx1 = ax1 + bx1;
      const dx1 = Math.abs(ax1 - bx1);
      const sx2 = ax2 + bx2;
      const dx2 = Math.abs(ax2 - bx2);
      const sy1 = ay1 + by1;
      const dy1 = Math.abs(ay1 - by1);
      const sy2 = ay2 + by2;
      const dy2 = Math.abs(ay2 - by2);
      const w2 = sx2 - dx2 - (sx1 + dx1);
      const h2 = sy2 - dy2 - (sy1 + dy1);
      const inter = (w2 + Math.abs(w2)) * (h2 + Math.abs(h2)) * 0.0625;
      const iou = inter / (areaA + r[q + 4]! - inter);
      const wc2 = sx2 + dx2 - (sx1 - dx1);
      const hc2 = sy2 + dy2 - (sy1 - dy1);
      const wc = (wc2 + Math.abs(wc2)) * 0.25;
      const hc = (hc2 + Math.abs(hc2)) * 0.25;
      const ddx = cxA - centres[2 * j]!;
      const ddy = cyA - centres[2 * j + 1]!;
      const diou = iou - (ddx * ddx + ddy * ddy) / (wc * wc + hc * hc + eps);
      if (complete) {
        const d = atanA - atans[j]!;
        const v = CIOU_K * d * d;
        out[row + j] = diou - (v / (1 - iou + v + eps)) * v;
      } else {
        out[row + j] = diou;
      }
    }
  }
}
