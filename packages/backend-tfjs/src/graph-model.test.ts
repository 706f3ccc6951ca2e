import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DataError, DTypeError, Rng, ShapeError, Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../../test-utils/fixtures.js';
import { tfjsBackend } from './backend.js';
import { loadTfjsGraphModel } from './graph-model.js';

const blazefaceJson = path.join(modelsDir(), 'blazeface', 'blazeface-back.json');
const blazefaceOnnx = path.join(modelsDir(), 'blazeface', 'face_detection_back_256x256_barracuda.onnx');
const selfieJson = path.join(modelsDir(), 'selfie-seg', 'selfie.json');

/** onnxruntime-node is a devDependency of @striate/backend-ort, not of this package: resolved from there. */
interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(path: string): Promise<{
      inputNames: string[];
      run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
      release(): Promise<void>;
    }>;
  };
}

function loadOrt(): Ort {
  const ortPkg = path.resolve(import.meta.dirname, '../../backend-ort/package.json');
  if (!existsSync(ortPkg)) throw new Error(`onnxruntime-node: ${ortPkg} not found (the BlazeFace check needs it)`);
  return createRequire(ortPkg)('onnxruntime-node');
}

function image(seed: number, low: number, high: number): Tensor<'float32'> {
  // A smooth pattern plus noise, NHWC [1, 256, 256, 3], in [low, high].
  const rng = new Rng(seed);
  const data = new Float32Array(256 * 256 * 3);
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + 0.3 * Math.sin((x + 40 * c) / 23) * Math.cos(y / 31) + 0.2 * (rng.uniform() - 0.5);
        data[(y * 256 + x) * 3 + c] = low + (high - low) * Math.min(1, Math.max(0, v));
      }
    }
  }
  return new Tensor('float32', [1, 256, 256, 3], data);
}

const devices = (await tfjsBackend.devices()).filter((d) => d.available).map((d) => d.device);

describe('TF.js graph models from the file system', () => {
  const input = image(1, -1, 1);
  const expected = (async () => {
    const ort = loadOrt();
    const session = await ort.InferenceSession.create(blazefaceOnnx);
    const out = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('float32', input.data, [1, 256, 256, 3]),
    });
    await session.release();
    return out;
  })();
  it.each(devices)(
    'BlazeFace (TF.js on %s) matches the same weights as ONNX on onnxruntime-node within 8e-3',
    async (device) => {
      const model = await loadTfjsGraphModel(blazefaceJson, { device });
      try {
        expect(model.inputNames).toEqual(['input']);
        const got = await model.run({ input });
        expect(model.providers).toEqual([device]);
        expect(Object.keys(got).sort()).toEqual(['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0']);
        let worst = 0;
        for (const name of model.outputNames) {
          const e = (await expected)[name]!;
          const a = got[name]!;
          expect(a.shape).toEqual(e.dims);
          const ed = e.data as Float32Array;
          const ad = a.data as Float32Array;
          for (let i = 0; i < ed.length; i++) worst = Math.max(worst, Math.abs(ad[i]! - ed[i]!));
        }
        console.log(`blazeface tfjs-${device} vs onnxruntime-node: max abs diff ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(8e-3);
      } finally {
        model.dispose();
      }
    },
    30_000,
  );

  it('selfie segmentation runs on wasm: one probability map per pixel, weights freed on dispose', async () => {
    const before = tf.memory().numTensors;
    const model = await loadTfjsGraphModel(selfieJson, { device: 'wasm' });
    try {
      const { [model.outputNames[0]!]: mask } = await model.run({ [model.inputNames[0]!]: image(2, 0, 1) });
      expect(mask!.shape).toEqual([1, 256, 256, 1]);
      const values = mask!.data as Float32Array;
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.01);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);

  it('rejects bad feeds and bad files with typed errors', async () => {
    const model = await loadTfjsGraphModel(blazefaceJson, { device: 'wasm' });
    try {
      await expect(
        model.run({ input: new Tensor('float32', [1, 3, 256, 256], new Float32Array(196608)) }),
      ).rejects.toThrow(ShapeError);
      await expect(model.run({ input: new Tensor('int32', [1, 256, 256, 3], new Int32Array(196608)) })).rejects.toThrow(
        DTypeError,
      );
      await expect(model.run({})).rejects.toThrow(/missing input "input"/);
    } finally {
      model.dispose();
    }
    await expect(model.run({ input: image(1, -1, 1) })).rejects.toThrow(/after dispose/);
    await expect(loadTfjsGraphModel('/nonexistent/model.json')).rejects.toThrow(DataError);
    await expect(loadTfjsGraphModel(blazefaceOnnx)).rejects.toThrow(/not valid JSON/);
    await expect(loadTfjsGraphModel(blazefaceJson, { device: 'tpu' })).rejects.toThrow(RangeError);
    await expect(loadTfjsGraphModel('')).rejects.toThrow(TypeError);
  });
});
