/**
 * Where modules get their random initial weights: an `rng` or a `seed` passed to the constructor, else a shared
 * default generator that `manualSeed` resets (as `torch.manual_seed`). Building the same modules in the same order
 * after the same `manualSeed` gives the same weights.
 */
import { describeValue } from '../errors.js';
import { Rng } from '../rng.js';

/** Constructor options of every module with random initial weights. */
export interface InitOptions {
  /** Generator to draw the initial weights from (shared with the caller; it advances). */
  readonly rng?: Rng;
  /** Seed of a fresh generator for this module alone (ignored when `rng` is given). */
  readonly seed?: number;
}

let shared = new Rng(0);

/** Resets the default generator that modules use when given neither `rng` nor `seed`. */
export function manualSeed(seed: number): void {
  shared = new Rng(seed);
}

/** The generator for a module's initialization. */
export function resolveRng(options: InitOptions | undefined): Rng {
  if (options?.rng !== undefined) {
    if (!(options.rng instanceof Rng)) throw new TypeError(`rng: expected an Rng, got ${describeValue(options.rng)}`);
    return options.rng;
  }
  if (options?.seed !== undefined) return new Rng(options.seed);
  return shared;
}
