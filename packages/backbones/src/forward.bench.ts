/**
 * Forward latency at batch 1 on core's reference backend for the small backbones (LeNet-5 at 32x32; SqueezeNet 1.1
 * and MobileNetV3-small at 224x224), seeded random weights and input. The reference backend is the oracle, not a
 * fast runtime: these numbers are the baseline that the ORT/tfjs backends are compared against in the bench package.
 *
 * Run: `pnpm --filter @striate/backbones run bench forward`
 */
import { type CompiledModel, Rng, referenceBackend, Tensor } from '@striate/core';
import { Bench } from 'tinybench';
import { createModel, getModelInfo } from './registry.js';

const MODELS = ['lenet5', 'squeezenet1_1', 'mobilenet_v3_small'] as const;
let sink = 0;

export default async function build(): Promise<Bench> {
  const bench = new Bench({
    name: 'backbones forward, reference backend, batch 1',
    warmup: true,
    warmupIterations: 1,
    iterations: 4,
    time: 0,
  });
  const rng = new Rng(0);
  const compiled: CompiledModel[] = [];
  for (const name of MODELS) {
    const [c, h, w] = getModelInfo(name).inputSize;
    const model = createModel(name, { seed: 0 }).eval();
    const graph = model.toGraph({ inputs: { input: [1, c, h, w] } });
    const run = await referenceBackend.compile(graph);
    compiled.push(run);
    const input = new Tensor('float32', [1, c, h, w], rng.uniformArray(c * h * w, -1, 1));
    bench.add(`${name} ${h}x${w}`, async () => {
      const { output } = await run.run({ input });
      sink += output!.data[0] as number;
    });
  }
  bench.addEventListener('complete', () => {
    for (const c of compiled) c.dispose();
  });
  return bench;
}

/** Prints the median latency of each model in milliseconds. */
export function report(bench: Bench): void {
  for (const task of bench.tasks) {
    const r = task.result;
    const ms = r && 'latency' in r ? (r.latency.p50 ?? r.latency.mean) / 1e6 : undefined;
    console.log(
      `${task.name}: median ${ms === undefined ? 'n/a (did not complete)' : `${ms.toFixed(1)} ms`} (sink ${sink.toFixed(2)})`,
    );
  }
}
