/**
 * Greedy NMS kernels. `naiveNms` is a line-by-line port of torchvision's CPU algorithm (O(N^2) in the worst case):
 * it is the oracle in tests and the peer in the benchmark. `gridNms` gives the identical keep list while testing
 * each candidate only against kept boxes that could suppress it.
 *
 * Both use the same pair test, torchvision's `ovr = inter / (area_i + area_j - inter)` with every step rounded to
 * float32 when the input is float32 (as torch computes on a float32 tensor), and `ovr > iouThreshold`.
 * Why the pruning in `gridNms` is exact: `ovr > t` needs `inter > 0`, and (in exact arithmetic, which the
 * float32 result follows to a relative 1e-6) IoU > t needs, per axis, `w_k > t * w_j` and `w_j > t * w_k` (shape
 * classes) and `|cx_j - cx_k| < (w_j + w_k) / 2 - t * max(w_j, w_k)` (centre windows). Kept boxes are filed by
 * centre in a grid per shape class; a candidate visits the classes and cells that these bounds allow, with t
 * lowered by a relative 1e-3 and windows widened, so no pair that could suppress is skipped. Boxes that cannot
 * intersect anything (x2 <= x1, y2 <= y1 or a NaN coordinate) skip the grid and are kept; boxes with an infinite
 * coordinate are tested pair by pair.
 */
export type Coords = Float32Array | Float64Array;

const identity = (x: number): number => x;

/** Box areas as torchvision computes them: `(x2 - x1) * (y2 - y1)`, in float32 when `f32`. */
export function boxAreas(c: Coords, count: number, f32: boolean): Float64Array {
  const fr = f32 ? Math.fround : identity;
  const areas = new Float64Array(count);
  for (let i = 0, p = 0; i < count; i++, p += 4) areas[i] = fr(fr(c[p + 2]! - c[p]!) * fr(c[p + 3]! - c[p + 1]!));
  return areas;
}

/** torchvision's test: does kept box `i` suppress box `j`? */
export function makePairTest(
  c: Coords,
  areas: Float64Array,
  f32: boolean,
  threshold: number,
): (i: number, j: number) => boolean {
  const fr = f32 ? Math.fround : identity;
  return (i, j) => {
    const pi = 4 * i;
    const pj = 4 * j;
    const xx1 = Math.max(c[pi]!, c[pj]!);
    const yy1 = Math.max(c[pi + 1]!, c[pj + 1]!);
    const xx2 = Math.min(c[pi + 2]!, c[pj + 2]!);
    const yy2 = Math.min(c[pi + 3]!, c[pj + 3]!);
    const w = Math.max(0, fr(xx2 - xx1));
    const h = Math.max(0, fr(yy2 - yy1));
    const inter = fr(w * h);
    const ovr = fr(inter / fr(fr(areas[i]! + areas[j]!) - inter));
    return ovr > threshold;
  };
}

/**
 * Indices of `scores` in processing order: descending score, ties by lower index (a stable sort, as torchvision's
 * `scores.sort(stable=True, descending=True)`); NaN scores are dropped. `subset` restricts to those indices.
 * Float32Array scores take a stable two-pass radix sort on their bits; other inputs a comparison sort.
 */
export function scoreOrder(scores: ArrayLike<number>, subset?: Int32Array): Int32Array {
  const n = subset ? subset.length : scores.length;
  const order = new Int32Array(n);
  let m = 0;
  for (let t = 0; t < n; t++) {
    const i = subset ? subset[t]! : t;
    if (!Number.isNaN(scores[i]!)) order[m++] = i;
  }
  const out = order.subarray(0, m);
  if (scores instanceof Float32Array && m > 256) return radixOrder(scores, out);
  // `||` also maps the NaN of Infinity - Infinity to the index tie-break.
  out.sort((a, b) => scores[b]! - scores[a]! || a - b);
  return out;
}

/** Stable LSD radix sort (2 x 16 bits) of `indices` (ascending) by descending float32 score. */
function radixOrder(scores: Float32Array, indices: Int32Array): Int32Array {
  const m = indices.length;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, scores.length);
  const keys = new Uint32Array(m);
  for (let t = 0; t < m; t++) {
    const i = indices[t]!;
    // -0 sorts with +0 (equal scores); the flip makes unsigned order match float order, ~ makes it descending.
    const u = scores[i] === 0 ? 0 : bits[i]!;
    keys[t] = ~(u & 0x80000000 ? ~u : u | 0x80000000) >>> 0;
  }
  let src: Int32Array = indices;
  let srcKeys: Uint32Array = keys;
  let dst: Int32Array = new Int32Array(m);
  let dstKeys: Uint32Array = new Uint32Array(m);
  const counts = new Int32Array(65536);
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let t = 0; t < m; t++) counts[(srcKeys[t]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const v = counts[b]!;
      counts[b] = sum;
      sum += v;
    }
    for (let t = 0; t < m; t++) {
      const k = srcKeys[t]!;
      const d = counts[(k >>> shift) & 0xffff]!++;
      dst[d] = src[t]!;
      dstKeys[d] = k;
    }
    [src, dst] = [dst, src];
    [srcKeys, dstKeys] = [dstKeys, srcKeys];
  }
  return src;
}

