import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, Tensor } from '@striate/core';
import { describeConformance } from '@striate/core/testing';
import { describe, expect, it } from 'vitest';
import { ortWeb, WEB_PLACEMENT_NOTE } from '../web.js';

const devices = await ortWeb.devices();
for (const d of devices) {
  if (!d.available)
    console.warn(`\n!!! [backend-ort] ortWeb ${d.device} NOT available here (its tests did not run): ${d.reason}\n`);
}

describe('ortWeb (onnxruntime-web, run in Node)', () => {
  it('lists wasm and webgpu; wasm works; webgpu without navigator.gpu says why', () => {
    expect(devices.map((d) => d.device)).toEqual(['wasm', 'webgpu']);
    expect(devices[0]).toEqual({ device: 'wasm', available: true });
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (nav?.gpu === undefined) {
      expect(devices[1]!.available).toBe(false);
      expect(devices[1]!.reason).toMatch(/WebGPU is not supported/);
    }
  });

  it('runs a graph on wasm and says what it can and cannot verify', async () => {
    const b = new GraphBuilder('sig');
    const [y] = b.op('Sigmoid', [b.input('x', 'float32', ['N', 3])], {}, { name: 'sigmoid' });
    b.output(y!, 'y');
    const model = await ortWeb.compile(b.build());
    expect(model.providers).toEqual([`wasm (${WEB_PLACEMENT_NOTE})`]);
    const { y: out } = await model.run({ x: new Tensor('float32', [2, 3], Float32Array.of(0, 1, -1, 20, -20, 2)) });
    expect(out!.shape).toEqual([2, 3]);
    const expected = [0, 1, -1, 20, -20, 2].map((v) => 1 / (1 + Math.exp(-v)));
    for (const [i, v] of out!.toArray().entries()) expect(v).toBeCloseTo(expected[i]!, 6);
    await expect(ortWeb.compile(b.build(), { strict: true })).rejects.toThrow(/options\.strict/);
    await model.dispose();
    expect(ortWeb.openSessions()).toBe(0);
  });

  it('refuses the Node-only devices', async () => {
    const b = new GraphBuilder('id');
    b.output(b.op('Relu', [b.input('x', 'float32', [1])], {}, { name: 'r' })[0]!);
    await expect(ortWeb.compile(b.build(), { device: 'cpu' as never })).rejects.toThrow(/"wasm", "webgpu"/);
  });

  it('does not offer outputs kept on the device (gpu-buffer is ortNode webgpu only)', async () => {
    const b = new GraphBuilder('id');
    b.output(b.op('Relu', [b.input('x', 'float32', [1])], {}, { name: 'r' })[0]!);
    await expect(ortWeb.compile(b.build(), { device: 'webgpu', outputLocation: 'gpu-buffer' })).rejects.toThrow(
      /options\.outputLocation: "gpu-buffer" .* which ort-web supports on no device; got device "webgpu"/,
    );
    expect(ortWeb.liveDeviceTensors()).toBe(0);
  });
});

/** A small slice of the suite on wasm (one case per op family that a browser page most needs). */
describeConformance({ describe, it, expect }, ortWeb, 'wasm', {
  filter:
    /^(Conv\/(3x3 pad 1|depthwise 3x3)|MaxPool\/ceil mode 3x3|Resize\/linear to 5x7|Gemm\/A B C|Softmax\/last axis)/,
});

describe('the ./web entry point', () => {
  it('never imports onnxruntime-node (built dist/web.js and its chunks)', () => {
    const dist = join(import.meta.dirname, '../../dist');
    const web = readFileSync(join(dist, 'web.js'), 'utf8');
    expect(web).toContain('onnxruntime-web');
    const chunks = [...web.matchAll(/from\s*["']\.\/([^"']+)["']/g)].map((m) => m[1]!);
    for (const file of ['web.js', ...chunks]) {
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain('onnxruntime-node');
    }
  });
});
