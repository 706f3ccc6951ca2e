import { describeValue, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { formatShape } from '../shape.js';
import { full, type Tensor, zeros } from '../tensor.js';
import { bool, inRange, options, positiveInt } from './args.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

export interface BatchNorm2dOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Running-average factor (default 0.1; null: cumulative average). Kept for training; inference ignores it. */
  readonly momentum?: number | null;
  /** Learnable weight and bias (default true). */
  readonly affine?: boolean;
  /** Keep running_mean / running_var / num_batches_tracked buffers (default true). */
  readonly trackRunningStats?: boolean;
}

/**
 * Batch normalization over the channels of an NCHW input (PyTorch `nn.BatchNorm2d`). Parameters weight (ones) and
 * bias (zeros); buffers running_mean (zeros), running_var (ones), num_batches_tracked (int64 scalar). Traced in
 * eval semantics as an ONNX BatchNormalization with the running statistics.
 */
export class BatchNorm2d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numFeatures: number, opts?: BatchNorm2dOptions) {
    super();
    const ctx = 'BatchNorm2d';
    const o = options(opts, ctx);
    this.numFeatures = positiveInt(numFeatures, 'numFeatures', ctx);
    this.eps = inRange(o.eps ?? 1e-5, 'eps', ctx, 0, Number.MAX_VALUE);
    this.momentum = o.momentum === null ? null : inRange(o.momentum ?? 0.1, 'momentum', ctx, 0, 1);
    this.affine = bool(o.affine ?? true, 'affine', ctx);
    this.trackRunningStats = bool(o.trackRunningStats ?? true, 'trackRunningStats', ctx);
    this.weight = this.affine ? new Parameter(full([this.numFeatures], 1)) : null;
    this.bias = this.affine ? new Parameter(zeros([this.numFeatures])) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([this.numFeatures]));
      this.registerBuffer('running_var', full([this.numFeatures], 1));
      this.registerBuffer('num_batches_tracked', zeros([], 'int64'));
    }
  }

  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer('running_mean') : null;
  }

  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer('running_var') : null;
  }

  override forward(x: Value): Value {
    const path = this.pathIn(x);
    if (x.shape.length !== 4) {
      throw new ShapeError(`${path} (BatchNorm2d): expected a 4-D input [N, C, H, W], got ${formatShape(x.shape)}`);
    }
    const c = x.shape[1];
    if (typeof c === 'number' && c !== this.numFeatures) {
      throw new ShapeError(
        `${path} (BatchNorm2d): expected ${this.numFeatures} channels, got ${c} (input ${formatShape(x.shape)})`,
      );
    }
    if (this.tracingTraining(x)) {
      throw new UnsupportedOpError(
        'BatchNormalization',
        `${path} (BatchNorm2d): training-mode batch statistics cannot be traced (the IR has the inference form); trace with mode 'eval'`,
      );
    }
    if (!this.trackRunningStats) {
      throw new UnsupportedOpError(
        'BatchNormalization',
        `${path} (BatchNorm2d): trackRunningStats false normalizes with batch statistics, which the IR's BatchNormalization cannot express`,
      );
    }
    const n = this.numFeatures;
    const scale = this.weight ? this.tensorValue(x, 'weight') : this.constant(x, 'scale', full([n], 1));
    const shift = this.bias ? this.tensorValue(x, 'bias') : this.constant(x, 'shift', zeros([n]));
    const mean = this.tensorValue(x, 'running_mean');
    const variance = this.tensorValue(x, 'running_var');
    return this.emit1(x, 'BatchNormalization', [x, scale, shift, mean, variance], { epsilon: this.eps });
  }
}

export interface LayerNormOptions {
  readonly eps?: number;
  /** Learnable weight (ones) and bias (zeros) of shape normalizedShape (default true). */
  readonly elementwiseAffine?: boolean;
  /** With elementwiseAffine, whether there is a bias (default true). */
  readonly bias?: boolean;
}

/** Layer normalization over the last dims (PyTorch `nn.LayerNorm`): ONNX LayerNormalization, axis = -rank. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], opts?: LayerNormOptions) {
    super();
    const ctx = 'LayerNorm';
    const o = options(opts, ctx);
    const dims = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(dims) || dims.length === 0) {
      throw new TypeError(
        `${ctx}: normalizedShape: expected a positive integer or a non-empty list of them, got ${describeValue(normalizedShape)}`,
      );
    }
    this.normalizedShape = Object.freeze(dims.map((d, i) => positiveInt(d, `normalizedShape[${i}]`, ctx)));
    this.eps = inRange(o.eps ?? 1e-5, 'eps', ctx, 0, Number.MAX_VALUE);
    this.elementwiseAffine = bool(o.elementwiseAffine ?? true, 'elementwiseAffine', ctx);
    const withBias = bool(o.bias ?? true, 'bias', ctx);
    this.weight = this.elementwiseAffine ? new Parameter(full(this.normalizedShape, 1)) : null;
    this.bias = this.elementwiseAffine && withBias ? new Parameter(zeros(this.normalizedShape)) : null;
  }

  override forward(x: Value): Value {
    const path = this.pathIn(x);
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.shape.length - k);
    const fits = x.shape.length >= k && tail.every((d, i) => typeof d !== 'number' || d === this.normalizedShape[i]);
    if (!fits) {
      throw new ShapeError(
        `${path} (LayerNorm): input ${formatShape(x.shape)} must end with normalizedShape ${formatShape(this.normalizedShape)}`,
      );
    }
    const scale = this.weight
      ? this.tensorValue(x, 'weight')
      : this.constant(x, 'scale', full(this.normalizedShape, 1));
    const shift = this.bias ? this.tensorValue(x, 'bias') : null;
    return this.emit1(x, 'LayerNormalization', [x, scale, shift], { axis: -k, epsilon: this.eps });
  }
}
