import { describeValue, ShapeError } from './errors.js';

/**
 * Output sizes of convolution, transposed convolution and pooling along one spatial axis: the `(W - F + 2P)/S + 1`
 * of the CNN courses, generalised with dilation and asymmetric padding as PyTorch and ONNX compute it:
 * `floor((W + padBegin + padEnd - dilation*(F - 1) - 1)/S + 1)`.
 *
 * Each function takes either positional arguments, `convOutputSize(227, 11, { stride: 4 })`, or one object,
 * `convOutputSize({ inputSize: 227, kernelSize: 11, stride: 4 })`. A configuration that gives no valid output
 * throws a ShapeError naming the layer `path` and the op, with the formula and its numbers; a malformed argument
 * (negative, non-integer, a zero stride) throws a RangeError naming it.
 */

/** Padding of one axis: one size for both sides, or `[begin, end]`. */
export type AxisPadding = number | readonly [number, number];

export interface ConvSizeOptions {
  /** Step between windows (default 1). */
  readonly stride?: number;
  /** Zero padding, one size for both sides or `[begin, end]` (default 0). */
  readonly padding?: AxisPadding;
  /** Spacing between kernel taps (default 1); the kernel covers `dilation*(F - 1) + 1` inputs. */
  readonly dilation?: number;
  /**
   * Refuse a stride that does not fit the padded input exactly (default false: the last partial window is dropped,
   * as PyTorch floors).
   */
  readonly exact?: boolean;
  /** Layer path for error messages (`features.3`). */
  readonly path?: string;
  /** Op named in error messages (default `Conv`, `Pool` for `poolOutputSize`). */
  readonly op?: string;
  /** Axis named in error messages (`height`), when the caller computes several. */
  readonly axis?: string;
}

export interface PoolSizeOptions extends ConvSizeOptions {
  /**
   * Round the window count up instead of down, as PyTorch's `ceil_mode` (and ONNX's): a last window that would
   * start inside the end padding is dropped.
   */
  readonly ceilMode?: boolean;
}

export interface ConvTransposeSizeOptions {
  readonly stride?: number;
  /** Padding removed from the full output, one size for both sides or `[begin, end]` (default 0). */
  readonly padding?: AxisPadding;
  readonly dilation?: number;
  /** Extra size added at the end (default 0); must be smaller than the stride or the dilation. */
  readonly outputPadding?: number;
  readonly path?: string;
  /** Op named in error messages (default `ConvTranspose`). */
  readonly op?: string;
  readonly axis?: string;
}

export interface ConvSizeArgs extends ConvSizeOptions {
  readonly inputSize: number;
  readonly kernelSize: number;
}
export interface PoolSizeArgs extends PoolSizeOptions {
  readonly inputSize: number;
  readonly kernelSize: number;
}
export interface ConvTransposeSizeArgs extends ConvTransposeSizeOptions {
  readonly inputSize: number;
  readonly kernelSize: number;
}

/**
 * Output size of a convolution along one axis.
 * - `convOutputSize(inputSize, kernelSize, { stride, padding, dilation, exact, path })`
 * - `convOutputSize({ inputSize, kernelSize, stride, padding, dilation, exact, path })`
 *
 * @example convOutputSize(32, 5) // 28
 * @example convOutputSize({ inputSize: 224, kernelSize: 7, stride: 2, padding: 3 }) // 112
 */
export function convOutputSize(args: ConvSizeArgs): number;
export function convOutputSize(inputSize: number, kernelSize: number, options?: ConvSizeOptions): number;
export function convOutputSize(
  inputOrArgs: number | ConvSizeArgs,
  kernelSize?: number,
  options?: ConvSizeOptions,
): number {
  const a = normalizeArgs<ConvSizeArgs>('convOutputSize', inputOrArgs, kernelSize, options);
  const p = readWindow('convOutputSize', a, a.op ?? 'Conv');
  const out = floorDiv(p.span, p.stride) + 1;
  checkWindowFits(p, out);
  if (a.exact === true) checkExact(p);
  return out;
}

/**
 * Output size of max or average pooling along one axis, PyTorch's rule: with `ceilMode` the count is rounded up
 * and a last window that would start in the end padding is dropped. Padding must be smaller than the kernel (as
 * onnxruntime requires), so that every window sees some input.
 * - `poolOutputSize(inputSize, kernelSize, { stride, padding, dilation, ceilMode, exact, path })`
 * - `poolOutputSize({ inputSize, kernelSize, stride, padding, dilation, ceilMode, exact, path })`
 *
 * The stride defaults to 1 as in ONNX (PyTorch's pooling modules default it to the kernel size).
 *
 * @example poolOutputSize(112, 3, { stride: 2, ceilMode: true }) // 56
 */
