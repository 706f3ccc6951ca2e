/**
 * `boxIou` on 1,000 x 1,000 seeded random boxes, against a naive JavaScript peer measured in the same run: an
 * array of `{ x1, y1, x2, y2 }` objects, one function call per pair with Math.max/Math.min, areas recomputed per
 * pair, and a nested `number[][]` result (the way the formula is usually first written down).
 *
 * Run: `cd packages/core && pnpm exec tsx --conditions=@striate/source ../../scripts/run-benches.ts boxes`
 */
import { Bench } from 'tinybench';
import { boxIou } from './box-iou.js';

const N = 1000;
const OURS = `boxIou ${N}x${N} (striate)`;
const PEER = `boxIou ${N}x${N} (naive JS)`;

/** Numerical Recipes LCG: a fixed stream of floats in [0, 1), independent of the library's RNG. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** `n` boxes inside a 640x640 canvas, sides from 8 to 200 pixels. */
function randomBoxes(n: number, seed: number): Float32Array {
  const next = lcg(seed);
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const w = 8 + 192 * next();
    const h = 8 + 192 * next();
    const x = (640 - w) * next();
    const y = (640 - h) * next();
    out.set([x, y, x + w, y + h], 4 * i);
  }
  return out;
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function toObjects(flat: Float32Array): Box[] {
  const boxes: Box[] = [];
  for (let p = 0; p < flat.length; p += 4)
    boxes.push({ x1: flat[p]!, y1: flat[p + 1]!, x2: flat[p + 2]!, y2: flat[p + 3]! });
  return boxes;
}

function naiveIou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const areaA = (a.x2 - a.x1) * (a.y2 - a.y1);
  const areaB = (b.x2 - b.x1) * (b.y2 - b.y1);
  return inter / (areaA + areaB - inter);
}

function naiveBoxIou(a: Box[], b: Box[]): number[][] {
  return a.map((boxA) => b.map((boxB) => naiveIou(boxA, boxB)));
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default function (): Bench {
  const a = randomBoxes(N, 1);
  const b = randomBoxes(N, 2);
  const aObjects = toObjects(a);
  const bObjects = toObjects(b);

  // Both implementations must agree before their speed is worth comparing.
  const ours = boxIou(a, b);
  const peer = naiveBoxIou(aObjects, bObjects);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (Math.abs(ours[i * N + j]! - peer[i]![j]!) > 1e-6) {
        throw new Error(
          `boxes.bench: striate and naive IoU differ at (${i}, ${j}): ${ours[i * N + j]} vs ${peer[i]![j]}`,
        );
      }
    }
  }

  const bench = new Bench({ name: 'boxes', warmup: true, warmupIterations: 5, time: 500 });
  bench.add(OURS, () => {
    const out = boxIou(a, b);
    sink += out[(sink & 0xffff) % out.length]!;
  });
  bench.add(PEER, () => {
    const out = naiveBoxIou(aObjects, bObjects);
    sink += out[(sink & 0xff) % N]![0]!;
  });
  return bench;
}

/** Prints ours / peer throughput (mean operations per second, same run, same machine). */
export function report(bench: Bench): void {
  const mean = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'throughput' in result ? result.throughput.mean : undefined;
  };
  const ours = mean(OURS);
  const peer = mean(PEER);
  if (ours === undefined || peer === undefined) {
    console.log('boxes: no ratio (a task did not complete)');
    return;
  }
  const pairsPerSecond = (ours * N * N) / 1e6;
  console.log(
    `boxIou ${N}x${N}: striate ${ours.toFixed(1)} ops/s (${pairsPerSecond.toFixed(0)} M pairs/s), ` +
      `naive JS ${peer.toFixed(1)} ops/s; ratio striate/naive = ${(ours / peer).toFixed(2)}x`,
  );
}
