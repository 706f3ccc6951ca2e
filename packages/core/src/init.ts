/**
 * Weight initializers with PyTorch's definitions (`torch.nn.init`). Each returns a new float32 tensor of the given
 * shape, drawn from the `Rng` passed in (there is no hidden global generator: the same seed gives the same weights).
 * Bounds and standard deviations are computed with the same float64 operations, in the same order, as torch.
 */
import { describeValue, ShapeError } from './errors.js';
import { Rng } from './rng.js';
import { assertShape, formatShape, shapeSize } from './shape.js';
import { Tensor } from './tensor.js';

/** The names `calculateGain` accepts (torch's). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

export type FanMode = 'fan_in' | 'fan_out';

const UNIT_GAIN = new Set([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
]);

/**
 * The recommended gain for a nonlinearity: 1 for linear, convolutions and sigmoid, 5/3 for tanh, sqrt(2) for relu,
 * sqrt(2 / (1 + slope^2)) for leaky_relu (`param` is the negative slope, default 0.01), 3/4 for selu.
 * `param` is ignored for the others, as in torch.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (UNIT_GAIN.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'selu':
      return 3.0 / 4;
    case 'leaky_relu': {
      let slope = 0.01;
      if (param !== undefined) {
        if (typeof param !== 'number') {
          throw new TypeError(`calculateGain: param (negative slope) must be a number, got ${describeValue(param)}`);
        }
        if (!Number.isFinite(param)) throw new RangeError(`calculateGain: param must be finite, got ${param}`);
        slope = param;
      }
      return Math.sqrt(2.0 / (1 + slope ** 2));
    }
    default:
      throw new RangeError(
        `calculateGain: unsupported nonlinearity ${describeValue(nonlinearity)}; expected one of ` +
          `${[...UNIT_GAIN, 'tanh', 'relu', 'leaky_relu', 'selu'].join(', ')}`,
      );
  }
}

/**
 * torch's `_calculate_fan_in_and_fan_out`: for a weight [out, in, ...kernel], fanIn = in * prod(kernel) and
 * fanOut = out * prod(kernel). A Linear weight [out, in] has fanIn = in. Rank < 2 is a ShapeError.
 */
export function fanInFanOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  assertShape(shape, 'shape');
  if (shape.length < 2) {
    throw new ShapeError(
      `fanInFanOut: fan in and fan out need a shape of rank >= 2 ([out, in, ...kernel]), got ${formatShape(shape)}`,
    );
  }
  const receptive = shapeSize(shape.slice(2));
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

export interface RandomInitOptions {
  /** The generator to draw from (required: initializers never fall back to a hidden global one). */
  rng: Rng;
}

/** U(low, high) (torch `uniform_(a, b)`); low = high gives a constant tensor. */
export function uniform(
  shape: readonly number[],
  options: RandomInitOptions & { low?: number; high?: number },
): Tensor<'float32'> {
  const rng = checkRng(options, 'uniform');
  const low = finite(options.low ?? 0, 'uniform', 'low');
  const high = finite(options.high ?? 1, 'uniform', 'high');
  if (low > high) throw new RangeError(`uniform: expected low <= high, got low=${low}, high=${high}`);
  return uniformTensor(shape, low, high, rng);
}

/** N(mean, std^2) (torch `normal_`). */
export function normal(
  shape: readonly number[],
  options: RandomInitOptions & { mean?: number; std?: number },
): Tensor<'float32'> {
  const rng = checkRng(options, 'normal');
  const mean = finite(options.mean ?? 0, 'normal', 'mean');
  const std = nonNegative(options.std ?? 1, 'normal', 'std');
  return normalTensor(shape, mean, std, rng);
}

/**
 * A normal N(mean, std^2) truncated to [a, b] (torch `trunc_normal_`; a and b are absolute values, default
 * [-2, 2]). Sampled by rejection, so it is exact; it throws a RangeError when [a, b] holds almost none of the
 * distribution.
 */
