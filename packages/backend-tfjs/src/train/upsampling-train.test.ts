import {
  Conv2d,
  ConvTranspose2d,
  functional as F,
  Module,
  manualSeed,
  referenceBackend,
  ShapeError,
  Tensor,
  type Value,
} from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from '../backend.js';
import type { Tf } from '../internal/runtime.js';
import { ensureGradients } from './gradients.js';
import { train } from './train.js';
import { TrainGraph } from './train-graph.js';

await tf.setBackend('cpu');
ensureGradients(tf as unknown as Tf);

/**
 * Decoder steps as UNets and FCNs draw them: a transposed conv with overlapping windows (dilated, grouped), one with
 * kernel = stride (UNet's 2x2 / 2), bilinear resize, concat, nearest resize.
 */
class Up extends Module {
  up = new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 2, groups: 2 });
  up2 = new ConvTranspose2d(4, 4, 2, { stride: 2 });
  override forward(x: Value): Value {
    const [h, w] = x.shape.slice(2) as [number, number];
    const a = this.up.forward(x) as Value; // (h - 1) * 2 - 2 + 2 * 2 + 1 + 1 = 2h + 2
    const b = F.interpolate(this.up2.forward(x) as Value, { size: [2 * h + 2, 2 * w + 2], mode: 'bilinear' });
    return F.interpolate(F.concat([a, b], 1), { size: [5, 7], mode: 'nearest' });
  }
}

const variablesOf = (m: Module) =>
  new Map(
    [...m.stateDict()].map(([k, t]) => {
      const initial = tf.tensor(t.data as Float32Array, [...t.shape]);
      const v = tf.variable(initial, true);
      initial.dispose();
      return [k, v];
    }),
  );

