/**
 * The transform contract: `apply(sample, rng)` draws its random parameters once from `rng` and applies them to
 * every target of the sample (image, boxes, labels, masks, keypoints), returning a new sample. The same `Rng`
 * state gives the same output in every engine.
 */
import { Rng } from '@striate/core';
import type { Sample } from './sample.js';

export interface Transform {
  /** Name used in error messages and `describe()`. */
  readonly name: string;
  apply<L>(sample: Sample<L>, rng: Rng): Sample<L>;
}

/** Applies `transform` with a fresh `Rng(seed)` (`seed`: an integer in [0, 2^53)). */
export function augment<L>(transform: Transform, sample: Sample<L>, seed: number): Sample<L> {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`augment: seed: expected an integer in [0, 2^53), got ${seed}`);
  }
  return transform.apply(sample, new Rng(seed));
}

/** A uniform draw in [lo, hi]; the bound itself when lo == hi (no draw is consumed). */
export function drawUniform(rng: Rng, lo: number, hi: number): number {
  return lo === hi ? lo : rng.uniform(lo, hi);
}

/** A uniform integer in [lo, hi] inclusive. */
export function drawInt(rng: Rng, lo: number, hi: number): number {
  return lo === hi ? lo : rng.integers(lo, hi + 1);
}

export function checkRng(rng: unknown, name: string): asserts rng is Rng {
  if (!(rng instanceof Rng)) throw new TypeError(`${name}: rng: expected an Rng from @striate/core`);
}
