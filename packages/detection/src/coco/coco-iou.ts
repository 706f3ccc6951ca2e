/**
 * IoU as pycocotools computes it (`bbIou`, `rleIou` in maskApi.c): boxes are `[x, y, w, h]`; against a crowd region
 * the IoU is intersection over the detection's own area. Results are `D x G`, detection-major
 * (`out[d * G + g]`), like `maskUtils.iou(dt, gt, iscrowd)`.
 */
import { type Rle, rleToBboxInto } from './rle.js';

function checkCrowd(iscrowd: ArrayLike<boolean | number>, g: number, where: string): void {
  if (iscrowd.length !== g) {
    throw new RangeError(`${where}: iscrowd must have one flag per ground-truth item (${g}), got ${iscrowd.length}`);
  }
}

/** IoU of boxes `dt` (D x 4, flat `[x, y, w, h]`) against `gt` (G x 4) with crowd semantics (`bbIou`). */
export function cocoBboxIou(
  dt: ArrayLike<number>,
  gt: ArrayLike<number>,
  iscrowd: ArrayLike<boolean | number>,
): Float64Array {
  if (dt.length % 4 !== 0) throw new RangeError(`cocoBboxIou: dt length must be a multiple of 4, got ${dt.length}`);
  if (gt.length % 4 !== 0) throw new RangeError(`cocoBboxIou: gt length must be a multiple of 4, got ${gt.length}`);
  const m = dt.length / 4;
  const n = gt.length / 4;
  checkCrowd(iscrowd, n, 'cocoBboxIou');
  const out = new Float64Array(m * n);
  bboxIouInto(dt, gt, iscrowd, m, n, out);
  return out;
}

/** `bbIou` into `out[d * n + g]`. */
export function bboxIouInto(
  dt: ArrayLike<number>,
  gt: ArrayLike<number>,
  iscrowd: ArrayLike<boolean | number>,
  m: number,
  n: number,
  out: Float64Array,
): void {
  for (let g = 0; g < n; g++) {
    const G0 = gt[g * 4]!;
    const G1 = gt[g * 4 + 1]!;
    const G2 = gt[g * 4 + 2]!;
    const G3 = gt[g * 4 + 3]!;
    const ga = G2 * G3;
    const crowd = !!iscrowd[g];
    for (let d = 0; d < m; d++) {
      const D0 = dt[d * 4]!;
      const D1 = dt[d * 4 + 1]!;
      const D2 = dt[d * 4 + 2]!;
      const D3 = dt[d * 4 + 3]!;
      const da = D2 * D3;
      out[d * n + g] = 0;
      const w = Math.min(D2 + D0, G2 + G0) - Math.max(D0, G0);
      if (w <= 0) continue;
      const h = Math.min(D3 + D1, G3 + G1) - Math.max(D1, G1);
      if (h <= 0) continue;
      const i = w * h;
      const u = crowd ? da : da + ga - i;
      out[d * n + g] = i / u;
    }
  }
}

/**
 * Mask IoU of RLEs `dt` against `gt` with crowd semantics (`rleIou`): pairs whose boxes do not overlap are 0 without
 * walking the runs; pairs of different image sizes are -1, as in maskApi.c.
 */
export function cocoRleIou(dt: readonly Rle[], gt: readonly Rle[], iscrowd: ArrayLike<boolean | number>): Float64Array {
  const m = dt.length;
  const n = gt.length;
  checkCrowd(iscrowd, n, 'cocoRleIou');
  const db = new Float64Array(m * 4);
  for (let d = 0; d < m; d++) rleToBboxInto(dt[d]!, db, d * 4);
  const gb = new Float64Array(n * 4);
  for (let g = 0; g < n; g++) rleToBboxInto(gt[g]!, gb, g * 4);
  const out = new Float64Array(m * n);
  bboxIouInto(db, gb, iscrowd, m, n, out);
  refineWithMasks(dt, gt, iscrowd, out);
  return out;
}

/**
 * Second half of `rleIou`: `out[d * G + g]` holds the IoU of the masks' boxes; each positive entry is replaced by the
 * mask IoU (-1 for masks of different sizes).
 */
export function refineWithMasks(
  dt: readonly Rle[],
  gt: readonly Rle[],
  iscrowd: ArrayLike<boolean | number>,
  out: Float64Array,
): void {
  const m = dt.length;
  const n = gt.length;
  for (let g = 0; g < n; g++) {
    const G = gt[g]!;
    const crowd = !!iscrowd[g];
    for (let d = 0; d < m; d++) {
      if (!(out[d * n + g]! > 0)) continue;
      const D = dt[d]!;
      if (D.height !== G.height || D.width !== G.width) {
        out[d * n + g] = -1;
        continue;
      }
      out[d * n + g] = pairIou(D.counts, G.counts, crowd);
    }
  }
}

function pairIou(A: Uint32Array, B: Uint32Array, crowd: boolean): number {
  const ka = A.length;
  const kb = B.length;
  let ca = ka > 0 ? A[0]! : 0;
  let cb = kb > 0 ? B[0]! : 0;
  let va = false;
  let vb = false;
  let a = 1;
  let b = 1;
  let inter = 0;
  let union = 0;
  let ct = 1;
  while (ct > 0) {
    const c = Math.min(ca, cb);
    if (va || vb) {
      union += c;
      if (va && vb) inter += c;
    }
    ct = 0;
    ca -= c;
    if (!ca && a < ka) {
      ca = A[a++]!;
      va = !va;
    }
    ct += ca;
    cb -= c;
    if (!cb && b < kb) {
      cb = B[b++]!;
      vb = !vb;
    }
    ct += cb;
  }
  if (inter === 0) union = 1;
  else if (crowd) {
    union = 0;
    for (let j = 1; j < ka; j += 2) union += A[j]!;
  }
  return inter / union;
}
