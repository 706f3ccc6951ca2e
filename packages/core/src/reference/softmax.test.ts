import { describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../../../test-utils/fixtures.js';
import { DTypeError } from '../errors.js';
import type { Attrs, GraphNode } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { softmax } from './softmax.js';

const node = (attrs: Attrs = {}): GraphNode => ({
  op: 'Softmax',
  name: 'head.softmax',
  inputs: ['x'],
  outputs: ['y'],
  attrs,
});

describe('Softmax', () => {
  it('normalizes the last axis by default', () => {
    const [y] = softmax([tensor([[1, 2, 3]])], {}, node());
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    expect(
      maxAbsDiff(
        y!.toArray(),
        e.map((v) => v / s),
      ),
    ).toBeLessThan(1e-7);
  });

  it('works along a middle axis and sums to 1 there', () => {
    const x = new Tensor(
      'float32',
      [2, 3, 4],
      Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 5),
    );
    const attrs = { axis: -2 };
    const [y] = softmax([x], attrs, node(attrs));
    for (let b = 0; b < 2; b++)
      for (let j = 0; j < 4; j++) {
        let sum = 0;
        const col = [0, 1, 2].map((c) => x.data[b * 12 + c * 4 + j]!);
        const mx = Math.max(...col);
        const den = col.reduce((a, v) => a + Math.exp(v - mx), 0);
        for (let c = 0; c < 3; c++) {
          const v = y!.toArray()[b * 12 + c * 4 + j]!;
          expect(v).toBeCloseTo(Math.exp(col[c]! - mx) / den, 6);
          sum += v;
        }
        expect(sum).toBeCloseTo(1, 6);
      }
  });

  it('is stable for large logits and follows PyTorch on -Infinity and NaN', () => {
    expect(softmax([tensor([1000, 1000])], {}, node())[0]!.toArray()).toEqual([0.5, 0.5]);
    expect(softmax([tensor([0, Number.NEGATIVE_INFINITY])], {}, node())[0]!.toArray()).toEqual([1, 0]);
    const allInf = softmax([tensor([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])], {}, node())[0]!;
    expect(allInf.toArray().every(Number.isNaN)).toBe(true);
    const nan = softmax([tensor([1, Number.NaN, 2])], {}, node())[0]!;
    expect(nan.toArray().every(Number.isNaN)).toBe(true);
  });

  it('rejects a bad axis, a scalar and int input', () => {
    expect(() => softmax([tensor([1, 2])], { axis: 1 }, node({ axis: 1 }))).toThrow(
      /head\.softmax \(Softmax\): attribute axis/,
    );
    expect(() => softmax([new Tensor('float32', [], new Float32Array(1))], {}, node())).toThrow(RangeError);
    expect(() => softmax([tensor([1, 2], undefined, 'int32')], {}, node())).toThrow(DTypeError);
  });

  it('returns an empty result for an empty input', () => {
    expect(softmax([new Tensor('float32', [0, 3], new Float32Array(0))], {}, node())[0]!.shape).toEqual([0, 3]);
  });
});
