import {
  BatchNorm2d,
  DataError,
  Dropout,
  Flatten,
  Linear,
  type Module,
  manualSeed,
  ReLU,
  Sequential,
  ShapeError,
  Tensor,
} from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { lrFactor } from './schedules.js';
import { TrainingDivergedError, train } from './train.js';

const f32 = (shape: number[], values: number[]) => new Tensor('float32', shape, Float32Array.from(values));
const snapshot = (m: Module) =>
  new Map([...m.stateDict()].map(([k, t]) => [k, Array.from(t.data as Float32Array, Number)]));

/** y = w.x + b on 4 samples; one full batch per epoch, so each epoch is one optimizer step. */
function linearSetup() {
  const model = new Linear(2, 1);
  model.loadStateDict(
    new Map([
      ['weight', f32([1, 2], [0.5, -0.25])],
      ['bias', f32([1], [0.1])],
    ]),
  );
  const inputs = f32([4, 2], [1, 2, -1, 0.5, 0.3, -2, 2, 1]);
  const targets = f32([4, 1], [1, 0, -1, 2]);
  return { model, data: { inputs, targets } };
}

/** The same two steps in float64 with PyTorch's update rules, for SGD(momentum, weight_decay) and Adam. */
function reference(kind: 'sgd' | 'adam', steps: number): number[] {
  const x = [
    [1, 2],
    [-1, 0.5],
    [0.3, -2],
    [2, 1],
  ];
  const t = [1, 0, -1, 2];
  let p = [0.5, -0.25, 0.1];
  const buf = [0, 0, 0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  for (let s = 1; s <= steps; s++) {
    const g = [0, 0, 0];
    x.forEach(([a, b], i) => {
      const r = (2 * (p[0]! * a! + p[1]! * b! + p[2]! - t[i]!)) / 4;
      g[0] += r * a!;
      g[1] += r * b!;
      g[2] += r;
    });
    if (kind === 'sgd') {
      p = p.map((pi, i) => {
        const gi = g[i]! + 0.01 * pi;
        buf[i] = s === 1 ? gi : 0.9 * buf[i]! + gi;
        return pi - 0.1 * buf[i]!;
      });
    } else {
      p = p.map((pi, i) => {
        const gi = g[i]! + 0.01 * pi;
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** s) + 1e-8;
        return pi - (0.05 / (1 - 0.9 ** s)) * (m[i]! / denom);
      });
    }
  }
  return p;
}

