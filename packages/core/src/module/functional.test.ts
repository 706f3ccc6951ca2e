import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import { referenceBackend } from '../reference/backend.js';
import { type Tensor, tensor } from '../tensor.js';
import * as F from './functional.js';

function builder(shape: (number | string)[] = ['N', 4, 6, 6]): { b: GraphBuilder; x: Value } {
  const b = new GraphBuilder('f');
  return { b, x: b.input('x', 'float32', shape) };
}

async function evaluate(b: GraphBuilder, out: Value | Value[], x: Tensor): Promise<Tensor[]> {
  for (const v of Array.isArray(out) ? out : [out]) b.output(v);
  const compiled = await referenceBackend.compile(b.build());
  try {
    const result = await compiled.run({ x });
    return compiled.outputNames.map((n) => result[n]!);
  } finally {
    compiled.dispose();
  }
}

describe('functional ops', () => {
  it('binary ops take values, numbers and tensors (float32 scalar constants)', async () => {
    const { b, x } = builder([2, 2]);
    const y = F.div(F.sub(F.mul(F.add(x, 1), 2), tensor([1, 0])), 4);
    expect(y.shape).toEqual([2, 2]);
    const [out] = await evaluate(
      b,
      y,
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(out!.toArray()).toEqual([0.75, 1.5, 1.75, 2.5]);
    const { x: x2 } = builder([2]);
    expect(F.add(3, x2).shape).toEqual([2]);
    expect(() => F.add(1, 2 as never)).toThrow(/expected at least one graph value/);
    expect(() => F.mul(x2, 'a' as never)).toThrow(TypeError);
  });

  it('concat, split (sizes and count), reshape, transpose', async () => {
    const { b, x } = builder([2, 6]);
    const [a, c] = F.split(x, [2, 4], 1) as [Value, Value];
    expect([a.shape, c.shape]).toEqual([
      [2, 2],
      [2, 4],
    ]);
    expect(() => F.split(x, 4, 1)).toThrow(/cannot split size 6 into 4 non-empty parts/);
    const { x: seven } = builder([2, 7]);
    expect(F.split(seven, 3, 1).map((p) => p.shape[1])).toEqual([3, 3, 1]);
    const joined = F.concat([c, a], 1);
    const t = F.transpose(F.reshape(joined, [2, 3, 2]), [0, 2, 1]);
    expect(t.shape).toEqual([2, 2, 3]);
    const [out] = await evaluate(
      b,
      t,
      tensor([
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10, 11],
      ]),
    );
    // joined row 0: [2,3,4,5,0,1] -> [[2,3],[4,5],[0,1]] -> transposed [[2,4,0],[3,5,1]]
    expect(out!.toArray().slice(0, 6)).toEqual([2, 4, 0, 3, 5, 1]);
    const { x: s } = builder(['N', 6]);
    expect(F.split(s, 3, 1).map((p) => p.shape)).toEqual([
      ['N', 2],
      ['N', 2],
      ['N', 2],
    ]);
    expect(() => F.split(s, 0, 1)).toThrow(RangeError);
    expect(() => F.split(s, [], 1)).toThrow(RangeError);
    expect(() => F.split(s, [1, 2], 1)).toThrow(ShapeError);
    expect(() => F.concat([])).toThrow(TypeError);
    expect(() => F.reshape(s, [1.5])).toThrow(TypeError);
    expect(() => F.transpose(s, [-1, 0])).toThrow(TypeError);
  });

  it('pad in torch order with constant, reflect and replicate', async () => {
    for (const [mode, expected] of [
      ['constant', [0, 1, 2, 3, 0]],
      ['reflect', [2, 1, 2, 3, 2]],
      ['replicate', [1, 1, 2, 3, 3]],
    ] as const) {
      const { b, x } = builder([1, 3]);
      const y = F.pad(x, [1, 1], mode);
      const [out] = await evaluate(b, y, tensor([[1, 2, 3]]));
      expect(out!.toArray()).toEqual(expected);
    }
    const { x } = builder([1, 3]);
    expect(() => F.pad(x, [1])).toThrow(/even number/);
    expect(() => F.pad(x, [1, 1, 1, 1, 1, 1])).toThrow(RangeError);
    expect(() => F.pad(x, [1, 1], 'wrap' as never)).toThrow(/mode/);
  });

  it('slice with axes and steps', async () => {
    const { b, x } = builder([2, 5]);
    const y = F.slice(x, [1, 0], [5, 1], [1, 0], [2, 1]);
    expect(y.shape).toEqual([1, 2]);
    const [out] = await evaluate(
      b,
      y,
      tensor([
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
      ]),
    );
    expect(out!.toArray()).toEqual([1, 3]);
    expect(() => F.slice(x, [0], [1, 2])).toThrow(/same length/);
  });

  it('flatten follows torch.flatten (startDim 0 by default)', () => {
    const { x } = builder([2, 3, 4]);
    expect(F.flatten(x).shape).toEqual([24]);
    expect(F.flatten(x, 1).shape).toEqual([2, 12]);
    expect(F.flatten(x, 0, 1).shape).toEqual([6, 4]);
    const { x: s } = builder(['N', 3, 4]);
    expect(F.flatten(s, 1).shape).toEqual(['N', 12]);
    expect(() => F.flatten(s, 0, 1)).toThrow(ShapeError);
    expect(() => F.flatten({} as Value)).toThrow(TypeError);
  });

  it('relu, sigmoid, softmax and interpolate record one node each', () => {
    const { b, x } = builder();
    const y = F.interpolate(F.softmax(F.sigmoid(F.relu(x)), 1), { scaleFactor: 2, mode: 'bilinear' });
    expect(y.shape).toEqual(['N', 4, 12, 12]);
    b.output(y);
    expect(b.build().nodes.map((n) => [n.op, n.name])).toEqual([
      ['Relu', 'relu'],
      ['Sigmoid', 'sigmoid'],
      ['Softmax', 'softmax'],
      ['Resize', 'interpolate'],
    ]);
    expect(() => F.softmax(x, 0.5)).toThrow(TypeError);
    expect(() => F.relu(null as never)).toThrow(TypeError);
    expect(() => F.interpolate(x, {})).toThrow(TypeError);
  });
});
