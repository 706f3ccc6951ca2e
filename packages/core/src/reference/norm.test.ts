import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode, OpType } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { batchNormalization, layerNormalization } from './norm.js';

const node = (op: OpType, attrs: Attrs = {}, outputs = ['y']): GraphNode => ({
  op,
  name: 'bn1',
  inputs: [],
  outputs,
  attrs,
});

describe('BatchNormalization (inference)', () => {
  const x = new Tensor(
    'float32',
    [2, 3, 2, 2],
    Float32Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5),
  );
  const scale = tensor([1, 2, 0.5]);
  const bias = tensor([0, -1, 3]);
  const mean = tensor([0.5, -1, 2]);
  const variance = tensor([1, 4, 0.25]);

  it('computes (x - mean) / sqrt(var + eps) * scale + B per channel', () => {
    const [y] = batchNormalization([x, scale, bias, mean, variance], {}, node('BatchNormalization'));
    expect(y!.shape).toEqual([2, 3, 2, 2]);
    for (let i = 0; i < 24; i++) {
      const c = Math.floor(i / 4) % 3;
      const expected =
        ((x.data[i]! - mean.data[c]!) / Math.sqrt(variance.data[c]! + 1e-5)) * scale.data[c]! + bias.data[c]!;
      expect(y!.data[i]).toBeCloseTo(expected, 5);
    }
  });

  it('uses the epsilon attribute and accepts [N, C] inputs', () => {
    const attrs = { epsilon: 0.75 };
    const [y] = batchNormalization(
      [tensor([[2, 3]]), tensor([1, 1]), tensor([0, 0]), tensor([0, 1]), tensor([0.25, 0.25])],
      attrs,
      node('BatchNormalization', attrs),
    );
    expect(y!.toArray()).toEqual([2, 2]);
  });

  it('rejects bad inputs and the training form', () => {
    const run =
      (inputs: (Tensor | null)[], attrs: Attrs = {}, outputs = ['y']) =>
      () =>
        batchNormalization(inputs, attrs, node('BatchNormalization', attrs, outputs));
    expect(run([x, tensor([1, 2]), bias, mean, variance])).toThrow(
      /bn1 \(BatchNormalization\): scale: expected shape \[3\]/,
    );
    expect(run([x, scale, bias, mean, null])).toThrow(/input_var/);
    expect(run([x.cast('int32'), scale, bias, mean, variance])).toThrow(DTypeError);
    expect(run([tensor([1, 2, 3]), scale, bias, mean, variance])).toThrow(ShapeError);
    expect(run([x, scale, bias, mean, variance], { training_mode: 1 })).toThrow(UnsupportedOpError);
    expect(run([x, scale, bias, mean, variance], {}, ['y', 'running_mean'])).toThrow(UnsupportedOpError);
  });
});

describe('LayerNormalization', () => {
  it('normalizes over the last axis with the population variance', () => {
    const x = tensor([
      [1, 2, 3, 4],
      [-2, 0, 2, 8],
    ]);
    const [y, mean, invStd] = layerNormalization(
      [x, tensor([1, 2, 1, 1]), tensor([0, 0, 1, 0])],
      {},
      node('LayerNormalization', {}, ['y', 'mean', 'inv']),
    );
    expect(mean!.shape).toEqual([2, 1]);
    expect(mean!.toArray()).toEqual([2.5, 2]);
    const inv0 = 1 / Math.sqrt(1.25 + 1e-5);
    expect(invStd!.data[0]).toBeCloseTo(inv0, 6);
    expect(y!.data[0]).toBeCloseTo(-1.5 * inv0, 5);
    expect(y!.data[1]).toBeCloseTo(-0.5 * inv0 * 2, 5);
    expect(y!.data[2]).toBeCloseTo(0.5 * inv0 + 1, 5);
    const inv1 = 1 / Math.sqrt((16 + 4 + 0 + 36) / 4 + 1e-5);
    expect(y!.data[7]).toBeCloseTo(6 * inv1, 5);
  });

  it('normalizes over several axes (axis 1 of [2, 2, 3]) without a bias', () => {
    const x = new Tensor(
      'float32',
      [2, 2, 3],
      Float32Array.from({ length: 12 }, (_, i) => i * i),
    );
    const attrs = { axis: 1, epsilon: 0 };
    const [y] = layerNormalization([x, tensor([2])], attrs, node('LayerNormalization', attrs));
    for (let r = 0; r < 2; r++) {
      const row = Array.from(x.data.subarray(r * 6, r * 6 + 6));
      const mu = row.reduce((a, b) => a + b) / 6;
      const sd = Math.sqrt(row.reduce((a, b) => a + (b - mu) ** 2, 0) / 6);
      row.forEach((v, i) => {
        expect(y!.toArray()[r * 6 + i]).toBeCloseTo((2 * (v - mu)) / sd, 5);
      });
    }
  });

  it('rejects a Scale that does not broadcast and a bad axis', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => layerNormalization([x, tensor([1, 2])], {}, node('LayerNormalization'))).toThrow(ShapeError);
    expect(() =>
      layerNormalization([x, tensor([1, 1, 1])], { axis: 2 }, node('LayerNormalization', { axis: 2 })),
    ).toThrow(RangeError);
    expect(() => layerNormalization([x, null], {}, node('LayerNormalization'))).toThrow(/Scale/);
  });
});
