/**
 * Polygons and boxes rasterised to RLE exactly as cocoapi's `rleFrPoly` / `rleFrBbox` do (the boundary is traced at
 * 5x resolution, then downsampled to the y-crossings of pixel centres), and the conversion of a COCO
 * `segmentation` field to one RLE (`frPyObjects` + `merge`, as `COCO.annToRLE` does).
 */
import { DataError, describeValue } from '@striate/core';
import { type CountsPool, type Rle, rleFromString, rleMerge } from './rle.js';

/** A COCO `segmentation` field: polygons, an uncompressed RLE (counts list) or a compressed one (string). */
export type CocoSegmentation = number[][] | { size: [number, number]; counts: number[] | string };

const SCALE = 5;
/** Largest |coordinate|: maskApi.c keeps 5x coordinates in a C int; beyond 2^31 / 5 they would overflow. */
const MAX_COORD = 4e8;
/** Boundary points traced at 5x resolution, at most (4 bytes x 2 each): a guard against absurd polygons. */
const MAX_POINTS = 1 << 26;

/**
 * Rasterises one polygon `[x0, y0, x1, y1, ...]` (pixel coordinates, pixel centres at integer + 0.5 as in COCO)
 * on a `height x width` canvas (`rleFrPoly`). A trailing odd coordinate is ignored, as in pycocotools.
 */
export function rleFromPolygon(xy: ArrayLike<number>, height: number, width: number): Rle {
  if (!Number.isSafeInteger(height) || height < 0 || !Number.isSafeInteger(width) || width < 0) {
    throw new RangeError(`rleFromPolygon: height and width must be non-negative integers, got ${height}x${width}`);
  }
  const k = Math.floor(xy.length / 2);
  if (k === 0) throw new RangeError(`rleFromPolygon: a polygon needs at least one point, got ${xy.length} values`);
  for (let j = 0; j < 2 * k; j++) {
    const v = xy[j]!;
    if (!(Math.abs(v) <= MAX_COORD)) {
      throw new RangeError(`rleFromPolygon: xy[${j}] is ${v}, expected a finite number within +-${MAX_COORD}`);
    }
  }
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) x[j] = Math.trunc(SCALE * xy[j * 2]! + 0.5);
  x[k] = x[0]!;
  for (let j = 0; j < k; j++) y[j] = Math.trunc(SCALE * xy[j * 2 + 1]! + 0.5);
  y[k] = y[0]!;
  let total = 0;
  for (let j = 0; j < k; j++) total += Math.max(Math.abs(x[j]! - x[j + 1]!), Math.abs(y[j]! - y[j + 1]!)) + 1;
  if (total > MAX_POINTS) {
    throw new RangeError(`rleFromPolygon: the polygon's boundary needs ${total} points at 5x, more than ${MAX_POINTS}`);
  }
  // The boundary is traced point by point at 5x (as maskApi.c fills u, v); each step that changes x is checked at
  // once for a y-boundary crossing of a pixel centre column, without storing the points.
  let a = new Float64Array(Math.ceil(total / SCALE) + 2 * k + 2);
  let na = 0;
  let pu = 0;
  let pv = 0;
  let first = true;
  const wMax = width - 1;
  const step = (uj: number, vj: number): void => {
    if (first) first = false;
    else if (uj !== pu) {
      let xd = uj < pu ? uj : uj - 1;
      xd = (xd + 0.5) / SCALE - 0.5;
      if (Math.floor(xd) === xd && xd >= 0 && xd <= wMax) {
        let yd = Math.min(vj, pv);
        yd = (yd + 0.5) / SCALE - 0.5;
        if (yd < 0) yd = 0;
        else if (yd > height) yd = height;
        if (na + 1 >= a.length) {
          const grown = new Float64Array(2 * a.length);
          grown.set(a);
          a = grown;
        }
        a[na++] = xd * height + Math.ceil(yd);
      }
    }
    pu = uj;
    pv = vj;
  };
  for (let j = 0; j < k; j++) {
    let xs = x[j]!;
    let xe = x[j + 1]!;
    let ys = y[j]!;
    let ye = y[j + 1]!;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    // A zero-length edge gives s = NaN (0/0) in maskApi.c too; its single point never reaches the output because
    // it shares its x with both neighbours (a NaN y truncates to 0 here, to INT_MIN there, and is never read).
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    if (dx >= dy) {
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        step(t + xs, Math.trunc(ys + s * t + 0.5) | 0);
      }
    } else {
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        step(Math.trunc(xs + s * t + 0.5) | 0, t + ys);
      }
    }
  }
  a[na++] = height * width;
  const sorted = a.subarray(0, na).sort();
  let prev = 0;
  for (let j = 0; j < sorted.length; j++) {
    const t = sorted[j]!;
    sorted[j] = t - prev;
    prev = t;
  }
  const b = new Uint32Array(sorted.length);
  let j = 0;
  let n = 0;
  b[n++] = sorted[j++]!;
  while (j < sorted.length) {
    if (sorted[j]! > 0) b[n++] = sorted[j++]!;
    else {
      j++;
      if (j < sorted.length) b[n - 1] += sorted[j++]!;
    }
  }
  return { height, width, counts: b.slice(0, n) };
}