/** torchvision's CPU NMS loop over boxes already in processing order. */
export function naiveNms(c: Coords, count: number, f32: boolean, order: Int32Array, threshold: number): Int32Array {
  const test = makePairTest(c, boxAreas(c, count, f32), f32, threshold);
  const suppressed = new Uint8Array(count);
  const keep = new Int32Array(order.length);
  let kept = 0;
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    if (suppressed[i]) continue;
    keep[kept++] = i;
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b]!;
      if (!suppressed[j] && test(i, j)) suppressed[j] = 1;
    }
  }
  return keep.slice(0, kept);
}

/** Growable pair of int arrays holding the grids' linked lists (cell -> kept boxes). */
class CellLists {
  next = new Int32Array(1024);
  value = new Int32Array(1024);
  size = 0;
  push(head: Int32Array, cell: number, box: number): void {
    if (this.size === this.next.length) {
      const next = new Int32Array(this.size * 2);
      next.set(this.next);
      this.next = next;
      const value = new Int32Array(this.size * 2);
      value.set(this.value);
      this.value = value;
    }
    this.next[this.size] = head[cell]!;
    this.value[this.size] = box;
    head[cell] = this.size++;
  }
}

/** One grid per shape class of boxes: width in [base * 2^a, base * 2^(a+1)), height likewise with b. */
interface Level {
  minW: number;
  maxW: number;
  minH: number;
  maxH: number;
  count: number;
  gx: number;
  gy: number;
  invX: number;
  invY: number;
  head: Int32Array;
}

/** Relative slack on the size bounds, far above float32 rounding of the IoU. */
const SLACK = 1e-3;
const MAX_CLASS = 24;

function sizeClass(v: number, base: number): number {
  return Math.min(MAX_CLASS - 1, Math.max(0, Math.floor(Math.log2(v / base))));
}

/**
 * Same keep list as `naiveNms`. Kept boxes are indexed in a uniform grid per shape class (widths and heights
 * within a factor of 2); a candidate is tested only against kept boxes in the cells it covers, in the shape
 * classes that can reach IoU > t with it: IoU <= (min(wa, wb) / wa) * (min(ha, hb) / ha) (and the same with b),
 * so IoU > t needs each box's width (and height) to be more than t times the other's.
 */
