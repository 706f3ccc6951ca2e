import { ShapeError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { fanInFanOut, kaimingUniform, uniform } from '../init.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { bool, type IntOrPair, intPair, oneOf, options, type Pair, positiveInt } from './args.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { type InitOptions, resolveRng } from './random.js';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate';

export interface Conv2dOptions extends InitOptions {
  /** Default 1. */
  readonly stride?: IntOrPair;
  /** Zero padding per side, 'valid' (none) or 'same' (output size = input size; stride 1 only). Default 0. */
  readonly padding?: IntOrPair | 'same' | 'valid';
  /** Default 1. */
  readonly dilation?: IntOrPair;
  /** Default 1; must divide inChannels and outChannels. */
  readonly groups?: number;
  /** Default true. */
  readonly bias?: boolean;
  /** 'zeros' (default), or 'reflect' / 'replicate', which emit a Pad node before the Conv. */
  readonly paddingMode?: PaddingMode;
}

function checkGroups(groups: unknown, inChannels: number, outChannels: number, ctx: string): number {
  const g = positiveInt(groups, 'groups', ctx);
  if (inChannels % g !== 0 || outChannels % g !== 0) {
    throw new RangeError(
      `${ctx}: groups: expected a divisor of inChannels (${inChannels}) and outChannels (${outChannels}), got ${g}`,
    );
  }
  return g;
}

/** Initial weight and bias as PyTorch's _ConvNd.reset_parameters: kaiming_uniform(a=sqrt(5)), U(+-1/sqrt(fanIn)). */
function initConv(shape: readonly number[], withBias: boolean, biasSize: number, init: InitOptions | undefined) {
  const rng = resolveRng(init);
  const weight = new Parameter(kaimingUniform(shape, { a: Math.sqrt(5), rng }));
  if (!withBias) return { weight, bias: null };
  const { fanIn } = fanInFanOut(shape);
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return { weight, bias: new Parameter(uniform([biasSize], { low: -bound, high: bound, rng })) };
}

/** Checks a 4-D NCHW input with `channels` channels (a symbolic C passes). */
function checkInput(x: Value, channels: number, path: string, what: string): void {
  if (x.shape.length !== 4) {
    throw new ShapeError(`${path} (${what}): expected a 4-D input [N, C, H, W], got ${formatShape(x.shape)}`);
  }
  const c = x.shape[1];
  if (typeof c === 'number' && c !== channels) {
    throw new ShapeError(
      `${path} (${what}): expected ${channels} input channels, got ${c} (input ${formatShape(x.shape)})`,
    );
  }
}

/** 2-D convolution (PyTorch `nn.Conv2d`): weight [out, in/groups, kH, kW], an ONNX Conv with explicit pads. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair | 'same' | 'valid';
  readonly dilation: Pair;
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts?: Conv2dOptions) {
    super();
    const o = options(opts, 'Conv2d');
    this.inChannels = positiveInt(inChannels, 'inChannels', 'Conv2d');
    this.outChannels = positiveInt(outChannels, 'outChannels', 'Conv2d');
    this.kernelSize = intPair(kernelSize, 'kernelSize', 'Conv2d', 1);
    this.stride = intPair(o.stride ?? 1, 'stride', 'Conv2d', 1);
    const padding = o.padding ?? 0;
    this.padding =
      typeof padding === 'string'
        ? oneOf(padding, 'padding', 'Conv2d', ['same', 'valid'] as const)
        : intPair(padding, 'padding', 'Conv2d', 0);
    if (this.padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new RangeError(
        `Conv2d: padding: 'same' is not supported for strided convolutions (stride ${formatShape(this.stride)}), as in PyTorch`,
      );
    }
    this.dilation = intPair(o.dilation ?? 1, 'dilation', 'Conv2d', 1);
    this.groups = checkGroups(o.groups ?? 1, this.inChannels, this.outChannels, 'Conv2d');
    this.paddingMode = oneOf(o.paddingMode ?? 'zeros', 'paddingMode', 'Conv2d', ['zeros', 'reflect', 'replicate']);
    const withBias = bool(o.bias ?? true, 'bias', 'Conv2d');
    const shape = [this.outChannels, this.inChannels / this.groups, ...this.kernelSize];
    const { weight, bias } = initConv(shape, withBias, this.outChannels, o);
    this.weight = weight;
    this.bias = bias;
  }

  /** Explicit pads [top, left, bottom, right]; 'same' puts the odd extra on the bottom/right, as PyTorch. */
  get pads(): [number, number, number, number] {
    if (this.padding === 'valid') return [0, 0, 0, 0];
    if (this.padding === 'same') {
      const total = [0, 1].map((i) => this.dilation[i]! * (this.kernelSize[i]! - 1));
      const begin = total.map((t) => Math.floor(t / 2));
      return [begin[0]!, begin[1]!, total[0]! - begin[0]!, total[1]! - begin[1]!];
    }
    return [this.padding[0], this.padding[1], this.padding[0], this.padding[1]];
  }

  override forward(x: Value): Value {
    const path = this.pathIn(x);
    checkInput(x, this.inChannels, path, 'Conv2d');
    let input = x;
    let pads = this.pads;
    if (this.paddingMode !== 'zeros' && pads.some((p) => p > 0)) {
      const [t, l, b, r] = pads;
      const dims = [x.shape[2], x.shape[3]];
      if (this.paddingMode === 'reflect') {
        [t, b, l, r].forEach((p, i) => {
          const d = dims[i < 2 ? 0 : 1];
          if (typeof d === 'number' && p >= d) {
            throw new ShapeError(
              `${path} (Conv2d): reflect padding ${p} must be smaller than the input size ${d} (input ${formatShape(x.shape)})`,
            );
          }
        });
      }
      const padsT = new Tensor('int64', [8], BigInt64Array.from([0, 0, t, l, 0, 0, b, r].map(BigInt)));
      const mode = this.paddingMode === 'reflect' ? 'reflect' : 'edge';
      input = this.emit1(x, 'Pad', [x, this.constant(x, 'pad.pads', padsT)], { mode }, 'pad');
      pads = [0, 0, 0, 0];
    }
    const inputs = [input, this.tensorValue(x, 'weight')];
    if (this.bias) inputs.push(this.tensorValue(x, 'bias'));
    return this.emit1(x, 'Conv', inputs, {
      kernel_shape: [...this.kernelSize],
      strides: [...this.stride],
      pads,
      dilations: [...this.dilation],
      group: this.groups,
    });
  }
}