/** Rasterises a box `[x, y, w, h]` as the polygon of its corners (`rleFrBbox`). */
export function rleFromBbox(bbox: ArrayLike<number>, height: number, width: number): Rle {
  if (bbox.length !== 4) throw new RangeError(`rleFromBbox: bbox must be [x, y, w, h], got ${bbox.length} values`);
  const xs = bbox[0]!;
  const xe = xs + bbox[2]!;
  const ys = bbox[1]!;
  const ye = ys + bbox[3]!;
  return rleFromPolygon([xs, ys, xs, ye, xe, ye, xe, ys], height, width);
}

function rasterise(f: () => Rle, what: string): Rle {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) throw new DataError(`${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/**
 * One RLE from a COCO `segmentation` field on a `height x width` image, as `COCO.annToRLE` builds it: polygons are
 * rasterised and merged (a first polygon of exactly 4 numbers makes pycocotools read every entry as a box
 * `[x, y, w, h]`, and so does this), an uncompressed RLE is taken as is, a compressed one is parsed. An RLE keeps its
 * own `size`. Malformed input is a `DataError` naming `what`.
 */
export function rleFromSegmentation(
  segm: unknown,
  height: number,
  width: number,
  what = 'segmentation',
  pool?: CountsPool,
): Rle {
  if (Array.isArray(segm)) {
    if (segm.length === 0) throw new DataError(`${what}: empty polygon list (expected at least one polygon)`);
    for (let i = 0; i < segm.length; i++) {
      const poly = segm[i];
      if (!isNumberArray(poly)) {
        throw new DataError(`${what}[${i}]: expected a list of finite numbers, got ${describeValue(poly)}`);
      }
      if (poly.length < 2 || poly.length % 2 !== 0) {
        throw new DataError(`${what}[${i}]: a polygon needs an even number (>= 2) of coordinates, got ${poly.length}`);
      }
    }
    const asBoxes = (segm[0] as number[]).length === 4;
    const rles = (segm as number[][]).map((poly, i) => {
      if (asBoxes) {
        if (poly.length !== 4) {
          throw new DataError(
            `${what}[${i}]: has ${poly.length} numbers but ${what}[0] has 4, which COCO reads as boxes [x, y, w, h]`,
          );
        }
        return rasterise(() => rleFromBbox(poly, height, width), `${what}[${i}]`);
      }
      return rasterise(() => rleFromPolygon(poly, height, width), `${what}[${i}]`);
    });
    return rleMerge(rles);
  }
  if (segm === null || typeof segm !== 'object') {
    throw new DataError(`${what}: expected polygons or an RLE object, got ${describeValue(segm)}`);
  }
  const obj = segm as { size?: unknown; counts?: unknown };
  const size = obj.size;
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !size.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)
  ) {
    throw new DataError(`${what}.size: expected [height, width] non-negative integers, got ${describeValue(size)}`);
  }
  const [h, w] = size as [number, number];
  let rle: Rle;
  if (typeof obj.counts === 'string') rle = rleFromString(obj.counts, h, w, `${what}.counts`, pool);
  else if (Array.isArray(obj.counts)) {
    const counts = obj.counts;
    for (let j = 0; j < counts.length; j++) {
      const c = counts[j];
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 0xffffffff) {
        throw new DataError(`${what}.counts[${j}]: expected a non-negative integer, got ${describeValue(c)}`);
      }
    }
    rle = { height: h, width: w, counts: Uint32Array.from(counts as number[]) };
  } else {
    throw new DataError(`${what}.counts: expected a string or a list of integers, got ${describeValue(obj.counts)}`);
  }
  let total = 0;
  for (let j = 0; j < rle.counts.length; j++) total += rle.counts[j]!;
  if (total !== h * w) {
    throw new DataError(`${what}.counts: runs sum to ${total}, expected size[0] * size[1] = ${h * w}`);
  }
  return rle;
}
