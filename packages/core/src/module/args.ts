/** Argument checks for module constructors: each error names the module, the argument, the expectation and the value. */
import { describeValue } from '../errors.js';

export type Pair = readonly [number, number];
/** A size for both spatial axes, or `[height, width]`. */
export type IntOrPair = number | readonly [number, number];

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function positiveInt(v: unknown, name: string, ctx: string): number {
  if (!isInt(v) || v <= 0)
    throw new RangeError(`${ctx}: ${name}: expected a positive integer, got ${describeValue(v)}`);
  return v;
}

export function nonNegativeInt(v: unknown, name: string, ctx: string): number {
  if (!isInt(v) || v < 0)
    throw new RangeError(`${ctx}: ${name}: expected a non-negative integer, got ${describeValue(v)}`);
  return v;
}

/** number | [h, w] -> [h, w] of integers >= min. */
export function intPair(v: unknown, name: string, ctx: string, min: 0 | 1): Pair {
  const what = min === 1 ? 'a positive integer' : 'a non-negative integer';
  const ok = (x: unknown): x is number => isInt(x) && x >= min;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new RangeError(`${ctx}: ${name}: expected ${what} or a pair [h, w] of them, got ${describeValue(v)}`);
}

export function bool(v: unknown, name: string, ctx: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${ctx}: ${name}: expected a boolean, got ${describeValue(v)}`);
  return v;
}

export function finite(v: unknown, name: string, ctx: string): number {
  if (typeof v !== 'number') throw new TypeError(`${ctx}: ${name}: expected a number, got ${describeValue(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${ctx}: ${name}: expected a finite number, got ${describeValue(v)}`);
  return v;
}

/** A finite number in [low, high]. */
export function inRange(v: unknown, name: string, ctx: string, low: number, high: number): number {
  const x = finite(v, name, ctx);
  if (x < low || x > high) throw new RangeError(`${ctx}: ${name}: expected a number in [${low}, ${high}], got ${x}`);
  return x;
}

export function oneOf<T extends string>(v: unknown, name: string, ctx: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new RangeError(
      `${ctx}: ${name}: expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}`,
    );
  }
  return v as T;
}

/** Options objects: undefined is {}, anything but a plain object is a TypeError. */
export function options<T extends object>(v: T | undefined, ctx: string): T {
  if (v === undefined) return {} as T;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TypeError(`${ctx}: options: expected an object, got ${describeValue(v)}`);
  }
  return v;
}
