import { describeValue, ShapeError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { formatShape } from '../shape.js';
import { full, Tensor } from '../tensor.js';
import { finite, oneOf, options, positiveInt } from './args.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';

/** max(0, x) (ONNX Relu). */
export class ReLU extends Module {
  override forward(x: Value): Value {
    return this.emit1(x, 'Relu', [x]);
  }
}

/** x for x >= 0, negativeSlope * x otherwise (default slope 0.01). */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = finite(negativeSlope, 'negativeSlope', 'LeakyReLU');
  }
  override forward(x: Value): Value {
    return this.emit1(x, 'LeakyRelu', [x], { alpha: this.negativeSlope });
  }
}

/**
 * Leaky ReLU with a learned slope (PyTorch `nn.PReLU`): weight [numParameters] filled with `init`; one slope for
 * all channels or one per channel (dim 1). Per-channel slopes are reshaped to [C, 1, ...] for ONNX broadcasting.
 */
export class PReLU extends Module {
  weight: Parameter;
  constructor(numParameters = 1, init = 0.25) {
    super();
    const count = positiveInt(numParameters, 'numParameters', 'PReLU');
    this.weight = new Parameter(full([count], finite(init, 'init', 'PReLU')));
  }
  override forward(x: Value): Value {
    let slope = this.tensorValue(x, 'weight');
    const c = this.weight.numel;
    if (c > 1) {
      const channels = x.shape[1];
      if (x.shape.length < 2 || (typeof channels === 'number' && channels !== c)) {
        throw new ShapeError(
          `${this.pathIn(x)} (PReLU): expected ${c} channels in dim 1, got input ${formatShape(x.shape)}`,
        );
      }
      if (x.shape.length > 2) {
        const target = [c, ...new Array<number>(x.shape.length - 2).fill(1)];
        const shape = this.constant(
          x,
          'slope.shape',
          new Tensor('int64', [target.length], BigInt64Array.from(target.map(BigInt))),
        );
        slope = this.emit1(x, 'Reshape', [slope, shape], {}, 'slope');
      }
    }
    return this.emit1(x, 'PRelu', [x, slope]);
  }
}

/** x for x > 0, alpha * (exp(x) - 1) otherwise (default alpha 1). */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    this.alpha = finite(alpha, 'alpha', 'ELU');
  }
  override forward(x: Value): Value {
    return this.emit1(x, 'Elu', [x], { alpha: this.alpha });
  }
}

export class Sigmoid extends Module {
  override forward(x: Value): Value {
    return this.emit1(x, 'Sigmoid', [x]);
  }
}

export class Tanh extends Module {
  override forward(x: Value): Value {
    return this.emit1(x, 'Tanh', [x]);
  }
}

/** x * relu6(x + 3) / 6 (ONNX HardSwish). */
export class Hardswish extends Module {
  override forward(x: Value): Value {
    return this.emit1(x, 'HardSwish', [x]);
  }
}

/** relu6(x + 3) / 6: ONNX HardSigmoid with PyTorch's alpha 1/6 and beta 0.5 (ONNX's default alpha is 0.2). */
export class Hardsigmoid extends Module {
  override forward(x: Value): Value {
    return this.emit1(x, 'HardSigmoid', [x], { alpha: 1 / 6, beta: 0.5 });
  }
}

/** x * sigmoid(x) (a Sigmoid and a Mul). */
export class SiLU extends Module {
  override forward(x: Value): Value {
    const s = this.emit1(x, 'Sigmoid', [x], {}, 'sigmoid');
    return this.emit1(x, 'Mul', [x, s]);
  }
}

/** GELU, exact ('none', default) or the tanh approximation (ONNX Gelu, opset 20). */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(opts?: { approximate?: 'none' | 'tanh' }) {
    super();
    this.approximate = oneOf(options(opts, 'GELU').approximate ?? 'none', 'approximate', 'GELU', ['none', 'tanh']);
  }
  override forward(x: Value): Value {
    return this.emit1(x, 'Gelu', [x], { approximate: this.approximate });
  }
}

/**
 * Softmax along `dim`. Without `dim`, PyTorch's legacy choice: dim 0 for inputs of rank 0, 1 or 3, else dim 1.
 */
export class Softmax extends Module {
  readonly dim: number | undefined;
  constructor(dim?: number) {
    super();
    if (dim !== undefined && !Number.isInteger(dim)) {
      throw new RangeError(`Softmax: dim: expected an integer (or nothing), got ${describeValue(dim)}`);
    }
    this.dim = dim;
  }
  override forward(x: Value): Value {
    const rank = x.shape.length;
    const dim = this.dim ?? (rank === 0 || rank === 1 || rank === 3 ? 0 : 1);
    if (dim < -Math.max(rank, 1) || dim >= Math.max(rank, 1)) {
      throw new ShapeError(`${this.pathIn(x)} (Softmax): dim ${dim} is out of range for input ${formatShape(x.shape)}`);
    }
    return this.emit1(x, 'Softmax', [x], { axis: dim });
  }
}
