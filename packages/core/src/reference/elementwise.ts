import { allocate } from '../dtype.js';
import { DTypeError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise activations and Clip for the reference backend. Each op is one typed-array loop that computes in
 * float64 and rounds once to float32 on store; `context` (e.g. `"layer1.relu (Relu)"`) prefixes every error.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)
const SQRT_TWO_OVER_PI = 0.7978845608028654; // sqrt(2 / pi)
/** Below this |z| erf uses its power series, above it erfc uses its continued fraction. */
const ERF_SPLIT = 2;
/** Terms of the erfc continued fraction; 40 gives relative error < 1e-13 at z = 2 and better beyond. */
const ERFC_TERMS = 40;

/**
 * erf(z) = 2/sqrt(pi) exp(-z^2) sum_n (2z^2)^n z / (1*3*...*(2n+1)) for 0 <= z <= ERF_SPLIT. All terms are
 * positive, so there is no cancellation; absolute error about 1e-15.
 */
function erfSeries(z: number): number {
  const z2 = z * z;
  const r = 2 * z2;
  let term = z;
  let sum = z;
  for (let k = 3; k < 400; k += 2) {
    term *= r / k;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
}

/**
 * erfc(z) for z >= ERF_SPLIT from Laplace's continued fraction
 * erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated from the tail.
 */
function erfcFraction(z: number): number {
  if (z > 27) return 0; // erfc(27) ~ 5e-319: below the smallest double
  let f = z;
  for (let k = ERFC_TERMS; k >= 1; k--) f = z + (k * 0.5) / f;
  return (ONE_OVER_SQRT_PI * Math.exp(-z * z)) / f;
}

/** The error function in float64, absolute error below 2e-15 over the real line. NaN gives NaN. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const v = z <= ERF_SPLIT ? erfSeries(z) : 1 - erfcFraction(z);
  return x < 0 ? -v : v;
}

/** The complementary error function 1 - erf(x) in float64, relative error below 1e-12 (no cancellation for x > 2). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  if (z <= ERF_SPLIT) return 1 - (x < 0 ? -erfSeries(z) : erfSeries(z));
  const c = erfcFraction(z);
  return x < 0 ? 2 - c : c;
}

/** Gelu with approximate 'none': x * Phi(x) = 0.5 x erfc(-x / sqrt 2), accurate also for large negative x. */
export function geluErf(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

/** Gelu with approximate 'tanh': 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** Logistic sigmoid without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Unary element-wise ops with their (already defaulted) parameters. */
export type UnaryOp =
  | { readonly op: 'Relu' }
  | { readonly op: 'LeakyRelu'; readonly alpha: number }
  | { readonly op: 'Elu'; readonly alpha: number }
  | { readonly op: 'Sigmoid' }
  | { readonly op: 'Tanh' }
  | { readonly op: 'HardSigmoid'; readonly alpha: number; readonly beta: number }
  | { readonly op: 'HardSwish' }
  | { readonly op: 'Gelu'; readonly approximate: 'none' | 'tanh' };

function requireFloat32(x: Tensor, context: string, argName: string): Float32Array {
  if (x.dtype !== 'float32') throw new DTypeError(`${context}: ${argName} must be float32, got ${x.dtype}`);
  return x.data as Float32Array;
}

/** Applies a unary activation to a float32 tensor; the output has the input's shape. NaN propagates. */
export function unaryFloat(spec: UnaryOp, x: Tensor, context: string): Tensor<'float32'> {
  const src = requireFloat32(x, context, 'input X');
  const n = src.length;
  const out = new Float32Array(n);
  switch (spec.op) {
    case 'Relu':
      // Math.max keeps NaN (`v > 0 ? v : 0` would map it to 0); ONNX Runtime and PyTorch keep NaN too.
      for (let i = 0; i < n; i++) out[i] = Math.max(src[i]!, 0);
      break;
    case 'LeakyRelu': {
      const alpha = spec.alpha;
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        out[i] = v < 0 ? alpha * v : v;
      }
      break;
    }
    case 'Elu': {
      const alpha = spec.alpha;
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        out[i] = v < 0 ? alpha * Math.expm1(v) : v;
      }
      break;
    }
    case 'Sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(src[i]!);
      break;
    case 'Tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(src[i]!);
      break;
    case 'HardSigmoid': {
      const { alpha, beta } = spec;
      for (let i = 0; i < n; i++) {
        const v = alpha * src[i]! + beta;
        out[i] = Math.min(Math.max(v, 0), 1);
      }
      break;
    }
    case 'HardSwish':
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        out[i] = (v * Math.min(Math.max(v + 3, 0), 6)) / 6;
      }
      break;
    case 'Gelu':
      if (spec.approximate === 'tanh') {
        for (let i = 0; i < n; i++) out[i] = geluTanh(src[i]!);
      } else {
        for (let i = 0; i < n; i++) out[i] = geluErf(src[i]!);
      }
      break;
  }
  return new Tensor('float32', x.shape, out);
}

/** Reads a Clip bound: a one-element tensor of the input's dtype, or null for "no bound". */
function clipBound(bound: Tensor | null, x: Tensor, context: string, argName: string): number | bigint | null {
  if (bound === null) return null;
  if (bound.dtype !== x.dtype) {
    throw new DTypeError(`${context}: ${argName} must have the input's dtype ${x.dtype}, got ${bound.dtype}`);
  }
  if (bound.size !== 1) {
    throw new ShapeError(
      `${context}: ${argName} must be a scalar (one element), got shape ${formatShape(bound.shape)}`,
    );
  }
  return bound.data[0]!;
}

/**
 * Clip(input, min?, max?) for float32, int32 and int64: `min(max(x, lo), hi)` as ONNX Runtime computes it, so
 * lo > hi gives hi everywhere. NaN inputs stay NaN; a NaN bound is treated as absent.
 */
export function clip(x: Tensor, min: Tensor | null, max: Tensor | null, context: string): Tensor {
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'int64') {
    throw new DTypeError(`${context}: input must be float32, int32 or int64, got ${x.dtype}`);
  }
  const lo = clipBound(min, x, context, 'min');
  const hi = clipBound(max, x, context, 'max');
  const n = x.size;
  if (x.dtype === 'int64') {
    const src = x.data as BigInt64Array;
    const out = new BigInt64Array(n);
    const l = lo as bigint | null;
    const h = hi as bigint | null;
    for (let i = 0; i < n; i++) {
      let v = src[i]!;
      if (l !== null && v < l) v = l;
      if (h !== null && v > h) v = h;
      out[i] = v;
    }
    return new Tensor('int64', x.shape, out);
  }
  const src = x.data as Float32Array | Int32Array;
  const out = allocate(x.dtype, n) as Float32Array | Int32Array;
  const l = lo === null ? Number.NEGATIVE_INFINITY : (lo as number);
  const h = hi === null ? Number.POSITIVE_INFINITY : (hi as number);
  for (let i = 0; i < n; i++) {
    let v = src[i]!;
    if (v < l) v = l;
    if (v > h) v = h;
    out[i] = v;
  }
  return new Tensor(x.dtype, x.shape, out);
}