describe('upsampling layers train (ConvTranspose with a trained weight, Resize)', () => {
  manualSeed(3);
  const model = new Up();
  const shape = [2, 4, 3, 4];
  const graph = model.eval().toGraph({ inputs: { input: shape } });
  const xData = Float32Array.from({ length: 96 }, (_, i) => Math.sin(i * 1.7));

  it('the differentiable forward (weight as a Variable) equals the reference backend', async () => {
    const start = tf.memory().numTensors;
    const vars = variablesOf(model);
    const tg = new TrainGraph(tf as unknown as Tf, graph, vars, () => null);
    const compiled = await referenceBackend.compile(graph);
    const { output } = await compiled.run({ input: new Tensor('float32', shape, xData) });
    const got = tf.tidy(() => tg.forward(tf.tensor(xData, shape), false, 0).output);
    expect(got.shape).toEqual([2, 10, 5, 7]);
    const diff = tf.tidy(
      () => tf.max(tf.abs(tf.sub(got, tf.tensor(output!.data as Float32Array, got.shape)))).dataSync()[0]!,
    );
    expect(diff).toBeLessThan(1e-5);
    compiled.dispose();
    tg.dispose();
    tf.dispose([got, ...vars.values()]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('gradients for the weight and the input match central differences', () => {
    const start = tf.memory().numTensors;
    const vars = variablesOf(model);
    const tg = new TrainGraph(tf as unknown as Tf, graph, vars, () => null);
    const r = tf.randomNormal([2, 10, 5, 7], 0, 1, 'float32', 5);
    const weights = [vars.get('up.weight')!, vars.get('up2.weight')!];
    const lossAt = (x: tf.Tensor) => tf.sum(tf.mul(tg.forward(x, true, 0).output, r)) as tf.Scalar;
    const x = tf.tensor(xData, shape);
    const { value, grads } = tf.variableGrads(() => lossAt(x), weights);
    const [dxT] = tf.grads((t: tf.Tensor) => lossAt(t))([x]);
    const dx = dxT!.dataSync();
    const eval1 = () => tf.tidy(() => lossAt(x).dataSync()[0]!);
    for (const weight of weights) {
      const dw = grads[weight.name]!.dataSync();
      const w0 = weight.dataSync().slice();
      for (let i = 0; i < w0.length; i += 5) {
        const at = (d: number) => {
          const w = Float32Array.from(w0);
          w[i] += d;
          tf.tidy(() => weight.assign(tf.tensor(w, weight.shape)));
          return eval1();
        };
        expect(dw[i]).toBeCloseTo((at(1e-2) - at(-1e-2)) / 2e-2, 1);
      }
      tf.tidy(() => weight.assign(tf.tensor(w0, weight.shape)));
    }
    for (let i = 0; i < xData.length; i += 3) {
      const at = (d: number) => {
        const v = Float32Array.from(xData);
        v[i] += d;
        return tf.tidy(() => lossAt(tf.tensor(v, shape)).dataSync()[0]!);
      };
      expect(dx[i]).toBeCloseTo((at(1e-2) - at(-1e-2)) / 2e-2, 1);
    }
    tf.dispose([value, ...Object.values(grads), dxT!, r, x]);
    tg.dispose();
    tf.dispose([...vars.values()]);
    expect(tf.memory().numTensors).toBe(start);
  }, 30_000);
});

describe('per-pixel cross-entropy', () => {
  /** 1x1 conv to 3 classes on [N, 2, 4, 4]: logits [N, 3, 4, 4], targets [N, 4, 4]. */
  function setup() {
    manualSeed(1);
    const model = new Conv2d(2, 3, 1);
    const inputs = new Tensor(
      'float32',
      [4, 2, 4, 4],
      Float32Array.from({ length: 128 }, (_, i) => Math.cos(i * 0.37)),
    );
    const targets = new Tensor(
      'int32',
      [4, 4, 4],
      Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 3),
    );
    return { model, inputs, targets };
  }

  it('equals the mean over all pixels of -log softmax at the target class (float64 reference)', async () => {
    await expectLoss(undefined);
  });

  it('with class weights: sum(w[target] * nll) / sum(w[target]), as PyTorch (float64 reference)', async () => {
    await expectLoss([0.5, 2, 1.25]);
  });

  async function expectLoss(weights: number[] | undefined): Promise<void> {
    const { model, inputs, targets } = setup();
    const compiled = await referenceBackend.compile(model.eval().toGraph({ inputs: { input: [4, 2, 4, 4] } }));
    const logits = (await compiled.run({ input: inputs })).output!.data as Float32Array;
    compiled.dispose();
    let sum = 0;
    let wsum = 0;
    let hits = 0;
    for (let n = 0; n < 4; n++) {
      for (let p = 0; p < 16; p++) {
        const z = [0, 1, 2].map((c) => logits[(n * 3 + c) * 16 + p]!);
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
        const t = targets.data[n * 16 + p] as number;
        const w = weights ? weights[t]! : 1;
        sum += w * (lse - z[t]!);
        wsum += w;
        if (z.indexOf(m) === t) hits++;
      }
    }
    const start = tf.memory().numTensors;
    const { history } = await train(
      model,
      { inputs, targets },
      {
        epochs: 1,
        batchSize: 4, // one batch: the weighted mean is per batch, as PyTorch's
        loss: 'cross-entropy',
        optimizer: { type: 'sgd', lr: 0 },
        ...(weights ? { classWeights: weights } : {}),
        validation: { inputs, targets },
      },
    );
    expect(history[0]!.loss).toBeCloseTo(sum / wsum, 5);
    expect(history[0]!.valLoss).toBeCloseTo(sum / wsum, 5);
    expect(history[0]!.accuracy).toBe(hits / 64);
    expect(history[0]!.valAccuracy).toBe(hits / 64);
    expect(tf.memory().numTensors).toBe(start);
  }

  it('rejects targets whose spatial size does not match the logits, and bad class weights', async () => {
    const { model, inputs } = setup();
    const bad = new Tensor('int32', [4, 4, 3], new Int32Array(48));
    await expect(
      train(
        model,
        { inputs, targets: bad },
        { epochs: 1, batchSize: 2, loss: 'cross-entropy', optimizer: { type: 'sgd', lr: 0.1 } },
      ),
    ).rejects.toThrow(ShapeError);
    await expect(
      train(
        model,
        { inputs, targets: bad },
        { epochs: 1, batchSize: 2, loss: 'cross-entropy', optimizer: { type: 'sgd', lr: 0.1 } },
      ),
    ).rejects.toThrow(/targets \[4, 4, 3\] needs logits \[N, C, 4, 3\], the module outputs \[N, 3, 4, 4\]/);
    const labels = new Tensor('int32', [4, 4, 4], new Int32Array(64));
    const opts = {
      epochs: 1,
      batchSize: 2,
      loss: 'cross-entropy' as const,
      optimizer: { type: 'sgd' as const, lr: 0 },
    };
    await expect(train(model, { inputs, targets: labels }, { ...opts, classWeights: [1, 2] })).rejects.toThrow(
      /options.classWeights: expected 3 finite weights >= 0/,
    );
    await expect(train(model, { inputs, targets: labels }, { ...opts, classWeights: [1, -1, 2] })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('training with upsampling layers gives the same losses on every tfjs device', () => {
  /** Strided conv (its input gradient is dilated), both transposed-conv formulations, bilinear and nearest Resize. */
  class Net extends Module {
    down = new Conv2d(4, 4, 3, { stride: 2, padding: 1 });
    up = new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 2, groups: 2 });
    up2 = new ConvTranspose2d(4, 4, 2, { stride: 2 });
    head = new Conv2d(10, 3, 1);
    override forward(x: Value): Value {
      const [h, w] = x.shape.slice(2) as [number, number];
      const a = this.up.forward(x) as Value;
      const b = this.up2.forward(this.down.forward(x) as Value) as Value;
      const c = F.concat([a, F.interpolate(b, { size: [2 * h + 2, 2 * w + 2], mode: 'bilinear' })], 1);
      return this.head.forward(F.interpolate(c, { size: [5, 7], mode: 'nearest' })) as Value;
    }
  }

  it('three Adam steps on cpu, wasm and webgpu (a device that is not available fails with its reason)', async () => {
    const inputs = new Tensor(
      'float32',
      [4, 4, 6, 8],
      Float32Array.from({ length: 768 }, (_, i) => Math.sin(i)),
    );
    const targets = new Tensor(
      'int32',
      [4, 5, 7],
      Int32Array.from({ length: 140 }, (_, i) => i % 3),
    );
    const devices = await tfjsBackend.devices();
    const losses: number[][] = [];
    for (const device of ['cpu', 'wasm', 'webgpu'] as const) {
      const d = devices.find((x) => x.device === device);
      expect(d?.available, `${device}: ${d?.reason}`).toBe(true);
      manualSeed(0);
      const { history } = await train(
        new Net(),
        { inputs, targets },
        { epochs: 3, batchSize: 4, loss: 'cross-entropy', optimizer: { type: 'adam', lr: 1e-2 }, device },
      );
      losses.push(history.map((h) => h.loss));
    }
    expect(losses[0]![2]).toBeLessThan(losses[0]![0]!);
    for (const other of losses.slice(1)) {
      other.forEach((l, i) => {
        expect(l).toBeCloseTo(losses[0]![i]!, 4);
      });
    }
  }, 60_000);
});
