/**
 * Layer factories used by every architecture. While a model is built (synchronously, inside `withInit`), every
 * Conv2d and Linear draws its initial weights from one generator: a seeded `Rng` (reproducible weights) or, with
 * `skipInit`, a generator that leaves the weights zero-filled (as `torch.nn.utils.skip_init`: nothing is drawn,
 * the weights are meant to be replaced by `loadStateDict`, and counting parameters or tracing shapes is fast).
 */
import {
  BatchNorm2d,
  type BatchNorm2dOptions,
  Conv2d,
  type Conv2dOptions,
  Linear,
  type LinearOptions,
  Rng,
} from '@striate/core';

/** A generator that draws nothing: arrays come back zero-filled (see the file comment). */
class SkipInitRng extends Rng {
  constructor() {
    super(0);
  }
  override uniformArray(n: number): Float32Array {
    return new Float32Array(n);
  }
  override normalArray(n: number): Float32Array {
    return new Float32Array(n);
  }
}

let current: Rng | null = null;

/** Runs `build` with every layer factory drawing from `rng` (or from nothing with `skip`). */
export function withInit<T>(rng: Rng | undefined, seed: number, skip: boolean, build: () => T): T {
  const saved = current;
  current = skip ? new SkipInitRng() : (rng ?? new Rng(seed));
  try {
    return build();
  } finally {
    current = saved;
  }
}

function rng(): Rng {
  if (current === null) current = new Rng(0);
  return current;
}

export function conv(inC: number, outC: number, k: number | readonly [number, number], o: Conv2dOptions = {}): Conv2d {
  return new Conv2d(inC, outC, k, { ...o, rng: rng() });
}

export function linear(inF: number, outF: number, o: LinearOptions = {}): Linear {
  return new Linear(inF, outF, { ...o, rng: rng() });
}

export function bn(c: number, o: BatchNorm2dOptions = {}): BatchNorm2d {
  return new BatchNorm2d(c, o);
}

/** torchvision's `_make_divisible`: round to a multiple of `divisor`, not going down by more than 10%. */
export function makeDivisible(v: number, divisor: number, minValue?: number): number {
  const min = minValue ?? divisor;
  let n = Math.max(min, Math.floor(v + divisor / 2) - (Math.floor(v + divisor / 2) % divisor));
  if (n < 0.9 * v) n += divisor;
  return n;
}