export function poolOutputSize(args: PoolSizeArgs): number;
export function poolOutputSize(inputSize: number, kernelSize: number, options?: PoolSizeOptions): number;
export function poolOutputSize(
  inputOrArgs: number | PoolSizeArgs,
  kernelSize?: number,
  options?: PoolSizeOptions,
): number {
  const a = normalizeArgs<PoolSizeArgs>('poolOutputSize', inputOrArgs, kernelSize, options);
  if (a.ceilMode !== undefined && typeof a.ceilMode !== 'boolean') {
    throw new TypeError(`poolOutputSize: ceilMode: expected a boolean, got ${describeValue(a.ceilMode)}`);
  }
  const p = readWindow('poolOutputSize', a, a.op ?? 'Pool');
  for (const [side, pad] of [
    ['begin', p.padBegin],
    ['end', p.padEnd],
  ] as const) {
    if (pad >= p.kernel) {
      throw new ShapeError(
        `${p.prefix}${side} padding ${pad} must be smaller than the kernel ${p.kernel}, or some windows see only padding`,
      );
    }
  }
  let out: number;
  if (a.ceilMode === true) {
    out = -floorDiv(-p.span, p.stride) + 1;
    // PyTorch: the last window must start inside the input or the begin padding.
    if ((out - 1) * p.stride >= p.input + p.padBegin) out--;
  } else {
    out = floorDiv(p.span, p.stride) + 1;
  }
  checkWindowFits(p, out);
  if (a.exact === true) checkExact(p);
  return out;
}

/**
 * Output size of a transposed convolution along one axis:
 * `(W - 1)*S - padBegin - padEnd + dilation*(F - 1) + outputPadding + 1`.
 * - `convTransposeOutputSize(inputSize, kernelSize, { stride, padding, dilation, outputPadding, path })`
 * - `convTransposeOutputSize({ inputSize, kernelSize, stride, padding, dilation, outputPadding, path })`
 *
 * @example convTransposeOutputSize(7, 3, { stride: 2, padding: 1, outputPadding: 1 }) // 14
 */
export function convTransposeOutputSize(args: ConvTransposeSizeArgs): number;
export function convTransposeOutputSize(
  inputSize: number,
  kernelSize: number,
  options?: ConvTransposeSizeOptions,
): number;
export function convTransposeOutputSize(
  inputOrArgs: number | ConvTransposeSizeArgs,
  kernelSize?: number,
  options?: ConvTransposeSizeOptions,
): number {
  const fn = 'convTransposeOutputSize';
  const a = normalizeArgs<ConvTransposeSizeArgs>(fn, inputOrArgs, kernelSize, options);
  const p = readWindow(fn, a, a.op ?? 'ConvTranspose');
  const outputPadding = a.outputPadding === undefined ? 0 : checkInt(fn, 'outputPadding', a.outputPadding, 0);
  const desc =
    `${p.prefix}input ${p.axisWord}${p.input}, kernel ${p.kernel}${dilationWord(p)}, stride ${p.stride}, ` +
    `pad ${padWord(p)}, output_padding ${outputPadding}`;
  if (outputPadding >= Math.max(p.stride, p.dilation)) {
    throw new ShapeError(
      `${desc}: output_padding ${outputPadding} must be smaller than the stride ${p.stride} or the dilation ` +
        `${p.dilation}`,
    );
  }
  const out = (p.input - 1) * p.stride - p.padBegin - p.padEnd + p.dilation * (p.kernel - 1) + outputPadding + 1;
  if (out < 1) {
    const formula =
      `(${p.input} - 1)*${p.stride} - ${p.padBegin} - ${p.padEnd} + ${p.dilation}*(${p.kernel} - 1) + ` +
      `${outputPadding} + 1 = ${out}`;
    throw new ShapeError(`${desc} -> ${formula}: the output would be empty (padding too large)`);
  }
  return out;
}

interface CommonArgs {
  readonly inputSize: number;
  readonly kernelSize: number;
  readonly stride?: number;
  readonly padding?: AxisPadding;
  readonly dilation?: number;
  readonly exact?: boolean;
  readonly path?: string;
  readonly op?: string;
  readonly axis?: string;
}

/** The two call forms to one object (validated for shape, not for values). */
function normalizeArgs<T extends CommonArgs>(
  fn: string,
  inputOrArgs: number | T,
  kernelSize: number | undefined,
  options: object | undefined,
): T {
  if (typeof inputOrArgs === 'object' && inputOrArgs !== null && !Array.isArray(inputOrArgs)) {
    if (kernelSize !== undefined || options !== undefined) {
      throw new TypeError(`${fn}: pass either one options object or (inputSize, kernelSize, options), not both`);
    }
    return inputOrArgs;
  }
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new TypeError(`${fn}: options: expected an object, got ${describeValue(options)}`);
  }
  return { ...(options ?? {}), inputSize: inputOrArgs, kernelSize } as T;
}

