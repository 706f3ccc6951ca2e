import { DTypeError, type Graph, GraphBuilder, ShapeError, Tensor } from '@striate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ortNode } from '../index.js';

function reluGraph(batch: number | string = 'N'): Graph {
  const b = new GraphBuilder('relu');
  const x = b.input('x', 'float32', [batch, 4]);
  const [y] = b.op('Relu', [x], {}, { name: 'relu' });
  b.output(y!, 'y');
  return b.build();
}

const devices = await ortNode.devices();
const webgpu = devices.find((d) => d.device === 'webgpu')!;

afterAll(() => {
  expect(ortNode.openSessions()).toBe(0);
});

describe('ortNode.devices', () => {
  it('lists cpu, webgpu and cuda; cpu works; an unavailable device carries the runtime error', async () => {
    expect(devices.map((d) => d.device)).toEqual(['cpu', 'webgpu', 'cuda']);
    expect(devices[0]).toEqual({ device: 'cpu', available: true });
    for (const d of devices) if (!d.available) expect(d.reason, d.device).toMatch(/\S{10}/);
    const cuda = devices[2]!;
    // Where ORT's CUDA provider libraries are missing (the install script that fetches them is skipped here), the
    // reason is the runtime's own load error.
    if (!cuda.available) expect(cuda.reason).toMatch(/Failed to load shared library|CUDA/);
    expect(await ortNode.devices()).toEqual(devices); // cached probe, same answer
    console.log(
      `[ortNode devices] ${devices.map((d) => `${d.device}: ${d.available ? 'yes' : `no (${d.reason})`}`).join('; ')}`,
    );
  });
});

