import { formatShape } from '../shape.js';
import { type Tensor, toNumberArray } from '../tensor.js';
import type { Tolerance } from './tolerance.js';

export interface Comparison {
  readonly ok: boolean;
  /** Largest |actual - expected| (NaN where one side is NaN and the other is not; 0 for an exact match). */
  readonly maxAbsDiff: number;
  /** Why it failed (the first mismatch and the worst one), empty when ok. */
  readonly message: string;
}

/**
 * Compares `actual` with `expected`: same dtype and shape, then elementwise `|a - e| <= atol + rtol * |e|`; NaN
 * matches NaN, and infinities must match exactly.
 */
export function compareTensors(actual: Tensor, expected: Tensor, tol: Tolerance, label = 'output'): Comparison {
  if (actual.dtype !== expected.dtype) {
    return {
      ok: false,
      maxAbsDiff: Number.NaN,
      message: `${label}: dtype ${actual.dtype}, expected ${expected.dtype}`,
    };
  }
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return {
      ok: false,
      maxAbsDiff: Number.NaN,
      message: `${label}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`,
    };
  }
  const a = toNumberArray(actual.dtype, actual.data);
  const e = toNumberArray(expected.dtype, expected.data);
  let maxAbsDiff = 0;
  let bad = 0;
  let first = -1;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    let diff: number;
    let limit: number;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      diff = Number.isNaN(x) && Number.isNaN(y) ? 0 : Number.POSITIVE_INFINITY;
      limit = 0;
    } else if (!Number.isFinite(x) || !Number.isFinite(y)) {
      diff = x === y ? 0 : Number.POSITIVE_INFINITY;
      limit = 0;
    } else {
      diff = Math.abs(x - y);
      limit = tol.atol + tol.rtol * Math.abs(y);
    }
    if (diff > maxAbsDiff) maxAbsDiff = diff;
    if (diff > limit) {
      bad++;
      if (first < 0) first = i;
      if (diff - limit > worstExcess || worst < 0) {
        worst = i;
        worstExcess = diff - limit;
      }
    }
  }
  if (bad === 0) return { ok: true, maxAbsDiff, message: '' };
  return {
    ok: false,
    maxAbsDiff,
    message:
      `${label}: ${bad} of ${e.length} elements outside atol ${tol.atol} + rtol ${tol.rtol}; first at flat index ` +
      `${first} (got ${a[first]}, expected ${e[first]}), worst at ${worst} (got ${a[worst]}, expected ${e[worst]}); ` +
      `max abs diff ${maxAbsDiff}`,
  };
}
