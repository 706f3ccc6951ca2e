/**
 * Adaptive average pooling to any output size, as PyTorch's (window i spans floor(i*in/out) .. ceil((i+1)*in/out)).
 * Even windows trace to one AveragePool (or GlobalAveragePool for 1x1); uneven ones to Slice + ReduceMean per
 * output row, then per output column (the mean over a rectangle is the mean of its row means), joined by Concat.
 */
import { AdaptiveAvgPool2d, functional as F, formatShape, Module, ShapeError, type Value } from '@striate/core';

export class AdaptiveAvgPool extends Module {
  readonly outputSize: readonly [number, number];
  readonly #even: AdaptiveAvgPool2d;

  constructor(size: number | readonly [number, number]) {
    super();
    this.outputSize = typeof size === 'number' ? [size, size] : size;
    this.#even = new AdaptiveAvgPool2d(this.outputSize);
  }

  override forward(x: Value): Value {
    const [oh, ow] = this.outputSize;
    const [, , h, w] = x.shape;
    const even = (d: unknown, o: number) => o === 1 || (typeof d === 'number' && d % o === 0);
    if (even(h, oh) && even(w, ow)) return this.#even.forward(x);
    if (typeof h !== 'number' || typeof w !== 'number') {
      throw new ShapeError(
        `${this.pathIn(x)} (AdaptiveAvgPool): output ${oh}x${ow} needs a known input size, got ${formatShape(x.shape)}`,
      );
    }
    const pool = (v: Value, axis: 2 | 3, size: number, out: number): Value => {
      if (size === out) return v;
      const parts: Value[] = [];
      for (let i = 0; i < out; i++) {
        const start = Math.floor((i * size) / out);
        const end = Math.ceil(((i + 1) * size) / out);
        const s = F.slice(v, [start], [end], [axis]);
        parts.push(this.emit1(v, 'ReduceMean', [s], { axes: [axis], keepdims: 1 }, `mean${axis}_${i}`));
      }
      return parts.length === 1 ? parts[0]! : F.concat(parts, axis);
    };
    return pool(pool(x, 2, h, oh), 3, w, ow);
  }
}
