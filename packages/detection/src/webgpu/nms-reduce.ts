/**
 * The greedy pass of NMS over the GPU's suppression lists (torchvision's `nms_kernel` host loop): boxes are
 * visited in processing order; a box not yet removed is kept and removes every box its row marks. Undecided
 * pairs of a kept row are settled by the exact CPU pair test. Not exported from the package.
 */
import type { MaskLists } from './nms-mask-gpu.js';

/** Entries of a list grouped by row: entry indices of row r are `index[start[r] .. start[r + 1])`. */
function byRow(list: Uint32Array, n: number): { start: Int32Array; index: Int32Array } {
  const entries = list.length / 4;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < entries; e++) start[list[4 * e]! + 1]!++;
  for (let r = 0; r < n; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, n);
  const index = new Int32Array(entries);
  for (let e = 0; e < entries; e++) index[fill[list[4 * e]!]!++] = e;
  return { start, index };
}

/**
 * Kept indices (original box indices, in processing order). `order[r]` is the box at position r; `suppresses(i, j)`
 * is the exact test "kept box i suppresses box j" on original indices.
 */
export function reduceSuppression(
  lists: MaskLists,
  order: Int32Array,
  suppresses: (i: number, j: number) => boolean,
): Int32Array {
  const n = order.length;
  const removed = new Uint32Array(2 * Math.ceil(n / 64));
  const sure = byRow(lists.sure, n);
  const unsure = byRow(lists.unsure, n);
  const keep = new Int32Array(n);
  let kept = 0;
  for (let r = 0; r < n; r++) {
    if ((removed[r >>> 5]! >>> (r & 31)) & 1) continue;
    const i = order[r]!;
    keep[kept++] = i;
    for (let p = sure.start[r]!; p < sure.start[r + 1]!; p++) {
      const e = 4 * sure.index[p]!;
      const c = lists.sure[e + 1]!;
      removed[2 * c]! |= lists.sure[e + 2]!;
      removed[2 * c + 1]! |= lists.sure[e + 3]!;
    }
    for (let p = unsure.start[r]!; p < unsure.start[r + 1]!; p++) {
      const e = 4 * unsure.index[p]!;
      const c = lists.unsure[e + 1]!;
      for (let half = 0; half < 2; half++) {
        let bits = lists.unsure[e + 2 + half]! & ~removed[2 * c + half]!;
        while (bits !== 0) {
          const b = 31 - Math.clz32(bits & -bits);
          bits &= bits - 1;
          const s = 64 * c + 32 * half + b;
          if (suppresses(i, order[s]!)) removed[2 * c + half]! |= 1 << b;
        }
      }
    }
  }
  return keep.slice(0, kept);
}