export function gridNms(c: Coords, count: number, f32: boolean, order: Int32Array, threshold: number): Int32Array {
  const n = order.length;
  const areas = boxAreas(c, count, f32);
  const test = makePairTest(c, areas, f32, threshold);
  const fr = Math.fround;
  // kind: 0 = cannot intersect anything, 1 = finite (grid), 2 = infinite coordinate (pair by pair).
  const kind = new Uint8Array(count);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let baseW = Number.POSITIVE_INFINITY;
  let baseH = Number.POSITIVE_INFINITY;
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const x1 = c[4 * i]!;
    const y1 = c[4 * i + 1]!;
    const x2 = c[4 * i + 2]!;
    const y2 = c[4 * i + 3]!;
    if (!(x2 > x1 && y2 > y1)) continue;
    if (!(Number.isFinite(x1) && Number.isFinite(y1) && Number.isFinite(x2) && Number.isFinite(y2))) {
      kind[i] = 2;
      continue;
    }
    kind[i] = 1;
    if (x2 - x1 < baseW) baseW = x2 - x1;
    if (y2 - y1 < baseH) baseH = y2 - y1;
    if (x1 < minX) minX = x1;
    if (y1 < minY) minY = y1;
    if (x2 > maxX) maxX = x2;
    if (y2 > maxY) maxY = y2;
  }
  const levelOf = new Uint16Array(count);
  const levels: (Level | undefined)[] = [];
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    if (kind[i] !== 1) continue;
    const w = c[4 * i + 2]! - c[4 * i]!;
    const h = c[4 * i + 3]! - c[4 * i + 1]!;
    const L = sizeClass(w, baseW) * MAX_CLASS + sizeClass(h, baseH);
    levelOf[i] = L;
    let level = levels[L];
    if (!level) {
      level = {
        minW: w,
        maxW: w,
        minH: h,
        maxH: h,
        count: 0,
        gx: 0,
        gy: 0,
        invX: 0,
        invY: 0,
        head: new Int32Array(0),
      };
      levels[L] = level;
    }
    level.count++;
    if (w < level.minW) level.minW = w;
    if (w > level.maxW) level.maxW = w;
    if (h < level.minH) level.minH = h;
    if (h > level.maxH) level.maxH = h;
  }
  const active = levels.filter((level): level is Level => level !== undefined);
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  for (const level of active) {
    // Cells half as large as the class's largest box (boxes are registered by their centre), and no more than
    // ~4 cells per box of the class.
    let cellW = level.maxW / 2;
    let cellH = level.maxH / 2;
    const cells = (Math.floor(spanX / cellW) + 1) * (Math.floor(spanY / cellH) + 1);
    const cap = Math.max(16, 4 * level.count);
    if (cells > cap) {
      const f = Math.sqrt(cells / cap) * 1.01;
      cellW *= f;
      cellH *= f;
    }
    level.invX = 1 / cellW;
    level.invY = 1 / cellH;
    level.gx = Math.floor(spanX * level.invX) + 1;
    level.gy = Math.floor(spanY * level.invY) + 1;
    level.head = new Int32Array(level.gx * level.gy).fill(-1);
  }
  // Absolute slack on centre windows: far above the rounding of centres and windows in float64.
  const slackAbs = 1e-9 * (Math.abs(minX) + Math.abs(maxX) + Math.abs(minY) + Math.abs(maxY) + 1);
  const low = threshold * (1 - SLACK);
  const lists = new CellLists();
  const infinite: number[] = []; // kept boxes with an infinite coordinate: tested against every candidate
  const indexed: number[] = []; // every kept box of kind 1 or 2 (for candidates with an infinite coordinate)
  const keep = new Int32Array(n);
  let kept = 0;
  for (let t = 0; t < n; t++) {
    const j = order[t]!;
    const kj = kind[j]!;
    if (kj === 0) {
      keep[kept++] = j;
      continue;
    }
    let suppressed = false;
    for (let b = 0; b < infinite.length && !suppressed; b++) suppressed = test(infinite[b]!, j);
    if (kj === 2) {
      for (let b = 0; b < indexed.length && !suppressed; b++) suppressed = test(indexed[b]!, j);
    } else {
      const p = 4 * j;
      const ox1 = c[p]!;
      const oy1 = c[p + 1]!;
      const ox2 = c[p + 2]!;
      const oy2 = c[p + 3]!;
      const w = ox2 - ox1;
      const h = oy2 - oy1;
      const next = lists.next;
      const value = lists.value;
      const aj = areas[j]!;
      const cxj = (ox1 + ox2) / 2 - minX;
      const cyj = (oy1 + oy2) / 2 - minY;
      for (let L = 0; L < active.length && !suppressed; L++) {
        const level = active[L]!;
        // Shape classes that cannot reach IoU > t with this box: skip.
        if (level.maxW <= low * w || w <= low * level.minW || level.maxH <= low * h || h <= low * level.minH) {
          continue;
        }
        // Centre window: IoU > t needs |cx_j - cx_k| < (w_j + w_k) / 2 - t * max(w_j, w_k) (and the same in y).
        const winX = ((w + level.maxW) / 2 - low * w) * (1 + SLACK) + slackAbs;
        const winY = ((h + level.maxH) / 2 - low * h) * (1 + SLACK) + slackAbs;
        const { gx, gy, invX, invY, head } = level;
        const cx0 = Math.max(0, Math.floor((cxj - winX) * invX));
        const cy0 = Math.max(0, Math.floor((cyj - winY) * invY));
        const cx1 = Math.min(gx - 1, Math.floor((cxj + winX) * invX));
        const cy1 = Math.min(gy - 1, Math.floor((cyj + winY) * invY));
        for (let y = cy0; y <= cy1 && !suppressed; y++) {
          for (let x = cx0; x <= cx1 && !suppressed; x++) {
            for (let e = head[y * gx + x]!; e >= 0; e = next[e]!) {
              const k = value[e]!;
              const q = 4 * k;
              // No strict overlap on an axis: intersection 0, cannot suppress (exact, no rounding involved).
              if (c[q]! >= ox2 || c[q + 2]! <= ox1 || c[q + 1]! >= oy2 || c[q + 3]! <= oy1) continue;
              // torchvision's pair test, inlined (see makePairTest); w, h > 0 here.
              const iw = Math.min(c[q + 2]!, ox2) - Math.max(c[q]!, ox1);
              const ih = Math.min(c[q + 3]!, oy2) - Math.max(c[q + 1]!, oy1);
              let ovr: number;
              if (f32) {
                const inter = fr(fr(iw) * fr(ih));
                ovr = fr(inter / fr(fr(areas[k]! + aj) - inter));
              } else {
                const inter = iw * ih;
                ovr = inter / (areas[k]! + aj - inter);
              }
              if (ovr > threshold) {
                suppressed = true;
                break;
              }
            }
          }
        }
      }
    }
    if (suppressed) continue;
    keep[kept++] = j;
    indexed.push(j);
    if (kj === 2) {
      infinite.push(j);
      continue;
    }
    const { gx, gy, invX, invY, head } = levels[levelOf[j]!]!;
    const p = 4 * j;
    const cx = Math.min(gx - 1, Math.floor(((c[p]! + c[p + 2]!) / 2 - minX) * invX));
    const cy = Math.min(gy - 1, Math.floor(((c[p + 1]! + c[p + 3]!) / 2 - minY) * invY));
    lists.push(head, cy * gx + cx, j);
  }
  return keep.slice(0, kept);
}
