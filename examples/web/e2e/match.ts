/** Pairs two detection lists one to one: each box of `a`, best first, takes the unused box of `b` of its class
 * with the highest IoU. */
import { boxIou } from '@striate/core';

export interface Box {
  box: readonly [number, number, number, number] | number[];
  score: number;
  classIndex: number;
}

export interface Match {
  a: number;
  /** Index into `b`, or -1 when no box of the same class was left. */
  b: number;
  iou: number;
}

export function matchDetections(a: readonly Box[], b: readonly Box[]): Match[] {
  const flat = (d: readonly Box[]) => Float32Array.from(d.flatMap((x) => [...x.box]));
  const iou = a.length > 0 && b.length > 0 ? (boxIou(flat(a), flat(b)) as Float32Array) : new Float32Array(0);
  const used = new Set<number>();
  const order = a.map((_, i) => i).sort((i, j) => a[j]!.score - a[i]!.score || i - j);
  const out: Match[] = [];
  for (const i of order) {
    let best = -1;
    let bestIou = -1;
    for (let j = 0; j < b.length; j++) {
      if (used.has(j) || b[j]!.classIndex !== a[i]!.classIndex) continue;
      const v = iou[i * b.length + j]!;
      if (v > bestIou) {
        best = j;
        bestIou = v;
      }
    }
    if (best >= 0) used.add(best);
    out.push({ a: i, b: best, iou: best >= 0 ? bestIou : 0 });
  }
  return out;
}
