import { describeValue, ShapeError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { formatShape } from '../shape.js';
import { bool, type IntOrPair, intPair, options, type Pair } from './args.js';
import { Module } from './module.js';

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  readonly stride?: IntOrPair;
  /** Implicit -inf padding per side, at most half the kernel. Default 0. */
  readonly padding?: IntOrPair;
  readonly dilation?: IntOrPair;
  /** Round the output size up (PyTorch's ceil_mode; a window starting in the end padding is dropped). */
  readonly ceilMode?: boolean;
}

function checkPadding(padding: Pair, kernel: Pair, ctx: string): void {
  if (padding[0] > Math.floor(kernel[0] / 2) || padding[1] > Math.floor(kernel[1] / 2)) {
    throw new RangeError(
      `${ctx}: padding: expected at most half the kernel size ${formatShape(kernel)}, got ${formatShape(padding)}`,
    );
  }
}

function check4d(x: Value, path: string, what: string): void {
  if (x.shape.length !== 4)
    throw new ShapeError(`${path} (${what}): expected a 4-D input [N, C, H, W], got ${formatShape(x.shape)}`);
}

/** 2-D max pooling (PyTorch `nn.MaxPool2d`; ONNX MaxPool). */
export class MaxPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly ceilMode: boolean;

  constructor(kernelSize: IntOrPair, opts?: MaxPool2dOptions) {
    super();
    const ctx = 'MaxPool2d';
    const o = options(opts, ctx);
    this.kernelSize = intPair(kernelSize, 'kernelSize', ctx, 1);
    this.stride = o.stride === undefined || o.stride === null ? this.kernelSize : intPair(o.stride, 'stride', ctx, 1);
    this.padding = intPair(o.padding ?? 0, 'padding', ctx, 0);
    checkPadding(this.padding, this.kernelSize, ctx);
    this.dilation = intPair(o.dilation ?? 1, 'dilation', ctx, 1);
    this.ceilMode = bool(o.ceilMode ?? false, 'ceilMode', ctx);
  }

  override forward(x: Value): Value {
    check4d(x, this.pathIn(x), 'MaxPool2d');
    const [ph, pw] = this.padding;
    return this.emit1(x, 'MaxPool', [x], {
      kernel_shape: [...this.kernelSize],
      strides: [...this.stride],
      pads: [ph, pw, ph, pw],
      dilations: [...this.dilation],
      ceil_mode: this.ceilMode ? 1 : 0,
    });
  }
}

export interface AvgPool2dOptions {
  readonly stride?: IntOrPair;
  readonly padding?: IntOrPair;
  readonly ceilMode?: boolean;
  /** Count the zero padding in the divisor (PyTorch's default true; ONNX count_include_pad = 1). */
  readonly countIncludePad?: boolean;
}

/** 2-D average pooling (PyTorch `nn.AvgPool2d`; ONNX AveragePool). */
export class AvgPool2d extends Module {
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: IntOrPair, opts?: AvgPool2dOptions) {
    super();
    const ctx = 'AvgPool2d';
    const o = options(opts, ctx);
    if ('divisorOverride' in o && (o as { divisorOverride?: unknown }).divisorOverride != null) {
      throw new RangeError(
        `${ctx}: divisorOverride: not supported (ONNX AveragePool has no divisor), got ${describeValue((o as { divisorOverride?: unknown }).divisorOverride)}`,
      );
    }
    this.kernelSize = intPair(kernelSize, 'kernelSize', ctx, 1);
    this.stride = o.stride === undefined || o.stride === null ? this.kernelSize : intPair(o.stride, 'stride', ctx, 1);
    this.padding = intPair(o.padding ?? 0, 'padding', ctx, 0);
    checkPadding(this.padding, this.kernelSize, ctx);
    this.ceilMode = bool(o.ceilMode ?? false, 'ceilMode', ctx);
    this.countIncludePad = bool(o.countIncludePad ?? true, 'countIncludePad', ctx);
  }

  override forward(x: Value): Value {
    check4d(x, this.pathIn(x), 'AvgPool2d');
    const [ph, pw] = this.padding;
    return this.emit1(x, 'AveragePool', [x], {
      kernel_shape: [...this.kernelSize],
      strides: [...this.stride],
      pads: [ph, pw, ph, pw],
      ceil_mode: this.ceilMode ? 1 : 0,
      count_include_pad: this.countIncludePad ? 1 : 0,
    });
  }
}

/** An output size per axis; null keeps the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/**
 * Adaptive average pooling to a fixed output size (PyTorch `nn.AdaptiveAvgPool2d`). 1x1 traces to
 * GlobalAveragePool (any input size, symbolic too); other sizes need input sizes that the output divides evenly,
 * which trace to an AveragePool with kernel = stride = input / output. Uneven windows are a ShapeError.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: readonly [number | null, number | null];

  constructor(outputSize: AdaptiveSize) {
    super();
    const ctx = 'AdaptiveAvgPool2d';
    const one = (v: unknown): v is number | null =>
      v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0);
    if (typeof outputSize === 'number' && one(outputSize)) this.outputSize = [outputSize, outputSize];
    else if (Array.isArray(outputSize) && outputSize.length === 2 && one(outputSize[0]) && one(outputSize[1])) {
      this.outputSize = [outputSize[0], outputSize[1]];
    } else {
      throw new RangeError(
        `${ctx}: outputSize: expected a positive integer or [h, w] (null keeps a size), got ${describeValue(outputSize)}`,
      );
    }
  }

  override forward(x: Value): Value {
    const path = this.pathIn(x);
    check4d(x, path, 'AdaptiveAvgPool2d');
    const [oh, ow] = this.outputSize;
    const [h, w] = [x.shape[2]!, x.shape[3]!];
    if ((oh === 1 || (oh === null && h === 1)) && (ow === 1 || (ow === null && w === 1))) {
      return this.emit1(x, 'GlobalAveragePool', [x]);
    }
    const kernel: number[] = [];
    for (const [size, out, axis] of [
      [h, oh, 'height'],
      [w, ow, 'width'],
    ] as const) {
      if (out === null) {
        kernel.push(1);
        continue;
      }
      if (typeof size !== 'number') {
        throw new ShapeError(
          `${path} (AdaptiveAvgPool2d): output ${out} needs a known input ${axis}, got ${JSON.stringify(size)} (input ${formatShape(x.shape)})`,
        );
      }
      if (size % out !== 0) {
        throw new ShapeError(
          `${path} (AdaptiveAvgPool2d): input ${axis} ${size} is not a multiple of output ${out}; uneven adaptive windows have no ONNX equivalent`,
        );
      }
      kernel.push(size / out);
    }
    return this.emit1(x, 'AveragePool', [x], { kernel_shape: kernel, strides: kernel, pads: [0, 0, 0, 0] });
  }
}
