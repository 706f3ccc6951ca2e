/**
 * COCO run-length encoding (RLE) of binary masks, bit-exact with cocoapi's `maskApi.c`.
 *
 * A mask of `height x width` pixels is read in column-major order (down the first column, then the next); `counts`
 * alternates runs of 0s and 1s and always starts with a run of 0s (possibly empty). The compressed string form is
 * COCO's LEB128-like code (6 bits a character, characters 48-111, counts after the third stored as the difference
 * to the count two places earlier).
 */
import { DataError } from '@striate/core';

/** A binary mask as COCO's run lengths: `counts` alternate 0-runs and 1-runs over the column-major pixels. */
export interface Rle {
  readonly height: number;
  readonly width: number;
  readonly counts: Uint32Array;
}

/** COCO's JSON form of a compressed RLE: `size` is `[height, width]`, `counts` the compressed string. */
export interface CompressedRle {
  size: [number, number];
  counts: string;
}

/** Pixel order of a dense mask: `'row-major'` (`mask[y * width + x]`, the usual image layout) or COCO's own. */
export type MaskOrder = 'row-major' | 'column-major';

function checkSize(height: number, width: number, where: string): void {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new RangeError(`${where}: height must be a non-negative integer, got ${height}`);
  }
  if (!Number.isSafeInteger(width) || width < 0) {
    throw new RangeError(`${where}: width must be a non-negative integer, got ${width}`);
  }
}

function checkOrder(order: MaskOrder, where: string): void {
  if (order !== 'row-major' && order !== 'column-major') {
    throw new RangeError(`${where}: order must be 'row-major' or 'column-major', got ${JSON.stringify(order)}`);
  }
}

/**
 * Encodes a binary mask (`height * width` values; any non-zero value is foreground) as COCO RLE. `order` says how
 * `mask` is laid out; the counts are always column-major, as COCO stores them.
 */
export function rleEncode(mask: ArrayLike<number>, height: number, width: number, order: MaskOrder = 'row-major'): Rle {
  checkSize(height, width, 'rleEncode');
  checkOrder(order, 'rleEncode');
  const n = height * width;
  if (mask.length !== n) {
    throw new RangeError(`rleEncode: mask must hold height * width = ${n} values, got ${mask.length}`);
  }
  const counts: number[] = [];
  let prev = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const v = (order === 'row-major' ? mask[y * width + x] : mask[x * height + y]) ? 1 : 0;
      if (v !== prev) {
        counts.push(run);
        run = 0;
        prev = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { height, width, counts: Uint32Array.from(counts) };
}

/** Decodes an RLE to a dense 0/1 mask in `order` (row-major by default). The counts must cover every pixel. */
export function rleDecode(rle: Rle, order: MaskOrder = 'row-major'): Uint8Array {
  checkOrder(order, 'rleDecode');
  const { height, width, counts } = rle;
  const n = height * width;
  let total = 0;
  for (let j = 0; j < counts.length; j++) total += counts[j]!;
  if (total !== n) {
    throw new DataError(`rleDecode: counts sum to ${total}, expected height * width = ${n} (${height}x${width})`);
  }
  const colMajor = new Uint8Array(n);
  let p = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j]!;
    if (j & 1) colMajor.fill(1, p, p + c);
    p += c;
  }
  if (order === 'column-major') return colMajor;
  const out = new Uint8Array(n);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) out[y * width + x] = colMajor[x * height + y]!;
  }
  return out;
}

/**
 * Hands out `Uint32Array` views of large shared chunks, so that many small RLEs (a results file holds hundreds of
 * thousands) do not each allocate a buffer of their own.
 */
export class CountsPool {
  private chunk = new Uint32Array(0);
  private used = 0;
  constructor(private readonly chunkSize = 1 << 20) {}

  take(n: number): Uint32Array {
    if (this.used + n > this.chunk.length) {
      this.chunk = new Uint32Array(Math.max(this.chunkSize, n));
      this.used = 0;
    }
    const view = this.chunk.subarray(this.used, this.used + n);
    this.used += n;
    return view;
  }
}

/** COCO's compressed string of an RLE's counts (`rleToString` in maskApi.c). */
export function rleToString(rle: Rle): string {
  const cnts = rle.counts;
  const chars: number[] = [];
  for (let i = 0; i < cnts.length; i++) {
    let x = cnts[i]! - (i > 2 ? cnts[i - 2]! : 0);
    let more = true;
    while (more) {
      const low = x - Math.floor(x / 32) * 32; // x & 0x1f, also for negative x
      x = Math.floor(x / 32); // arithmetic shift right by 5
      more = low & 0x10 ? x !== -1 : x !== 0;
      chars.push((more ? low | 0x20 : low) + 48);
    }
  }
  let s = '';
  for (let i = 0; i < chars.length; i += 8192) s += String.fromCharCode(...chars.slice(i, i + 8192));
  return s;
}

/**
 * Parses COCO's compressed counts string (`rleFrString` in maskApi.c). Characters outside 48-111, a string that ends
 * inside a number, or a negative count are a `DataError` naming `what`.
 */