function checkInt(fn: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${fn}: ${name}: expected an integer >= ${min}, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${fn}: ${name}: expected an integer >= ${min}, got ${describeValue(value)}`);
  }
  return value;
}

interface Window {
  readonly prefix: string;
  readonly axisWord: string;
  readonly input: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padBegin: number;
  readonly padEnd: number;
  /** Effective kernel extent `dilation*(kernel - 1) + 1`. */
  readonly extent: number;
  /** `input + pads - extent`: the distance the window travels. */
  readonly span: number;
}

function readWindow(fn: string, a: CommonArgs, op: string): Window {
  const input = checkInt(fn, 'inputSize', a.inputSize, 0);
  const kernel = checkInt(fn, 'kernelSize', a.kernelSize, 1);
  const stride = a.stride === undefined ? 1 : checkInt(fn, 'stride', a.stride, 1);
  const dilation = a.dilation === undefined ? 1 : checkInt(fn, 'dilation', a.dilation, 1);
  let padBegin = 0;
  let padEnd = 0;
  if (Array.isArray(a.padding)) {
    if (a.padding.length !== 2) {
      throw new RangeError(`${fn}: padding: expected one size or [begin, end], got ${describeValue(a.padding)}`);
    }
    padBegin = checkInt(fn, 'padding[0]', a.padding[0], 0);
    padEnd = checkInt(fn, 'padding[1]', a.padding[1], 0);
  } else if (a.padding !== undefined) {
    padBegin = padEnd = checkInt(fn, 'padding', a.padding, 0);
  }
  if (a.exact !== undefined && typeof a.exact !== 'boolean') {
    throw new TypeError(`${fn}: exact: expected a boolean, got ${describeValue(a.exact)}`);
  }
  for (const key of ['path', 'op', 'axis'] as const) {
    if (a[key] !== undefined && typeof a[key] !== 'string') {
      throw new TypeError(`${fn}: ${key}: expected a string, got ${describeValue(a[key])}`);
    }
  }
  const prefix = a.path ? `${a.path} (${op}): ` : `${op}: `;
  const axisWord = a.axis ? `${a.axis} ` : '';
  const extent = dilation * (kernel - 1) + 1;
  return {
    prefix,
    axisWord,
    input,
    kernel,
    stride,
    dilation,
    padBegin,
    padEnd,
    extent,
    span: input + padBegin + padEnd - extent,
  };
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);

function padWord(p: Window): string {
  return p.padBegin === p.padEnd ? `${p.padBegin}` : `${p.padBegin}+${p.padEnd}`;
}

function dilationWord(p: Window): string {
  return p.dilation === 1 ? '' : `, dilation ${p.dilation} (extent ${p.extent})`;
}

/** `input 7, kernel 3, stride 3, pad 0 -> (7 - 3 + 2*0)/3 + 1 = 2.33`. */
function describe(p: Window): string {
  const pads = p.padBegin === p.padEnd ? `2*${p.padBegin}` : `${p.padBegin} + ${p.padEnd}`;
  const value = p.span / p.stride + 1;
  return (
    `${p.prefix}input ${p.axisWord}${p.input}, kernel ${p.kernel}${dilationWord(p)}, stride ${p.stride}, ` +
    `pad ${padWord(p)} -> (${p.input} - ${p.extent} + ${pads})/${p.stride} + 1 = ${formatNumber(value)}`
  );
}

function checkWindowFits(p: Window, out: number): void {
  if (out >= 1) return;
  const kernel = p.dilation === 1 ? `kernel ${p.kernel}` : `dilated kernel extent ${p.extent}`;
  const padded = p.padBegin + p.padEnd === 0 ? 'input' : 'padded input';
  throw new ShapeError(
    `${describe(p)}: ${kernel} larger than ${padded} ${p.input + p.padBegin + p.padEnd}; ` +
      'use a smaller kernel or more padding',
  );
}

function checkExact(p: Window): void {
  if (p.span % p.stride === 0) return;
  throw new ShapeError(
    `${describe(p)} is not a whole number; choose a stride or padding so that ` +
      `${p.input} + ${p.padBegin + p.padEnd} - ${p.extent} is a multiple of ${p.stride}`,
  );
}

/** 2.33 for 7/3, 3.5, -1; never rounds a fraction to a whole-looking number. */
function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const short = String(Number(x.toFixed(2)));
  return Number.isInteger(Number(short)) ? String(Number(x.toPrecision(6))) : short;
}
