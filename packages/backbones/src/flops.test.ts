import { Conv2d, functional as F, Linear, Module, ShapeError, type Value } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { countFlops } from './flops.js';

class Tiny extends Module {
  conv = new Conv2d(3, 8, 3, { padding: 1, groups: 1, seed: 0 });
  dw = new Conv2d(8, 8, 3, { stride: 2, padding: 1, groups: 8, seed: 0 });
  fc = new Linear(8 * 4 * 4, 5, { seed: 0 });
  override forward(x: Value): Value {
    const y = this.dw.forward(this.conv.forward(x)) as Value;
    return this.fc.forward(F.flatten(y, 1));
  }
}

describe('countFlops', () => {
  it('counts 2 x multiply-adds of Conv (groups included) and Gemm, resolving the batch symbol', () => {
    const graph = new Tiny().toGraph({ inputs: { input: ['N', 3, 8, 8] } });
    const conv = 8 * 8 * 8 * (3 * 3 * 3);
    const dw = 8 * 4 * 4 * (1 * 3 * 3);
    const fc = 5 * 128;
    expect(countFlops(graph, [1, 3, 8, 8])).toEqual({
      total: 2 * (conv + dw + fc),
      byOp: { Conv: 2 * (conv + dw), Gemm: 2 * fc },
    });
    expect(countFlops(graph, [4, 3, 8, 8]).total).toBe(8 * (conv + dw + fc));
  });

  it('needs a value for symbolic dims, and a matching input shape', () => {
    const graph = new Tiny().toGraph({ inputs: { input: ['N', 3, 8, 8] } });
    expect(() => countFlops(graph)).toThrow(ShapeError);
    expect(() => countFlops(graph, [1, 3, 8])).toThrow(RangeError);
    expect(() => countFlops(graph, [1, 3, 9, 9])).toThrow(/traced with 8/);
    const fixed = new Tiny().toGraph({ inputs: { input: [2, 3, 8, 8] } });
    expect(countFlops(fixed).total).toBe(countFlops(graph, [2, 3, 8, 8]).total);
  });
});
