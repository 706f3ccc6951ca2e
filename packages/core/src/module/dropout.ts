import type { Value } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { inRange } from './args.js';
import { Module } from './module.js';

/**
 * Dropout (PyTorch `nn.Dropout`). In eval semantics (the default when tracing) it records nothing and returns its
 * input; traced in training mode (`toGraph({ mode: 'preserve' })` on a module in training mode) it records an ONNX
 * Dropout with the ratio.
 */
export class Dropout extends Module {
  readonly p: number;
  constructor(p = 0.5) {
    super();
    this.p = inRange(p, 'p', 'Dropout', 0, 1);
  }
  override forward(x: Value): Value {
    if (!this.tracingTraining(x)) return x;
    const ratio = this.constant(x, 'ratio', new Tensor('float32', [], Float32Array.of(this.p)));
    return this.emit1(x, 'Dropout', [x, ratio]);
  }
}
