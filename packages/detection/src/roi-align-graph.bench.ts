/**
 * The RoiAlign graph op on each backend beside its peer in the same run, the TypeScript `roiAlign` over typed arrays:
 * 200 RoIs x 64 channels -> 7x7 (sampling ratio 2, aligned=false as in Faster R-CNN's box head) on a [1, 64, 50, 68]
 * map (stride 16 of an 800x1088 image). The graph is compiled once per backend; each timed run feeds the map and the
 * RoIs and reads the result back. Outputs are checked against `roiAlign` (1e-4) before timing.
 *
 * Run: `cd packages/detection && pnpm bench roi-align-graph`
 */
import { ortNode } from '@striate/backend-ort';
import { tfjsBackend } from '@striate/backend-tfjs';
import { type CompiledModel, GraphBuilder, Tensor } from '@striate/core';
import { Bench } from 'tinybench';
import { lcg } from './internal/test-data.js';
import { roiAlign } from './roi-align.js';
import { roiAlignGraph } from './roi-align-graph.js';

const [C, H, W] = [64, 50, 68];
const K = 200;
const SCALE = 1 / 16;
const PEER = `roiAlign TS ${K} RoIs x ${C} ch -> 7x7`;
const TARGETS = [
  ['ortNode cpu', ortNode, 'cpu'],
  ['tfjs cpu', tfjsBackend, 'cpu'],
  ['tfjs wasm', tfjsBackend, 'wasm'],
] as const;
const taskName = (target: string): string => `RoiAlign graph op on ${target}`;

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;
const models: CompiledModel[] = [];

export default async function (): Promise<Bench> {
  const next = lcg(11);
  const input = new Tensor(
    'float32',
    [1, C, H, W],
    Float32Array.from({ length: C * H * W }, () => next() * 2 - 1),
  );
  const rois5 = new Float32Array(5 * K);
  const boxes = new Float32Array(4 * K);
  for (let r = 0; r < K; r++) {
    const w = 16 + 400 * next();
    const h = 16 + 400 * next();
    const x = (W * 16 - w) * next();
    const y = (H * 16 - h) * next();
    rois5.set([0, x, y, x + w, y + h], 5 * r);
    boxes.set([x, y, x + w, y + h], 4 * r);
  }
  const options = { outputSize: 7, spatialScale: SCALE, samplingRatio: 2, aligned: false } as const;
  const b = new GraphBuilder('roi_align_bench');
  b.output(
    roiAlignGraph(
      b.input('x', 'float32', [1, C, H, W]),
      b.input('rois', 'float32', ['R', 4]),
      b.input('batch_indices', 'int64', ['R']),
      options,
    ),
    'y',
  );
  const graph = b.build();
  const feeds = {
    x: input,
    rois: new Tensor('float32', [K, 4], boxes),
    batch_indices: new Tensor('int64', [K], new BigInt64Array(K)),
  };
  const expected = roiAlign(input, rois5, options).data;
  const bench = new Bench({ name: 'roi-align-graph', iterations: 5, time: 1000, warmupIterations: 1, warmupTime: 0 });
  bench.add(PEER, () => {
    sink += roiAlign(input, rois5, options).data[sink & 0xff]!;
  });
  for (const [name, backend, device] of TARGETS) {
    const model = await backend.compile(graph, { device });
    models.push(model);
    const got = (await model.run(feeds)).y!.data as Float32Array;
    for (let i = 0; i < expected.length; i++) {
      if (!(Math.abs(got[i]! - expected[i]!) <= 1e-4)) {
        throw new Error(`roi-align-graph.bench: ${name} differs from roiAlign at ${i}: ${got[i]} vs ${expected[i]}`);
      }
    }
    bench.add(taskName(name), async () => {
      sink += ((await model.run(feeds)).y!.data as Float32Array)[sink & 0xff]!;
    });
  }
  return bench;
}

/** Prints each backend's mean time and its ratio to the TypeScript `roiAlign` (same run), then frees the models. */
export function report(bench: Bench): void {
  const ms = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.mean : undefined;
  };
  const peer = ms(PEER);
  const parts = TARGETS.map(([name]) => {
    const t = ms(taskName(name));
    return t === undefined || peer === undefined
      ? `${name}: no result`
      : `${name} ${t.toFixed(1)} ms (${(t / peer).toFixed(2)}x the TS roiAlign)`;
  });
  console.log(`RoiAlign ${K} RoIs x ${C} ch 7x7: TS roiAlign ${peer?.toFixed(1)} ms; ${parts.join('; ')}`);
  for (const m of models.splice(0)) m.dispose();
}
