import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, referenceBackend, Tensor } from '@striate/core';
import { compareTensors } from '@striate/core/testing';
import { importOnnx } from '@striate/onnx';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../../../test-utils/fixtures.js';
import { ortNode } from '../index.js';

/** Every shared .onnx model (`../shared/models/<name>/<file>.onnx`). */
const MODELS = readdirSync(modelsDir(), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(modelsDir(), d.name))
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => join(d.name, f)),
  );

describe('shared ONNX models: ortNode.compileOnnx on cpu, and importOnnx -> referenceBackend', () => {
  it('finds the shared models', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of MODELS) {
    it(`${file}: same outputs as onnxruntime-node called directly; importOnnx on the reference within 1e-4 and back on ORT within 1e-5`, async () => {
      const bytes = new Uint8Array(readFileSync(join(modelsDir(), file)));
      const model = await ortNode.compileOnnx(bytes, { device: 'cpu' });
      expect(model.providers).toEqual(['cpu']);
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
      try {
        const rng = new Rng(7);
        const feeds: Record<string, Tensor> = {};
        const direct: Record<string, ort.Tensor> = {};
        for (const meta of session.inputMetadata) {
          if (!meta.isTensor) throw new Error(`${file}: input ${meta.name} is not a tensor`);
          const shape = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
          const data = rng.uniformArray(shape.reduce((a, b) => a * b, 1));
          feeds[meta.name] = new Tensor('float32', shape, data);
          direct[meta.name] = new ort.Tensor('float32', data.slice(), shape);
        }
        const ours = await model.run(feeds);
        const theirs = await session.run(direct);
        // The same file imported into striate's IR and run on the reference backend: within 1e-4 of ORT.
        const imported = importOnnx(bytes);
        const reference = await referenceBackend.compile(imported);
        const refOut = await reference.run(feeds).finally(() => reference.dispose());
        // ...and that graph compiled back onto ORT through exportOnnx (striate's own path).
        const viaGraph = await ortNode.compile(imported, { device: 'cpu' });
        const graphOut = await viaGraph.run(feeds).finally(() => viaGraph.dispose());
        expect(imported.outputs.map((v) => v.name)).toEqual(session.outputNames);
        expect(Object.keys(ours)).toEqual(session.outputNames);
        for (const name of session.outputNames) {
          const t = theirs[name]!;
          const expected = new Tensor('float32', [...t.dims], t.data as Float32Array);
          const scale = Math.max(1e-6, ...(expected.data as Float32Array).map(Math.abs));
          const r = compareTensors(ours[name]!, expected, { atol: 1e-6 * scale, rtol: 0 }, name);
          expect(r.ok, r.message).toBe(true);
          const ref = compareTensors(refOut[name]!, expected, { atol: 1e-4 * scale, rtol: 0 }, `${name} (reference)`);
          expect(ref.ok, ref.message).toBe(true);
          const g = compareTensors(graphOut[name]!, expected, { atol: 1e-5 * scale, rtol: 0 }, `${name} (graph)`);
          expect(g.ok, g.message).toBe(true);
        }
      } finally {
        await session.release();
        await model.dispose();
      }
    });
  }
});
