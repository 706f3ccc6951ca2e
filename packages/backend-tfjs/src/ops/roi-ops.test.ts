import { CONFORMANCE_CASES } from '@striate/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from '../backend.js';

/**
 * RoiAlign and MaxRoiPool on tfjs: 20 runs of each conformance case leave tf.memory() where it was, on cpu and wasm
 * (their values are checked by the conformance suite); RoiAlign's 'max' mode is refused at compile time.
 */
const cases = CONFORMANCE_CASES.filter((c) => (c.op === 'RoiAlign' || c.op === 'MaxRoiPool') && !/max mode/.test(c.id));

describe('RoI ops on tfjs', () => {
  it('has cases to run', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const device of ['cpu', 'wasm'] as const) {
    it(`free every intermediate tensor on ${device}`, async () => {
      for (const c of cases) {
        const { graph, feeds } = c.build();
        const warm = await tfjsBackend.compile(graph, { device });
        await warm.run(feeds);
        warm.dispose();
        const start = tf.memory().numTensors;
        const model = await tfjsBackend.compile(graph, { device });
        for (let i = 0; i < 20; i++) await model.run(feeds);
        model.dispose();
        expect(tf.memory().numTensors, c.id).toBe(start);
      }
    }, 60_000);
  }

  it("refuses RoiAlign mode 'max' with UnsupportedOpError naming the node", async () => {
    const c = CONFORMANCE_CASES.find((k) => k.op === 'RoiAlign' && /max mode/.test(k.id))!;
    await expect(tfjsBackend.compile(c.build().graph, { device: 'cpu' })).rejects.toThrow(
      /RoiAlign\): mode 'max' .* is not implemented on tfjs/,
    );
  });
});
