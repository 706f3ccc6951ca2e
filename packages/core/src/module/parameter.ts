import { describeValue } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * A trainable tensor of a Module (PyTorch's `nn.Parameter`). Assigning one to a property of a module registers it
 * under the property's name (`this.weight = new Parameter(t)`). `data` is replaced, not mutated, by
 * `loadStateDict`; `requiresGrad` marks it trainable (false freezes it; `numParameters({ trainable: true })` skips
 * it).
 */
export class Parameter {
  data: Tensor<'float32'>;
  requiresGrad: boolean;

  constructor(data: Tensor, options: { requiresGrad?: boolean } = {}) {
    if (!(data instanceof Tensor)) throw new TypeError(`data: expected a Tensor, got ${describeValue(data)}`);
    const { requiresGrad = true } = options;
    if (typeof requiresGrad !== 'boolean') {
      throw new TypeError(`requiresGrad: expected a boolean, got ${describeValue(requiresGrad)}`);
    }
    this.data = data.toFloat32();
    this.requiresGrad = requiresGrad;
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }

  /** Number of elements. */
  get numel(): number {
    return this.data.size;
  }

  toString(): string {
    return `Parameter(${this.data.dtype}, [${this.data.shape.join(', ')}])`;
  }
}
