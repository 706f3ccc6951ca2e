import { GraphBuilder, Rng, Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from './backend.js';

/** A small graph that crosses layouts (conv in NHWC, flatten back in NCHW) and has an Identity output. */
function smallGraph() {
  const rng = new Rng(3);
  const b = new GraphBuilder('small');
  const x = b.input('x', 'float32', ['N', 2, 6, 6]);
  const w = b.initializer('w', new Tensor('float32', [4, 2, 3, 3], rng.normalArray(72)));
  const bias = b.initializer('b', new Tensor('float32', [4], rng.normalArray(4)));
  const [c] = b.op('Conv', [x, w, bias], { pads: [1, 1, 1, 1], strides: [2, 2] }, { name: 'conv' });
  const [r] = b.op('Relu', [c!], {}, { name: 'relu' });
  const [f] = b.op('Flatten', [r!], { axis: 1 }, { name: 'flat' });
  const [g] = b.op(
    'Gemm',
    [f!, b.initializer('fc', new Tensor('float32', [3, 36], rng.normalArray(108)))],
    { transB: 1 },
    { name: 'fc' },
  );
  b.output(g!, 'logits');
  b.output(r!, 'features');
  return b.build();
}

describe('no leaks', () => {
  for (const device of ['cpu', 'wasm'] as const) {
    it(`1,000 runs on ${device}: tf.memory() returns to where it started after dispose`, async () => {
      const feeds = { x: new Tensor('float32', [2, 2, 6, 6], new Rng(1).normalArray(144)) };
      const model = await tfjsBackend.compile(smallGraph(), { device });
      // Start after compile's own one-time engine setup, measured with no model alive.
      model.dispose();
      const start = tf.memory();
      const m = await tfjsBackend.compile(smallGraph(), { device });
      const afterCompile = tf.memory();
      expect(afterCompile.numTensors).toBe(start.numTensors + 3);
      let last: Record<string, Tensor> = {};
      for (let i = 0; i < 1000; i++) last = await m.run(feeds);
      expect(last.logits!.shape).toEqual([2, 3]);
      expect(tf.memory().numTensors).toBe(afterCompile.numTensors);
      expect(tf.memory().numBytes).toBe(afterCompile.numBytes);
      m.dispose();
      expect(tf.memory().numTensors).toBe(start.numTensors);
      expect(tf.memory().numBytes).toBe(start.numBytes);
    }, 60_000);
  }

  it('a run that throws mid-graph frees what it allocated', async () => {
    const start = tf.memory();
    const b = new GraphBuilder('bad');
    const x = b.input('x', 'float32', [1, 4]);
    const [r] = b.op('Relu', [x], {}, { name: 'relu' });
    const [y] = b.op(
      'Reshape',
      [r!, b.initializer('s', new Tensor('int64', [2], BigInt64Array.from([2n, 2n])))],
      {},
      { name: 'reshape' },
    );
    b.output(y!, 'y');
    const graph = b.build();
    // The reshape target is changed after shape inference so that the run fails after Relu has produced a tensor.
    const broken = { ...graph, initializers: new Map([['s', new Tensor('int64', [2], BigInt64Array.from([3n, 3n]))]]) };
    const model = await tfjsBackend.compile(broken, { device: 'cpu' });
    await expect(model.run({ x: new Tensor('float32', [1, 4], Float32Array.from([1, 2, 3, 4])) })).rejects.toThrow(
      /cannot reshape \[1, 4\]/,
    );
    model.dispose();
    expect(tf.memory().numTensors).toBe(start.numTensors);
    expect(tf.memory().numBytes).toBe(start.numBytes);
  });
});