describe('train: optimizers, batch norm, freezing, schedules', () => {
  it('SGD with momentum and weight decay follows torch.optim.SGD', async () => {
    const { model, data } = linearSetup();
    await train(model, data, {
      epochs: 2,
      batchSize: 4,
      loss: 'mse',
      optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 },
    });
    const s = snapshot(model);
    const want = reference('sgd', 2);
    [...s.get('weight')!, ...s.get('bias')!].forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });

  it('Adam follows torch.optim.Adam (L2 weight decay)', async () => {
    const { model, data } = linearSetup();
    await train(model, data, {
      epochs: 2,
      batchSize: 4,
      loss: 'mse',
      optimizer: { type: 'adam', lr: 0.05, weightDecay: 0.01 },
    });
    const s = snapshot(model);
    const want = reference('adam', 2);
    [...s.get('weight')!, ...s.get('bias')!].forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
  });

  it('BatchNorm trains on batch statistics and updates running stats as PyTorch (momentum 0.1, unbiased var)', async () => {
    const model = new Sequential(new BatchNorm2d(2), new Flatten());
    const x = Array.from({ length: 2 * 2 * 3 }, (_, i) => Math.sin(i) * 3 + (i % 2));
    const inputs = f32([2, 2, 1, 3], x);
    await train(
      model,
      { inputs, targets: f32([2, 6], new Array(12).fill(0)) },
      { epochs: 1, batchSize: 2, loss: 'mse', optimizer: { type: 'sgd', lr: 0 } },
    );
    const sd = model.stateDict();
    for (let c = 0; c < 2; c++) {
      const vals = [0, 1].flatMap((n) => x.slice(n * 6 + c * 3, n * 6 + c * 3 + 3));
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const unbiased = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1);
      expect(sd.get('0.running_mean')!.data[c]).toBeCloseTo(0.1 * mean, 5);
      expect(sd.get('0.running_var')!.data[c]).toBeCloseTo(0.9 + 0.1 * unbiased, 5);
    }
    expect(sd.get('0.num_batches_tracked')!.data[0]).toBe(1n);
  });

  it('freezes parameters by name pattern and scales per-group rates', async () => {
    const make = () => {
      manualSeed(3);
      return new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    };
    const data = {
      inputs: f32([4, 3], [1, 2, 3, -1, 0, 1, 2, -2, 0.5, 0, 1, -1]),
      targets: new Tensor('int64', [4], BigInt64Array.from([0n, 1n, 1n, 0n])),
    };
    const opts = {
      epochs: 1,
      batchSize: 4,
      loss: 'cross-entropy' as const,
      optimizer: { type: 'sgd' as const, lr: 0.5 },
    };
    const base = make();
    const before = snapshot(base);
    await train(base, data, opts);
    const frozen = make();
    await train(frozen, data, { ...opts, freeze: ['0.*'] });
    const scaled = make();
    await train(scaled, data, { ...opts, paramGroups: [{ pattern: '0.*', lrScale: 0.1 }] });
    const a = snapshot(base);
    const f = snapshot(frozen);
    const s = snapshot(scaled);
    expect(f.get('0.weight')).toEqual(before.get('0.weight'));
    expect(f.get('2.weight')).toEqual(a.get('2.weight'));
    const d = (m: Map<string, number[]>, k: string) => m.get(k)!.map((v, i) => v - before.get(k)![i]!);
    d(s, '0.weight').forEach((v, i) => {
      expect(v).toBeCloseTo(0.1 * d(a, '0.weight')[i]!, 6);
    });
    expect(d(a, '0.weight').some((v) => Math.abs(v) > 1e-4)).toBe(true);
  });

  it('Dropout drops only in training; step and cosine schedules', async () => {
    manualSeed(1);
    const model = new Sequential(new Dropout(0.5), new Linear(8, 1));
    const inputs = f32([16, 8], new Array(128).fill(1));
    const targets = f32([16, 1], new Array(16).fill(0));
    const lrs: number[] = [];
    const { history } = await train(
      model,
      { inputs, targets },
      {
        epochs: 3,
        batchSize: 16,
        loss: 'mse',
        optimizer: { type: 'sgd', lr: 0 },
        schedule: { type: 'step', stepSize: 2, gamma: 0.5 },
        validation: { inputs, targets },
        onEpoch: (r) => lrs.push(r.lr),
      },
    );
    expect(lrs).toEqual([0, 0, 0]);
    // lr 0: weights fixed, so eval loss is identical each epoch; training loss differs (random masks, scaled by 2).
    expect(new Set(history.map((h) => h.valLoss)).size).toBe(1);
    expect(history[0]!.loss).not.toBeCloseTo(history[0]!.valLoss!, 3);
    expect(lrFactor({ type: 'step', stepSize: 2, gamma: 0.5 }, 3, 10, 1)).toBe(0.5);
    expect(lrFactor({ type: 'cosine' }, 5, 10, 0.1)).toBeCloseTo(0.5, 10);
    expect(lrFactor({ type: 'cosine', etaMin: 0.01 }, 10, 10, 0.1)).toBeCloseTo(0.1, 10);
  });

  it('stops on a NaN/inf loss naming the step, leaving the module as it was; frees every tensor', async () => {
    const start = tf.memory().numTensors;
    const { model, data } = linearSetup();
    const before = snapshot(model);
    const big = { inputs: f32([4, 2], [1e30, 1e30, 1e30, 1e30, 1, 1, 1, 1]), targets: data.targets };
    await expect(
      train(model, big, { epochs: 3, batchSize: 2, loss: 'mse', optimizer: { type: 'sgd', lr: 1 } }),
    ).rejects.toThrow(TrainingDivergedError);
    await expect(
      train(model, big, { epochs: 3, batchSize: 2, loss: 'mse', optimizer: { type: 'sgd', lr: 1 } }),
    ).rejects.toThrow(/epoch 1, batch \d of 2 \(step \d\)/);
    expect(snapshot(model)).toEqual(before);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects bad data and options with typed errors', async () => {
    const { model, data } = linearSetup();
    const opts = { epochs: 1, batchSize: 2, loss: 'mse' as const, optimizer: { type: 'sgd' as const, lr: 0.1 } };
    await expect(train(model, { inputs: f32([0, 2], []), targets: f32([0, 1], []) }, opts)).rejects.toThrow(DataError);
    await expect(
      train(model, { inputs: f32([4, 3], new Array(12).fill(0)), targets: data.targets }, opts),
    ).rejects.toThrow(ShapeError);
    await expect(train(model, { inputs: data.inputs, targets: f32([3, 1], [1, 2, 3]) }, opts)).rejects.toThrow(
      /expected 4 targets/,
    );
    await expect(
      train(model, { inputs: data.inputs, targets: f32([4, 2], new Array(8).fill(0)) }, opts),
    ).rejects.toThrow(ShapeError);
    const labels = new Tensor('int64', [4], BigInt64Array.from([0n, 1n, 0n, 0n]));
    await expect(
      train(model, { inputs: data.inputs, targets: labels }, { ...opts, loss: 'cross-entropy' }),
    ).rejects.toThrow(/label 1 is outside \[0, 1\)/);
    await expect(train(model, data, { ...opts, epochs: 0 })).rejects.toThrow(RangeError);
    await expect(train(model, data, { ...opts, loss: 'hinge' as never })).rejects.toThrow(/options.loss/);
    await expect(train(model, data, { ...opts, optimizer: { type: 'rmsprop', lr: 0.1 } as never })).rejects.toThrow(
      /'sgd' or 'adam'/,
    );
    await expect(train(model, data, { ...opts, device: 'tpu' as never })).rejects.toThrow(/options.device/);
    await expect(train({} as never, data, opts)).rejects.toThrow(TypeError);
  });
});