export interface ConvTranspose2dOptions extends InitOptions {
  readonly stride?: IntOrPair;
  /** Removed from each side of the full output (PyTorch's `padding`). Default 0. */
  readonly padding?: IntOrPair;
  /** Added to the bottom/right of the output; smaller than the stride or the dilation. Default 0. */
  readonly outputPadding?: IntOrPair;
  readonly groups?: number;
  readonly bias?: boolean;
  readonly dilation?: IntOrPair;
}

/** Transposed 2-D convolution (PyTorch `nn.ConvTranspose2d`): weight [in, out/groups, kH, kW]. */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly outputPadding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, opts?: ConvTranspose2dOptions) {
    super();
    const ctx = 'ConvTranspose2d';
    const o = options(opts, ctx);
    this.inChannels = positiveInt(inChannels, 'inChannels', ctx);
    this.outChannels = positiveInt(outChannels, 'outChannels', ctx);
    this.kernelSize = intPair(kernelSize, 'kernelSize', ctx, 1);
    this.stride = intPair(o.stride ?? 1, 'stride', ctx, 1);
    this.padding = intPair(o.padding ?? 0, 'padding', ctx, 0);
    this.outputPadding = intPair(o.outputPadding ?? 0, 'outputPadding', ctx, 0);
    this.dilation = intPair(o.dilation ?? 1, 'dilation', ctx, 1);
    for (const i of [0, 1]) {
      const limit = Math.max(this.stride[i]!, this.dilation[i]!);
      if (this.outputPadding[i]! >= limit) {
        throw new RangeError(
          `${ctx}: outputPadding: expected values smaller than the stride or the dilation (${limit}), got ${formatShape(this.outputPadding)}`,
        );
      }
    }
    this.groups = checkGroups(o.groups ?? 1, this.inChannels, this.outChannels, ctx);
    const withBias = bool(o.bias ?? true, 'bias', ctx);
    const shape = [this.inChannels, this.outChannels / this.groups, ...this.kernelSize];
    const { weight, bias } = initConv(shape, withBias, this.outChannels, o);
    this.weight = weight;
    this.bias = bias;
  }

  override forward(x: Value): Value {
    checkInput(x, this.inChannels, this.pathIn(x), 'ConvTranspose2d');
    const inputs = [x, this.tensorValue(x, 'weight')];
    if (this.bias) inputs.push(this.tensorValue(x, 'bias'));
    const [ph, pw] = this.padding;
    return this.emit1(x, 'ConvTranspose', inputs, {
      kernel_shape: [...this.kernelSize],
      strides: [...this.stride],
      pads: [ph, pw, ph, pw],
      dilations: [...this.dilation],
      group: this.groups,
      output_padding: [...this.outputPadding],
    });
  }
}
