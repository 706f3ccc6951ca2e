/** Order statistics of latency samples. */

/**
 * The `p`-th percentile (0-100) of `samples`, linear interpolation between closest ranks (numpy's default, so
 * `percentile([1, 2, 3, 4], 50)` is 2.5). Throws on an empty sample or a `p` outside [0, 100].
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new RangeError(`samples: expected a non-empty array of numbers, got ${samples?.length ?? samples} items`);
  }
  if (typeof p !== 'number' || !(p >= 0 && p <= 100))
    throw new RangeError(`p: expected a number in [0, 100], got ${p}`);
  for (const [i, s] of samples.entries()) {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new RangeError(`samples[${i}]: expected a finite number, got ${String(s)}`);
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** Latency summary of one case, in milliseconds per run (one run = one batch). */
export interface LatencySummary {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function summarizeLatency(samplesMs: readonly number[]): LatencySummary {
  const p50 = percentile(samplesMs, 50);
  return {
    samples: samplesMs.length,
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    p50Ms: p50,
    p95Ms: percentile(samplesMs, 95),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
  };
}

/** Images per second at a median latency for a batch of `batch` images. */
export function throughput(batch: number, p50Ms: number): number {
  if (!(p50Ms > 0)) throw new RangeError(`p50Ms: expected a positive number, got ${p50Ms}`);
  return (batch * 1000) / p50Ms;
}
