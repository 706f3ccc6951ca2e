/**
 * Combinators: `compose` (all in order, then the optional box filter), `oneOf` (one, by weight), `someOf` (n
 * distinct ones in random order, albumentations' `SomeOf`), `randomApply` (all of them with probability p).
 */
import type { Rng } from '@striate/core';
import { type BoxFilter, checkBoxFilter, filterBoxes } from './box-filter.js';
import { integer, probability } from './internal/check.js';
import type { Sample } from './sample.js';
import { checkRng, type Transform } from './transform.js';

function checkTransforms(ts: unknown, fn: string): readonly Transform[] {
  if (!Array.isArray(ts)) throw new TypeError(`${fn}: transforms: expected an array of transforms`);
  ts.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || typeof (t as Transform).apply !== 'function') {
      throw new TypeError(`${fn}: transforms[${i}]: expected a transform (an object with apply(sample, rng))`);
    }
  });
  return ts as readonly Transform[];
}

export interface ComposeOptions {
  /** Clip boxes and drop those (with labels and per-box masks) below a minimum area / visibility at the end. */
  boxFilter?: BoxFilter;
}

export function compose(transforms: readonly Transform[], opts: ComposeOptions = {}): Transform {
  const ts = checkTransforms(transforms, 'compose');
  const filter = checkBoxFilter(opts.boxFilter, 'compose');
  return {
    name: `compose(${ts.map((t) => t.name).join(', ')})`,
    apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
      checkRng(rng, 'compose');
      let s = sample;
      for (const t of ts) s = t.apply(s, rng);
      return filter ? filterBoxes(s, filter) : s;
    },
  };
}

/** Applies exactly one of `transforms`, chosen with probability proportional to `weights` (default equal). */
export function oneOf(transforms: readonly Transform[], weights?: readonly number[]): Transform {
  const ts = checkTransforms(transforms, 'oneOf');
  if (ts.length === 0) throw new RangeError('oneOf: transforms: expected at least one transform');
  const w = weights ?? ts.map(() => 1);
  if (!Array.isArray(w) || w.length !== ts.length) {
    throw new RangeError(`oneOf: weights: expected ${ts.length} weights, got ${w?.length}`);
  }
  w.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`oneOf: weights[${i}]: expected a finite number >= 0, got ${v}`);
    }
  });
  const total = w.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new RangeError('oneOf: weights: expected a positive sum');
  return {
    name: `oneOf(${ts.map((t) => t.name).join(', ')})`,
    apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
      checkRng(rng, 'oneOf');
      let u = rng.uniform(0, total);
      for (let i = 0; i < ts.length; i++) {
        u -= w[i]!;
        if (u < 0 || i === ts.length - 1) return ts[i]!.apply(sample, rng);
      }
      return sample;
    },
  };
}

/** Applies `n` distinct transforms (or a number drawn from `[min, max]`) in a random order. */
export function someOf(transforms: readonly Transform[], n: number | readonly [number, number]): Transform {
  const ts = checkTransforms(transforms, 'someOf');
  const [lo, hi] = typeof n === 'number' ? [n, n] : n;
  integer(lo, 'someOf', 'n (min)', 0);
  integer(hi, 'someOf', 'n (max)', 0);
  if (lo > hi) throw new RangeError(`someOf: n: expected min <= max, got [${lo}, ${hi}]`);
  if (hi > ts.length) throw new RangeError(`someOf: n: at most ${ts.length} transforms can be chosen, got ${hi}`);
  return {
    name: `someOf(${ts.map((t) => t.name).join(', ')})`,
    apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
      checkRng(rng, 'someOf');
      const count = lo === hi ? lo : rng.integers(lo, hi + 1);
      const order = rng.permutation(ts.length);
      let s = sample;
      for (let i = 0; i < count; i++) s = ts[order[i]!]!.apply(s, rng);
      return s;
    },
  };
}

/** Applies `transform` (or all of a list, in order) with probability `p`. */
export function randomApply(transform: Transform | readonly Transform[], p = 0.5): Transform {
  const ts = checkTransforms(Array.isArray(transform) ? transform : [transform], 'randomApply');
  const prob = probability(p, 'randomApply');
  return {
    name: `randomApply(${ts.map((t) => t.name).join(', ')}, p=${prob})`,
    apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
      checkRng(rng, 'randomApply');
      if (rng.uniform() >= prob) return sample;
      let s = sample;
      for (const t of ts) s = t.apply(s, rng);
      return s;
    },
  };
}
