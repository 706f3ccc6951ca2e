import { type CompiledModel, referenceBackend, type Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { findModel, makeFeeds } from '../matrix/models.js';
import { compileRawOrt } from '../matrix/raw-ort.js';
import { measureCase } from './measure.js';

const timing = { warmupIterations: 1, iterations: 3, timeMs: 20 };

describe('measureCase', () => {
  const lenet = findModel('lenet5');
  const { graph, onnx } = lenet.load();

  it('measures LeNet-5 on the reference backend and disposes what it compiled', async () => {
    let disposed = 0;
    const feeds = makeFeeds(lenet, 2);
    const m = await measureCase(
      {
        name: 'lenet5 reference',
        batch: 2,
        feeds,
        async compile(): Promise<CompiledModel> {
          const model = await referenceBackend.compile(graph);
          const dispose = model.dispose.bind(model);
          return Object.assign(model, {
            dispose: () => {
              disposed++;
              dispose();
            },
          });
        },
      },
      timing,
    );
    expect(disposed).toBe(1);
    expect(m.latency.samples).toBeGreaterThanOrEqual(3);
    expect(m.latency.p50Ms).toBeGreaterThan(0);
    expect(m.latency.p95Ms).toBeGreaterThanOrEqual(m.latency.p50Ms);
    expect(m.imagesPerSecond).toBeCloseTo(2000 / m.latency.p50Ms, 9);
    expect(m.coldStartMs).toBeGreaterThanOrEqual(0);
    expect(m.providers).toEqual(['reference']);
    expect(Number.isFinite(m.sink)).toBe(true);
  });

  it('disposes the model when a run fails', async () => {
    let disposed = 0;
    const bad: CompiledModel = {
      inputNames: ['x'],
      outputNames: ['y'],
      providers: ['cpu'],
      run: () => Promise.reject(new Error('boom')),
      dispose: () => void disposed++,
      [Symbol.dispose]: () => void disposed++,
    };
    await expect(measureCase({ name: 'bad', batch: 1, feeds: {}, compile: async () => bad }, timing)).rejects.toThrow(
      'boom',
    );
    expect(disposed).toBe(1);
    await expect(measureCase({ name: 'bad', batch: 0, feeds: {}, compile: async () => bad }, timing)).rejects.toThrow(
      'spec.batch: expected a positive integer, got 0',
    );
  });

  it('times a raw onnxruntime-node session on the same bytes, with the same outputs', async () => {
    const feeds = makeFeeds(lenet, 1);
    const raw = await compileRawOrt(onnx);
    const ref = await referenceBackend.compile(graph);
    try {
      const a = Object.values(await raw.run(feeds))[0] as Tensor;
      const b = Object.values(await ref.run(feeds))[0] as Tensor;
      expect(a.shape).toEqual(b.shape);
      for (let i = 0; i < a.size; i++)
        expect(Math.abs((a.data[i]! as number) - (b.data[i]! as number))).toBeLessThan(1e-4);
    } finally {
      await raw.dispose();
      ref.dispose();
    }
  });
});