export function truncNormal(
  shape: readonly number[],
  options: RandomInitOptions & { mean?: number; std?: number; a?: number; b?: number },
): Tensor<'float32'> {
  const rng = checkRng(options, 'truncNormal');
  const mean = finite(options.mean ?? 0, 'truncNormal', 'mean');
  const std = nonNegative(options.std ?? 1, 'truncNormal', 'std');
  const a = finite(options.a ?? -2, 'truncNormal', 'a');
  const b = finite(options.b ?? 2, 'truncNormal', 'b');
  if (a > b) throw new RangeError(`truncNormal: expected a <= b, got a=${a}, b=${b}`);
  assertShape(shape, 'shape');
  const data = new Float32Array(shapeSize(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normalIn(mean, std, a, b);
  return new Tensor('float32', shape, data);
}

/** A tensor filled with `value` (torch `constant_`). */
export function constant(shape: readonly number[], value: number): Tensor<'float32'> {
  if (typeof value !== 'number') throw new TypeError(`constant: value must be a number, got ${describeValue(value)}`);
  assertShape(shape, 'shape');
  return new Tensor('float32', shape, new Float32Array(shapeSize(shape)).fill(value));
}

/** A tensor of zeros (torch `zeros_`). */
export function zeros(shape: readonly number[]): Tensor<'float32'> {
  return constant(shape, 0);
}

/** A tensor of ones (torch `ones_`). */
export function ones(shape: readonly number[]): Tensor<'float32'> {
  return constant(shape, 1);
}

/** Glorot/Xavier uniform: U(-bound, bound) with bound = gain * sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(
  shape: readonly number[],
  options: RandomInitOptions & { gain?: number },
): Tensor<'float32'> {
  const rng = checkRng(options, 'xavierUniform');
  const gain = nonNegative(options.gain ?? 1, 'xavierUniform', 'gain');
  const { fanIn, fanOut } = fanInFanOut(shape);
  if (shapeSize(shape) === 0) return constant(shape, 0);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const bound = Math.sqrt(3.0) * std;
  return uniformTensor(shape, -bound, bound, rng);
}

/** Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal(
  shape: readonly number[],
  options: RandomInitOptions & { gain?: number },
): Tensor<'float32'> {
  const rng = checkRng(options, 'xavierNormal');
  const gain = nonNegative(options.gain ?? 1, 'xavierNormal', 'gain');
  const { fanIn, fanOut } = fanInFanOut(shape);
  if (shapeSize(shape) === 0) return constant(shape, 0);
  return normalTensor(shape, 0, gain * Math.sqrt(2.0 / (fanIn + fanOut)), rng);
}

export interface KaimingOptions extends RandomInitOptions {
  /** Negative slope of the rectifier after this layer (used only with 'leaky_relu'); default 0. */
  a?: number;
  /** 'fan_in' (default) keeps the variance of the forward pass, 'fan_out' that of the backward pass. */
  mode?: FanMode;
  /** Default 'leaky_relu' (with a = 0 its gain is sqrt(2), as for 'relu'). */
  nonlinearity?: Nonlinearity;
}

/**
 * He/Kaiming uniform: U(-bound, bound) with bound = sqrt(3) * gain / sqrt(fan). (torch's nn.Conv2d and nn.Linear
 * use a = sqrt(5), which gives bound = 1 / sqrt(fanIn).)
 */
export function kaimingUniform(shape: readonly number[], options: KaimingOptions): Tensor<'float32'> {
  const rng = checkRng(options, 'kaimingUniform');
  const std = kaimingStd(shape, options, 'kaimingUniform');
  if (std === undefined) return constant(shape, 0);
  return uniformTensor(shape, -Math.sqrt(3.0) * std, Math.sqrt(3.0) * std, rng);
}

/** He/Kaiming normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal(shape: readonly number[], options: KaimingOptions): Tensor<'float32'> {
  const rng = checkRng(options, 'kaimingNormal');
  const std = kaimingStd(shape, options, 'kaimingNormal');
  if (std === undefined) return constant(shape, 0);
  return normalTensor(shape, 0, std, rng);
}

/** gain / sqrt(fan), or undefined for a tensor with no elements (torch leaves those alone). */
function kaimingStd(shape: readonly number[], options: KaimingOptions, fn: string): number | undefined {
  const a = finite(options.a ?? 0, fn, 'a');
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw new RangeError(`${fn}: mode must be 'fan_in' or 'fan_out', got ${describeValue(mode)}`);
  }
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', a);
  const { fanIn, fanOut } = fanInFanOut(shape);
  if (shapeSize(shape) === 0) return undefined;
  return gain / Math.sqrt(mode === 'fan_in' ? fanIn : fanOut);
}

function uniformTensor(shape: readonly number[], low: number, high: number, rng: Rng): Tensor<'float32'> {
  assertShape(shape, 'shape');
  const n = shapeSize(shape);
  // low === high: a constant (+0 rather than -0 for a zero bound).
  const data = low === high || n === 0 ? new Float32Array(n).fill(low + 0) : rng.uniformArray(n, low, high);
  return new Tensor('float32', shape, data);
}

function normalTensor(shape: readonly number[], mean: number, std: number, rng: Rng): Tensor<'float32'> {
  assertShape(shape, 'shape');
  return new Tensor('float32', shape, rng.normalArray(shapeSize(shape), mean, std));
}

function checkRng(options: RandomInitOptions | undefined, fn: string): Rng {
  const rng = options?.rng;
  if (!(rng instanceof Rng)) {
    throw new TypeError(`${fn}: options.rng must be an Rng (e.g. new Rng(0)), got ${describeValue(rng)}`);
  }
  return rng;
}

function finite(value: number, fn: string, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${describeValue(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite, got ${value}`);
  return value;
}

function nonNegative(value: number, fn: string, name: string): number {
  finite(value, fn, name);
  if (value < 0) throw new RangeError(`${fn}: ${name} must be >= 0, got ${value}`);
  return value;
}
