import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../../test-utils/fixtures.js';
import { loadTfjsGraphModel, setTfjsWasmPaths, TFJS_WASM_FILES, tfjsBackend } from './web.js';

/**
 * The web entry's API, run in Node (the browser itself is tested by examples/web's Chromium test): the wasm files'
 * location is what `setTfjsWasmPaths` says, and a graph model loads from an IOHandler with no file-system reader.
 */
const selfieDir = path.join(modelsDir(), 'selfie-seg');
const wasmDir = `${path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;

function image(seed: number): Tensor {
  const data = new Float32Array(256 * 256 * 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919 + seed * 104729) % 1000) / 1000;
  return new Tensor('float32', [1, 256, 256, 3], data);
}

/** selfie.json + selfie.bin read here and handed over in memory, as a page holding the bytes would. */
function inMemorySelfie(): tf.io.IOHandler {
  const json = JSON.parse(readFileSync(path.join(selfieDir, 'selfie.json'), 'utf8')) as tf.io.ModelJSON;
  const parts = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(path.join(selfieDir, p))));
  const weightData = tf.io.concatenateArrayBuffers(
    parts.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  return tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData });
}

describe('@striate/backend-tfjs/web', () => {
  it('setTfjsWasmPaths checks its arguments, naming them', () => {
    expect(() => setTfjsWasmPaths('')).toThrow(/paths: expected a URL prefix ending in '\/'/);
    expect(() => setTfjsWasmPaths('https://example.test/tfjs')).toThrow(TypeError);
    expect(() => setTfjsWasmPaths({})).toThrow(/expected at least one of tfjs-backend-wasm\.wasm/);
    expect(() => setTfjsWasmPaths({ 'ort.wasm': 'x' } as never)).toThrow(RangeError);
    expect(() => setTfjsWasmPaths({ 'tfjs-backend-wasm.wasm': 3 } as never)).toThrow(
      /paths\["tfjs-backend-wasm\.wasm"\]: expected a URL string, got 3/,
    );
    expect(() => setTfjsWasmPaths(42 as never)).toThrow(/got 42/);
    expect(() => setTfjsWasmPaths(wasmDir, { multiThread: 'no' as never })).toThrow(/options\.multiThread/);
    expect(TFJS_WASM_FILES).toContain('tfjs-backend-wasm-simd.wasm');
  });

  it('loads the wasm files from where setTfjsWasmPaths says, and refuses a change once they are loaded', async () => {
    setTfjsWasmPaths(wasmDir, { multiThread: false });
    const wasm = (await tfjsBackend.devices()).find((d) => d.device === 'wasm');
    expect(wasm).toEqual({ device: 'wasm', available: true });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(() => setTfjsWasmPaths(wasmDir)).toThrow(/already initialised/);
  });

  it('loads a graph model from an IOHandler (no file-system reader) with the outputs of the path-loaded one', async () => {
    const before = tf.memory().numTensors;
    const fromMemory = await loadTfjsGraphModel(inMemorySelfie(), { device: 'wasm' });
    const fromPath = await loadTfjsGraphModel(path.join(selfieDir, 'selfie.json'), { device: 'wasm' });
    try {
      const feeds = { [fromMemory.inputNames[0]!]: image(3) };
      const a = (await fromMemory.run(feeds))[fromMemory.outputNames[0]!]!;
      const b = (await fromPath.run(feeds))[fromPath.outputNames[0]!]!;
      expect(a.shape).toEqual([1, 256, 256, 1]);
      expect(a.data).toEqual(b.data);
      expect(fromMemory.providers).toEqual(['wasm']);
    } finally {
      fromMemory.dispose();
      fromPath.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(loadTfjsGraphModel({} as never)).rejects.toThrow(
      /source: expected a model\.json path .* or a tfjs IOHandler/,
    );
  }, 60_000);
});