export function rleFromString(counts: string, height: number, width: number, what = 'counts', pool?: CountsPool): Rle {
  checkSize(height, width, 'rleFromString');
  if (typeof counts !== 'string') throw new TypeError(`${what}: expected a string, got ${typeof counts}`);
  const len = counts.length;
  // First pass: validate the characters and count the numbers (characters without the continuation bit).
  let numbers = 0;
  for (let p = 0; p < len; p++) {
    const code = counts.charCodeAt(p);
    if (code < 48 || code > 111) {
      throw new DataError(
        `${what}: invalid character ${JSON.stringify(counts[p])} at ${p} (expected char codes 48-111)`,
      );
    }
    if (((code - 48) & 0x20) === 0) numbers++;
  }
  if (len > 0 && ((counts.charCodeAt(len - 1) - 48) & 0x20) !== 0) {
    throw new DataError(`${what}: compressed RLE string ends inside a number (at character ${len})`);
  }
  const out = pool ? pool.take(numbers) : new Uint32Array(numbers);
  let m = 0;
  let p = 0;
  while (p < len) {
    let x = 0;
    let scale = 1;
    let c = 0x20;
    while (c & 0x20) {
      c = counts.charCodeAt(p++) - 48;
      x += (c & 0x1f) * scale;
      scale *= 32;
    }
    if (c & 0x10) x -= scale;
    if (m > 2) x += out[m - 2]!;
    if (x < 0 || x > 0xffffffff) {
      throw new DataError(`${what}: run ${m} decodes to ${x}, outside [0, 2^32) (ends at character ${p - 1})`);
    }
    out[m++] = x;
  }
  return { height, width, counts: out };
}

/** The compressed JSON form (`{ size: [h, w], counts: string }`) of an RLE. */
export function rleToCompressed(rle: Rle): CompressedRle {
  return { size: [rle.height, rle.width], counts: rleToString(rle) };
}

/** Foreground pixel count (`rleArea`). */
export function rleArea(rle: Rle): number {
  const c = rle.counts;
  let a = 0;
  for (let j = 1; j < c.length; j += 2) a += c[j]!;
  return a;
}

/** Tight box `[x, y, w, h]` of the foreground (`rleToBbox`; all zeros for an empty mask). */
export function rleToBbox(rle: Rle): [number, number, number, number] {
  const out = new Float64Array(4);
  rleToBboxInto(rle, out, 0);
  return [out[0]!, out[1]!, out[2]!, out[3]!];
}

/** `rleToBbox` written into `out[offset..offset+4)`. */
export function rleToBboxInto(rle: Rle, out: Float64Array, offset: number): void {
  const h = rle.height;
  const w = rle.width;
  const cnts = rle.counts;
  const m = (cnts.length >> 1) * 2;
  if (m === 0 || h === 0) {
    out[offset] = out[offset + 1] = out[offset + 2] = out[offset + 3] = 0;
    return;
  }
  let xs = w;
  let ys = h;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  let xp = 0;
  for (let j = 0; j < m; j++) {
    cc += cnts[j]!;
    const t = cc - (j & 1);
    const y = t % h;
    const x = (t - y) / h;
    if ((j & 1) === 0) xp = x;
    else if (xp < x) {
      ys = 0;
      ye = h - 1;
    }
    if (x < xs) xs = x;
    if (x > xe) xe = x;
    if (y < ys) ys = y;
    if (y > ye) ye = y;
  }
  out[offset] = xs;
  out[offset + 2] = xe - xs + 1;
  out[offset + 1] = ys;
  out[offset + 3] = ye - ys + 1;
}

/**
 * Union (or, with `intersect`, intersection) of RLEs of one size (`rleMerge`). An empty list gives a 0x0 RLE; RLEs
 * of different sizes are a `RangeError` (maskApi.c silently returns an empty 0x0 RLE there).
 */
export function rleMerge(rles: readonly Rle[], intersect = false): Rle {
  if (rles.length === 0) return { height: 0, width: 0, counts: new Uint32Array(0) };
  const { height: h, width: w } = rles[0]!;
  for (let i = 1; i < rles.length; i++) {
    if (rles[i]!.height !== h || rles[i]!.width !== w) {
      throw new RangeError(
        `rleMerge: rles[${i}] is ${rles[i]!.height}x${rles[i]!.width}, expected ${h}x${w} like rles[0]`,
      );
    }
  }
  let acc: Uint32Array = rles[0]!.counts.slice();
  for (let i = 1; i < rles.length; i++) acc = mergeTwo(acc, rles[i]!.counts, intersect);
  return { height: h, width: w, counts: acc };
}

function mergeTwo(A: Uint32Array, B: Uint32Array, intersect: boolean): Uint32Array {
  const out = new Uint32Array(A.length + B.length + 1);
  let ca = A.length > 0 ? A[0]! : 0;
  let cb = B.length > 0 ? B[0]! : 0;
  let v = false;
  let va = false;
  let vb = false;
  let m = 0;
  let a = 1;
  let b = 1;
  let cc = 0;
  let ct = 1;
  while (ct > 0) {
    const c = Math.min(ca, cb);
    cc += c;
    ct = 0;
    ca -= c;
    if (!ca && a < A.length) {
      ca = A[a++]!;
      va = !va;
    }
    ct += ca;
    cb -= c;
    if (!cb && b < B.length) {
      cb = B[b++]!;
      vb = !vb;
    }
    ct += cb;
    const vp: boolean = v;
    v = intersect ? va && vb : va || vb;
    if (v !== vp || ct === 0) {
      out[m++] = cc;
      cc = 0;
    }
  }
  return out.slice(0, m);
}
