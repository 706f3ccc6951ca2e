import { ShapeError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { fanInFanOut, kaimingUniform, uniform } from '../init.js';
import { formatShape } from '../shape.js';
import { bool, options, positiveInt } from './args.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { type InitOptions, resolveRng } from './random.js';

export interface LinearOptions extends InitOptions {
  /** Default true. */
  readonly bias?: boolean;
}

/**
 * Fully connected layer (PyTorch `nn.Linear`): weight [out, in], y = x W^T + b. A 2-D input traces to one Gemm
 * (transB = 1); other ranks to Transpose(weight) + MatMul (+ Add). Initialized as PyTorch: weight
 * kaiming_uniform(a = sqrt(5)), bias U(-1/sqrt(in), 1/sqrt(in)).
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, opts?: LinearOptions) {
    super();
    const o = options(opts, 'Linear');
    this.inFeatures = positiveInt(inFeatures, 'inFeatures', 'Linear');
    this.outFeatures = positiveInt(outFeatures, 'outFeatures', 'Linear');
    const withBias = bool(o.bias ?? true, 'bias', 'Linear');
    const rng = resolveRng(o);
    const shape = [this.outFeatures, this.inFeatures];
    this.weight = new Parameter(kaimingUniform(shape, { a: Math.sqrt(5), rng }));
    const bound = 1 / Math.sqrt(fanInFanOut(shape).fanIn);
    this.bias = withBias ? new Parameter(uniform([this.outFeatures], { low: -bound, high: bound, rng })) : null;
  }

  override forward(x: Value): Value {
    const path = this.pathIn(x);
    const last = x.shape[x.shape.length - 1];
    if (x.shape.length === 0 || (typeof last === 'number' && last !== this.inFeatures)) {
      throw new ShapeError(
        `${path} (Linear): expected an input whose last dim is inFeatures ${this.inFeatures}, got ${formatShape(x.shape)}`,
      );
    }
    const weight = this.tensorValue(x, 'weight');
    const bias = this.bias ? this.tensorValue(x, 'bias') : null;
    if (x.shape.length === 2) return this.emit1(x, 'Gemm', bias ? [x, weight, bias] : [x, weight], { transB: 1 });
    const wt = this.emit1(x, 'Transpose', [weight], { perm: [1, 0] }, 'weight_t');
    if (!bias) return this.emit1(x, 'MatMul', [x, wt]);
    const product = this.emit1(x, 'MatMul', [x, wt], {}, 'matmul');
    return this.emit1(x, 'Add', [product, bias]);
  }
}

/** Passes its input through (PyTorch `nn.Identity`); records nothing. */
export class Identity extends Module {
  override forward(x: Value): Value {
    return x;
  }
}
