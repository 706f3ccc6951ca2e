/**
 * The reference Conv kernel on 3x3, 64 -> 64 channels, 1x64x56x56, pad 1 (a ResNet layer1 conv), against a naive
 * peer measured in the same run: the direct seven nested loops (output channel, row, column, input channel, kernel
 * row, kernel column; batch 1) with the padding test on every tap, as the formula is usually first written down.
 *
 * Run: `cd packages/core && pnpm exec tsx --conditions=@striate/source ../../scripts/run-benches.ts conv`
 */
import { Bench } from 'tinybench';
import type { GraphNode } from '../graph.js';
import { Tensor } from '../tensor.js';
import { conv } from './conv.js';

const C = 64;
const M = 64;
const H = 56;
const W = 56;
const K = 3;
const OURS = `reference Conv 3x3 ${C}->${M} 1x${C}x${H}x${W}`;
const PEER = 'naive 7-loop conv (same shape)';

/** Numerical Recipes LCG: a fixed stream of floats in [-1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 4294967296) * 2 - 1;
  };
}

function naiveConv(x: Float32Array, w: Float32Array, b: Float32Array): Float32Array {
  const y = new Float32Array(M * H * W);
  for (let m = 0; m < M; m++)
    for (let oh = 0; oh < H; oh++)
      for (let ow = 0; ow < W; ow++) {
        let s = b[m]!;
        for (let c = 0; c < C; c++)
          for (let kh = 0; kh < K; kh++)
            for (let kw = 0; kw < K; kw++) {
              const ih = oh - 1 + kh;
              const iw = ow - 1 + kw;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
              s += x[(c * H + ih) * W + iw]! * w[((m * C + c) * K + kh) * K + kw]!;
            }
        y[(m * H + oh) * W + ow] = s;
      }
  return y;
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default function (): Bench {
  const next = lcg(42);
  const x = new Tensor('float32', [1, C, H, W], Float32Array.from({ length: C * H * W }, next));
  const w = new Tensor(
    'float32',
    [M, C, K, K],
    Float32Array.from({ length: M * C * K * K }, () => next() * 0.05),
  );
  const b = new Tensor('float32', [M], Float32Array.from({ length: M }, next));
  const attrs = { kernel_shape: [K, K], pads: [1, 1, 1, 1] };
  const node: GraphNode = { op: 'Conv', name: 'layer1.0.conv1', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs };

  // Both must agree before their speed is worth comparing.
  const ours = conv([x, w, b], attrs, node)[0]!.data as Float32Array;
  const peer = naiveConv(x.data, w.data, b.data);
  for (let i = 0; i < ours.length; i++) {
    if (Math.abs(ours[i]! - peer[i]!) > 1e-4) {
      throw new Error(`conv.bench: reference and naive conv differ at ${i}: ${ours[i]} vs ${peer[i]}`);
    }
  }

  const bench = new Bench({ name: 'reference conv', warmup: true, warmupIterations: 2, time: 2000, iterations: 10 });
  bench.add(OURS, () => {
    const y = conv([x, w, b], attrs, node)[0]!.data as Float32Array;
    sink += y[(sink & 0xffff) % y.length]!;
  });
  bench.add(PEER, () => {
    const y = naiveConv(x.data, w.data, b.data);
    sink += y[(sink & 0xffff) % y.length]!;
  });
  return bench;
}

/** Prints reference / naive throughput and the reference kernel's GMAC/s (same run, same machine). */
export function report(bench: Bench): void {
  const mean = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'throughput' in result ? result.throughput.mean : undefined;
  };
  const ours = mean(OURS);
  const peer = mean(PEER);
  if (ours === undefined || peer === undefined) {
    console.log('conv: no ratio (a task did not complete)');
    return;
  }
  const macs = M * H * W * C * K * K;
  console.log(
    `Conv 3x3 ${C}->${M} on ${H}x${W}: reference ${ours.toFixed(2)} ops/s (${((ours * macs) / 1e9).toFixed(2)} GMAC/s), ` +
      `naive ${peer.toFixed(2)} ops/s; ratio reference/naive = ${(ours / peer).toFixed(2)}x`,
  );
}
