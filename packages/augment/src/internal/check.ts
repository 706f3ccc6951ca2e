/** Argument checks shared by the transforms: each error names the transform and the argument. */
import { describeValue } from '@striate/core';

export function finite(v: unknown, fn: string, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`${fn}: ${name}: expected a finite number, got ${describeValue(v)}`);
  }
  return v;
}

export function positive(v: unknown, fn: string, name: string): number {
  const x = finite(v, fn, name);
  if (x <= 0) throw new RangeError(`${fn}: ${name}: expected a number > 0, got ${x}`);
  return x;
}

export function nonNegative(v: unknown, fn: string, name: string): number {
  const x = finite(v, fn, name);
  if (x < 0) throw new RangeError(`${fn}: ${name}: expected a number >= 0, got ${x}`);
  return x;
}

export function integer(v: unknown, fn: string, name: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`${fn}: ${name}: expected an integer >= ${min}, got ${describeValue(v)}`);
  }
  return v;
}

export function probability(v: unknown, fn: string, name = 'p'): number {
  const x = finite(v, fn, name);
  if (x < 0 || x > 1) throw new RangeError(`${fn}: ${name}: expected a probability in [0, 1], got ${x}`);
  return x;
}

/** A `[min, max]` range with min <= max (a single number v gives `[center - v, center + v]` when allowed). */
export function range(
  v: unknown,
  fn: string,
  name: string,
  opts: { center?: number; min?: number; max?: number } = {},
): [number, number] {
  let lo: number;
  let hi: number;
  if (typeof v === 'number' && opts.center !== undefined) {
    const r = nonNegative(v, fn, name);
    lo = opts.center - r;
    hi = opts.center + r;
  } else if (Array.isArray(v) && v.length === 2) {
    lo = finite(v[0], fn, `${name}[0]`);
    hi = finite(v[1], fn, `${name}[1]`);
    if (lo > hi) throw new RangeError(`${fn}: ${name}: expected min <= max, got [${lo}, ${hi}]`);
  } else {
    throw new TypeError(
      `${fn}: ${name}: expected [min, max]${opts.center !== undefined ? ' or a number' : ''}, got ${describeValue(v)}`,
    );
  }
  if (opts.min !== undefined && lo < opts.min) {
    throw new RangeError(`${fn}: ${name}: expected values >= ${opts.min}, got [${lo}, ${hi}]`);
  }
  if (opts.max !== undefined && hi > opts.max) {
    throw new RangeError(`${fn}: ${name}: expected values <= ${opts.max}, got [${lo}, ${hi}]`);
  }
  return [lo, hi];
}

export function size2(v: unknown, fn: string, name: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) {
    throw new TypeError(`${fn}: ${name}: expected [height, width], got ${describeValue(v)}`);
  }
  return [integer(v[0], fn, `${name}[0] (height)`, 1), integer(v[1], fn, `${name}[1] (width)`, 1)];
}

export function oneOfStr<T extends string>(v: unknown, allowed: readonly T[], fn: string, name: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new RangeError(
      `${fn}: ${name}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}`,
    );
  }
  return v as T;
}
