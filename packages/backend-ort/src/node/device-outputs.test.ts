import { Conv2d, type Graph, GraphBuilder, Rng, Tensor } from '@striate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ortNode } from '../index.js';

// Tiny shapes: WebGPU here is SwiftShader (a CPU Vulkan driver), slow.
function convGraph(): Graph {
  return new Conv2d(2, 3, 3).toGraph({ inputs: { input: [1, 2, 5, 5] } });
}

function reluGraph(): Graph {
  const b = new GraphBuilder('relu');
  const x = b.input('x', 'float32', [1, 3, 3, 3]);
  const [y] = b.op('Relu', [x], {}, { name: 'relu' });
  b.output(y!, 'y');
  return b.build();
}

const input = new Tensor('float32', [1, 2, 5, 5], new Rng(7).uniformArray(50, -1, 1));
const webgpu = (await ortNode.devices()).find((d) => d.device === 'webgpu')!;

afterAll(() => {
  expect(ortNode.liveDeviceTensors()).toBe(0);
  expect(ortNode.openSessions()).toBe(0);
});

describe('outputLocation: argument checks', () => {
  it('refuses gpu-buffer on cpu and cuda, and unknown locations, before creating a session', async () => {
    const graph = reluGraph();
    await expect(ortNode.compile(graph, { device: 'cpu', outputLocation: 'gpu-buffer' })).rejects.toThrow(RangeError);
    await expect(ortNode.compile(graph, { outputLocation: 'gpu-buffer' })).rejects.toThrow(
      /options\.outputLocation: "gpu-buffer" .* supports on "webgpu"; got device "cpu"/,
    );
    await expect(ortNode.compile(graph, { device: 'cuda', outputLocation: 'gpu-buffer' })).rejects.toThrow(
      /got device "cuda"/,
    );
    await expect(ortNode.compile(graph, { outputLocation: 'vram' as never })).rejects.toThrow(
      /options\.outputLocation: expected "cpu" or "gpu-buffer", got "vram"/,
    );
    await expect(ortNode.compileOnnx(new Uint8Array(4), { outputLocation: 'gpu-buffer' })).rejects.toThrow(RangeError);
    expect(ortNode.openSessions()).toBe(0);
  });

  it('runOnDevice on a model whose outputs go to the CPU is an error', async () => {
    const model = await ortNode.compile(reluGraph(), { device: 'cpu', outputLocation: 'cpu' });
    expect(model.outputLocation).toBe('cpu');
    await expect(model.runOnDevice({ x: new Tensor('float32', [1, 3, 3, 3], new Float32Array(27)) })).rejects.toThrow(
      /runOnDevice\(\) needs a model compiled with \{ outputLocation: 'gpu-buffer' \}/,
    );
    await model.dispose();
  });
});

describe.runIf(webgpu.available)('outputLocation gpu-buffer on webgpu (reported available here)', () => {
  it('chains conv -> relu with the intermediate on the device, equal to the plain path', async () => {
    const conv = convGraph();
    const relu = reluGraph();
    // Plain path: on the CPU, and on webgpu with CPU outputs in between.
    const cpuConv = await ortNode.compile(conv);
    const cpuRelu = await ortNode.compile(relu);
    const cpuMid = (await cpuConv.run({ input })).output!;
    const cpuOut = (await cpuRelu.run({ x: cpuMid })).y!;
    await Promise.all([cpuConv.dispose(), cpuRelu.dispose()]);
    const sessionsBefore = ortNode.openSessions();

    const gConv = await ortNode.compile(conv, { device: 'webgpu', outputLocation: 'gpu-buffer', strict: true });
    const gRelu = await ortNode.compile(relu, { device: 'webgpu', outputLocation: 'gpu-buffer', strict: true });
    expect(gConv.providers).toEqual(['webgpu']);
    expect(gConv.outputLocation).toBe('gpu-buffer');

    const { output: mid } = await gConv.runOnDevice({ input });
    expect(mid!.shape).toEqual([1, 3, 3, 3]);
    expect(mid!.dtype).toBe('float32');
    const { y } = await gRelu.runOnDevice({ x: mid! });
    expect(ortNode.liveDeviceTensors()).toBe(2);

    const out = await y!.download();
    const midCpu = await mid!.download();
    expect(out.shape).toEqual([1, 3, 3, 3]);
    const got = out.toArray() as number[];
    const want = cpuOut.toArray() as number[];
    const scale = Math.max(...want.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (const [i, v] of got.entries())
      expect(Math.abs(v - want[i]!), `element ${i}`).toBeLessThanOrEqual(1e-5 * scale);
    expect(got.some((v) => v > 0) && got.some((v, i) => v === 0 && (cpuMid.toArray() as number[])[i]! < 0)).toBe(true);
    for (const [i, v] of (midCpu.toArray() as number[]).entries()) {
      expect(Math.abs(v - (cpuMid.toArray() as number[])[i]!)).toBeLessThanOrEqual(1e-5 * scale);
    }

    // run() on a gpu-buffer model still returns CPU tensors (and leaves no device tensor behind).
    const viaRun = (await gRelu.run({ x: mid! })).y!;
    expect(viaRun.toArray()).toEqual(got);
    expect(ortNode.liveDeviceTensors()).toBe(2);

    // The device tensors hold their session: disposing the models first keeps the sessions until the tensors go.
    await Promise.all([gConv.dispose(), gRelu.dispose()]);
    expect((await mid!.download()).toArray()).toEqual(midCpu.toArray());
    await mid!.dispose();
    await mid!.dispose(); // idempotent
    expect(mid!.isDisposed).toBe(true);
    await expect(mid!.download()).rejects.toThrow(/was disposed/);
    await y!.dispose();
    expect(ortNode.liveDeviceTensors()).toBe(0);
    expect(ortNode.openSessions()).toBe(sessionsBefore);
  });

  it('feeds a device tensor to a plain webgpu model, refuses it on cpu, and refuses disposed ones', async () => {
    const relu = reluGraph();
    const gRelu = await ortNode.compile(relu, { device: 'webgpu', outputLocation: 'gpu-buffer' });
    const plain = await ortNode.compile(relu, { device: 'webgpu' });
    const cpu = await ortNode.compile(relu, { device: 'cpu' });
    const x = new Tensor(
      'float32',
      [1, 3, 3, 3],
      Float32Array.from({ length: 27 }, (_, i) => i - 13),
    );
    const { y } = await gRelu.runOnDevice({ x });
    const { y: y2 } = await plain.run({ x: y! });
    expect(y2!.toArray()).toEqual(x.toArray().map((v) => Math.max(0, v as number)));
    await expect(cpu.run({ x: y! })).rejects.toThrow(/ort-node on webgpu cannot feed a model of ort-node on cpu/);
    await expect(gRelu.runOnDevice({ x: y!, z: y! } as never)).rejects.toThrow(/unexpected input "z"/);
    await y!.dispose();
    await expect(plain.run({ x: y! })).rejects.toThrow(/feeds\.x: the device tensor "y" was disposed/);
    await Promise.all([gRelu.dispose(), plain.dispose(), cpu.dispose()]);
    expect(ortNode.liveDeviceTensors()).toBe(0);
    expect(ortNode.openSessions()).toBe(0);
  });
});

if (!webgpu.available) {
  console.warn(`\n!!! [backend-ort] webgpu NOT available, the gpu-buffer tests did not run: ${webgpu.reason}\n`);
}
