import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelsDir } from '../../../../test-utils/fixtures.js';
import { loadTfjsGraphModel, setTfjsWasmPaths, tfjsBackend } from '../web.js';

// The browser side of the runtime, run in Node: `#runtime-platform` resolves to `runtime-web.ts` here, as it does
// under a bundler's `browser` condition, so what a page sees is checked without a browser (examples/web's Chromium
// test covers the page itself).
vi.mock('#runtime-platform', () => import('./runtime-web.js'));

const selfieDir = path.join(modelsDir(), 'selfie-seg');
const wasmDir = `${path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
let server: Server;
let base: string;

beforeAll(async () => {
  // The selfie model over HTTP, as a page's server would give it.
  server = createServer((req, res) => {
    const name = path.basename(decodeURIComponent(req.url ?? ''));
    readFile(path.join(selfieDir, name)).then(
      (bytes) => res.end(bytes),
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the browser runtime (runtime-web.ts)', () => {
  it("'wasm' says where its files must come from until setTfjsWasmPaths is called, then works", async () => {
    const before = await tfjsBackend.devices();
    const wasm = before.find((d) => d.device === 'wasm');
    expect(wasm?.available).toBe(false);
    expect(wasm?.reason).toMatch(/no location for tfjs-backend-wasm's \.wasm files in the browser.*setTfjsWasmPaths/);
    const hadGpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
    if (!hadGpu) expect(before.find((d) => d.device === 'webgpu')?.reason).toMatch(/navigator\.gpu is undefined/);

    setTfjsWasmPaths(wasmDir);
    expect((await tfjsBackend.devices()).find((d) => d.device === 'wasm')).toEqual({ device: 'wasm', available: true });
    // A page gets the single-threaded build unless it asks for threads.
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('a model string is a URL: model.json and its weights are fetched', async () => {
    const before = tf.memory().numTensors;
    const model = await loadTfjsGraphModel(`${base}selfie.json`, { device: 'wasm' });
    try {
      const input = new Tensor('float32', [1, 256, 256, 3], new Float32Array(256 * 256 * 3).fill(0.5));
      const out = (await model.run({ [model.inputNames[0]!]: input }))[model.outputNames[0]!]!;
      expect(out.shape).toEqual([1, 256, 256, 1]);
      expect(model.providers).toEqual(['wasm']);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(loadTfjsGraphModel(`${base}missing.json`)).rejects.toThrow(/404/);
  }, 60_000);
});