describe('ortNode.compile', () => {
  it('runs a graph on cpu, with the symbolic batch bound per run, and reports what ran', async () => {
    const model = await ortNode.compile(reluGraph(), { device: 'cpu' });
    expect(model.providers).toEqual(['cpu']);
    expect(model.inputNames).toEqual(['x']);
    expect(model.outputNames).toEqual(['y']);
    const x = new Tensor('float32', [2, 4], Float32Array.of(-1, 2, -3, 4, 5, -6, 7, -8));
    const { y } = await model.run({ x });
    expect(y!.shape).toEqual([2, 4]);
    expect(y!.toArray()).toEqual([0, 2, 0, 4, 5, 0, 7, 0]);
    const { y: y3 } = await model.run({ x: new Tensor('float32', [3, 4], new Float32Array(12).fill(-1)) });
    expect(y3!.shape).toEqual([3, 4]);
    expect(x.toArray()).toEqual([-1, 2, -3, 4, 5, -6, 7, -8]); // the input is not written to
    await model.dispose();
  });

  it('shares one session per graph and device, released when the last model is disposed', async () => {
    const graph = reluGraph(2);
    const before = ortNode.openSessions();
    const [a, b] = await Promise.all([ortNode.compile(graph), ortNode.compile(graph, { device: 'cpu' })]);
    expect(ortNode.openSessions()).toBe(before + 1);
    const other = await ortNode.compile(reluGraph(2));
    expect(ortNode.openSessions()).toBe(before + 2);
    await a.dispose();
    expect(ortNode.openSessions()).toBe(before + 2);
    await expect(a.run({ x: new Tensor('float32', [2, 4], new Float32Array(8)) })).rejects.toThrow(/after dispose/);
    const { y } = await b.run({ x: new Tensor('float32', [2, 4], new Float32Array(8).fill(3)) });
    expect(y!.toArray()).toEqual(new Array(8).fill(3));
    {
      using scoped = other;
      expect(scoped.providers).toEqual(['cpu']);
    }
    await b.dispose();
    await b.dispose(); // idempotent
    await new Promise((r) => setTimeout(r, 10));
    expect(ortNode.openSessions()).toBe(before);
  });

  it('validates feeds with typed errors naming the input', async () => {
    const model = await ortNode.compile(reluGraph(2));
    const ok = new Tensor('float32', [2, 4], new Float32Array(8));
    await expect(model.run({})).rejects.toThrow(/missing input "x"/);
    await expect(model.run({ x: ok, z: ok })).rejects.toThrow(/unexpected input "z"/);
    await expect(model.run({ x: ok.cast('int32') })).rejects.toThrow(DTypeError);
    await expect(model.run({ x: new Tensor('float32', [3, 4], new Float32Array(12)) })).rejects.toThrow(ShapeError);
    await expect(model.run({ x: new Tensor('float32', [8], new Float32Array(8)) })).rejects.toThrow(/rank 2/);
    await expect(model.run({ x: [1, 2] as never })).rejects.toThrow(TypeError);
    await expect(model.run(null as never)).rejects.toThrow(TypeError);
    await model.dispose();
  });

  it('rejects bad arguments', async () => {
    await expect(ortNode.compile(reluGraph(), { device: 'tpu' as never })).rejects.toThrow(RangeError);
    await expect(ortNode.compile(reluGraph(), { device: 'tpu' as never })).rejects.toThrow(/"cpu", "webgpu", "cuda"/);
    await expect(ortNode.compile(null as never)).rejects.toThrow(TypeError);
    await expect(ortNode.compile(reluGraph(), null as never)).rejects.toThrow(TypeError);
    await expect(ortNode.compileOnnx([1, 2, 3] as never)).rejects.toThrow(TypeError);
    await expect(ortNode.compileOnnx(new Uint8Array([8, 1, 0xff, 0xff]))).rejects.toThrow(/protobuf|parse|load/i);
    expect(ortNode.openSessions()).toBe(0);
  });

  it('passes int64 and int32 tensors through', async () => {
    const b = new GraphBuilder('ints');
    const x = b.input('x', 'int64', [3]);
    const [y] = b.op(
      'Add',
      [x, b.initializer('one', new Tensor('int64', [1], BigInt64Array.of(1n)))],
      {},
      { name: 'add' },
    );
    b.output(y!, 'y');
    const model = await ortNode.compile(b.build());
    const { y: out } = await model.run({ x: new Tensor('int64', [3], BigInt64Array.of(-5n, 0n, 2n ** 40n)) });
    expect(out!.dtype).toBe('int64');
    expect([...(out!.data as BigInt64Array)]).toEqual([-4n, 1n, 2n ** 40n + 1n]);
    await model.dispose();
  });
});

describe.runIf(webgpu.available)('ortNode on webgpu (reported available here)', () => {
  it('runs on webgpu and says so', async () => {
    const model = await ortNode.compile(reluGraph(), { device: 'webgpu' });
    expect(model.providers).toEqual(['webgpu']);
    const { y } = await model.run({ x: new Tensor('float32', [1, 4], Float32Array.of(-1, 1, -2, 2)) });
    expect(y!.toArray()).toEqual([0, 1, 0, 2]);
    await model.dispose();
  });

  it('reports nodes that fall back to the CPU (int64 Add has no WebGPU kernel), and strict refuses them', async () => {
    const b = new GraphBuilder('mixed');
    const i = b.input('i', 'int64', [2]);
    const [sum] = b.op('Add', [i, i], {}, { name: 'int_add' });
    const [r] = b.op('Relu', [b.input('x', 'float32', [2])], {}, { name: 'relu' });
    b.output(sum!, 's');
    b.output(r!, 'r');
    const graph = b.build();
    const model = await ortNode.compile(graph, { device: 'webgpu' });
    expect(model.providers).toEqual(['webgpu', 'cpu (fallback: 1 node: Add)']);
    await model.dispose();
    await expect(ortNode.compile(graph, { device: 'webgpu', strict: true })).rejects.toThrow(
      /asked for webgpu, but onnxruntime ran webgpu; cpu \(fallback: 1 node: Add\)/,
    );
  });
});

if (!webgpu.available) {
  console.warn(`\n!!! [backend-ort] webgpu NOT available, its tests did not run: ${webgpu.reason}\n`);
}
