import { train } from '@striate/backend-tfjs';
import { Rng, Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu'; // a registered backend, so tf.memory() can be read before training
import { describe, expect, it } from 'vitest';
import { UNet } from './unet.js';

/** Noisy 16x16 RGB images, each with a brighter axis-aligned rectangle; the target is the rectangle (class 1). */
function rectangles(n: number, seed: number): { inputs: Tensor; targets: Tensor; foreground: number } {
  const rng = new Rng(seed);
  const s = 16;
  const x = new Float32Array(n * 3 * s * s);
  const y = new Int32Array(n * s * s);
  const noise = rng.normalArray(x.length);
  for (let i = 0; i < n; i++) {
    const u = rng.uniformArray(4);
    const top = Math.floor(u[0]! * 10);
    const left = Math.floor(u[1]! * 10);
    const h = 3 + Math.floor(u[2]! * 5);
    const w = 3 + Math.floor(u[3]! * 5);
    for (let r = 0; r < s; r++) {
      for (let c = 0; c < s; c++) {
        const inside = r >= top && r < top + h && c >= left && c < left + w;
        y[i * s * s + r * s + c] = inside ? 1 : 0;
        for (let ch = 0; ch < 3; ch++) {
          const k = (i * 3 + ch) * s * s + r * s + c;
          x[k] = (inside ? 1 : 0) + 0.5 * noise[k]!;
        }
      }
    }
  }
  const foreground = y.reduce((a, v) => a + v, 0) / y.length;
  return {
    inputs: new Tensor('float32', [n, 3, s, s], x),
    targets: new Tensor('int32', [n, s, s], y),
    foreground,
  };
}

describe('UNet trains with @striate/backend-tfjs (ConvTranspose, Concat, per-pixel cross-entropy)', () => {
  it('a tiny UNet learns to segment rectangles: loss falls, held-out pixel accuracy beats all-background', async () => {
    const data = rectangles(24, 1);
    const held = rectangles(8, 2);
    const model = new UNet({ inChannels: 3, numClasses: 2, depth: 3, width: 4, batchNorm: true, seed: 0 });
    const start = tf.memory().numTensors;
    const { history } = await train(
      model,
      { inputs: data.inputs, targets: data.targets },
      {
        epochs: 8,
        batchSize: 8,
        loss: 'cross-entropy',
        optimizer: { type: 'adam', lr: 1e-2 },
        device: 'wasm',
        seed: 0,
        validation: { inputs: held.inputs, targets: held.targets },
      },
    );
    // The same tfjs engine as the backend's (so the tensor count below is the one training used).
    expect(tf.findBackend('wasm')).not.toBeNull();
    expect(tf.memory().numTensors).toBe(start);
    const first = history[0]!;
    const last = history.at(-1)!;
    console.log(
      `loss ${first.loss.toFixed(4)} -> ${last.loss.toFixed(4)}; held-out pixel accuracy ${last.valAccuracy!.toFixed(4)} ` +
        `(all background ${(1 - held.foreground).toFixed(4)})`,
    );
    expect(last.loss).toBeLessThan(0.5 * first.loss);
    expect(last.valAccuracy!).toBeGreaterThan(1 - held.foreground + 0.05);
  }, 20_000);
});
