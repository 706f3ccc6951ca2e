/**
 * One benchmark case: compile (cold start), explicit warm-up, then tinybench timing with a sink, RSS sampled after
 * every run.
 */
import type { CompiledModel, Tensor } from '@striate/core';
import { Bench } from 'tinybench';
import { type LatencySummary, summarizeLatency, throughput } from './stats.js';

/** What a case needs: a way to compile (timed as the cold start) and the feeds of one run. */
export interface CaseSpec {
  name: string;
  /** Batch size of `feeds` (images per run). */
  batch: number;
  compile(): Promise<CompiledModel>;
  feeds: Readonly<Record<string, Tensor>>;
}

export interface TimingOptions {
  /** Warm-up runs before timing (default 2). */
  warmupIterations?: number;
  /** Minimum timed runs (default 5). */
  iterations?: number;
  /** Minimum timing budget in ms (default 500). */
  timeMs?: number;
}

export interface CaseMeasurement {
  /** Compile time including session creation (and shader compilation where the device compiles shaders), ms. */
  coldStartMs: number;
  /** The first run after compiling, ms (includes lazy initialisation some runtimes defer to it). */
  firstRunMs: number;
  latency: LatencySummary;
  imagesPerSecond: number;
  /** Peak process RSS over the case minus RSS before compiling, MiB (sampled after compile and after each run). */
  peakRssDeltaMiB: number;
  /** What actually ran, from `CompiledModel.providers`. */
  providers: string[];
  /** Sum of the first output value of every run: a sink that keeps the results observed. */
  sink: number;
}

const MiB = 2 ** 20;

function firstValue(out: Record<string, Tensor>): number {
  for (const t of Object.values(out)) {
    const v = t.data[0];
    return typeof v === 'bigint' ? Number(v) : (v ?? 0);
  }
  return 0;
}

/** Runs one case and disposes what it compiled, also on failure. */
export async function measureCase(spec: CaseSpec, options: TimingOptions = {}): Promise<CaseMeasurement> {
  const warmupIterations = options.warmupIterations ?? 2;
  const iterations = options.iterations ?? 5;
  const timeMs = options.timeMs ?? 500;
  if (!Number.isInteger(spec.batch) || spec.batch < 1) {
    throw new RangeError(`spec.batch: expected a positive integer, got ${spec.batch}`);
  }
  const rss0 = process.memoryUsage.rss();
  let peakRss = rss0;
  const sample = (): void => {
    const r = process.memoryUsage.rss();
    if (r > peakRss) peakRss = r;
  };
  const t0 = performance.now();
  const model = await spec.compile();
  const coldStartMs = performance.now() - t0;
  try {
    sample();
    let sink = 0;
    const t1 = performance.now();
    sink += firstValue(await model.run(spec.feeds));
    const firstRunMs = performance.now() - t1;
    sample();
    const bench = new Bench({
      name: spec.name,
      iterations,
      time: timeMs,
      warmup: true,
      warmupIterations,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
    });
    bench.add(spec.name, async () => {
      sink += firstValue(await model.run(spec.feeds));
      sample();
    });
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (!result || !('latency' in result) || !result.latency.samples) {
      throw new Error(`${spec.name}: tinybench returned no latency samples (state ${result?.state ?? 'none'})`);
    }
    const latency = summarizeLatency([...result.latency.samples]);
    return {
      coldStartMs,
      firstRunMs,
      latency,
      imagesPerSecond: throughput(spec.batch, latency.p50Ms),
      peakRssDeltaMiB: (peakRss - rss0) / MiB,
      providers: [...model.providers],
      sink,
    };
  } finally {
    await model.dispose();
  }
}
