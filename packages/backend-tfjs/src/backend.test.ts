import {
  BatchNorm2d,
  Conv2d,
  DTypeError,
  functional as F,
  GraphBuilder,
  Linear,
  MaxPool2d,
  Module,
  manualSeed,
  ReLU,
  Rng,
  referenceBackend,
  ShapeError,
  Tensor,
  UnsupportedOpError,
  type Value,
} from '@striate/core';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from './backend.js';

const devices = (await tfjsBackend.devices()).filter((d) => d.available).map((d) => d.device);

function random(shape: number[], seed: number): Tensor<'float32'> {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor('float32', shape, new Rng(seed).uniformArray(n, -1, 1));
}

function maxDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)));
  return m;
}

/** A model that crosses layouts: conv/bn/pool (NHWC inside), a concat and a softmax over channels, a transpose,
 * a flatten (needs NCHW order) and a linear head; the two outputs check both layouts leave the graph right. */
class Mixed extends Module {
  conv1 = new Conv2d(3, 6, 3, { padding: 1 });
  bn = new BatchNorm2d(6);
  conv2 = new Conv2d(6, 4, 3, { stride: 2, padding: 1, groups: 2 });
  pool = new MaxPool2d(2, { stride: 2, ceilMode: true });
  act = new ReLU();
  head = new Linear(10 * 2 * 3 + 3 * 10 * 2, 5);

  override forward(x: Value): Value[] {
    const a = this.act.forward(this.bn.forward(this.conv1.forward(x)));
    const b = this.pool.forward(this.conv2.forward(a));
    const c = F.concat([b, this.pool.forward(this.pool.forward(a))], 1);
    const s = F.softmax(c, 1);
    const t = F.transpose(s, [0, 3, 1, 2]);
    return [this.head.forward(F.concat([F.flatten(s, 1), F.flatten(t, 1)], 1)), s];
  }
}

describe('tfjsBackend', () => {
  it('reports cpu and wasm here; webgpu with its reason when it is missing', async () => {
    const list = await tfjsBackend.devices();
    expect(list.map((d) => d.device)).toEqual(['cpu', 'wasm', 'webgpu']);
    for (const d of list) expect(d.available || (d.reason ?? '').length > 0).toBe(true);
    expect(devices).toContain('cpu');
    expect(devices).toContain('wasm');
  });

  for (const device of devices) {
    it(`runs a mixed-layout model like the reference backend on ${device}`, async () => {
      manualSeed(7);
      const m = new Mixed();
      m.bn.loadStateDict(
        new Map<string, Tensor>([
          ['weight', random([6], 1)],
          ['bias', random([6], 2)],
          ['running_mean', random([6], 3)],
          ['running_var', new Tensor('float32', [6], Float32Array.from([0.5, 1, 1.5, 2, 2.5, 3]))],
          ['num_batches_tracked', new Tensor('int64', [], BigInt64Array.from([0n]))],
        ]),
      );
      const graph = m.eval().toGraph({ inputs: { input: ['N', 3, 8, 12] } });
      const input = random([2, 3, 8, 12], 11);
      const ref = await referenceBackend.compile(graph);
      const model = await tfjsBackend.compile(graph, { device });
      try {
        const want = await ref.run({ input });
        const got = await model.run({ input });
        expect(model.providers).toEqual([device]);
        expect(model.inputNames).toEqual(['input']);
        for (const name of model.outputNames) expect(maxDiff(got[name]!, want[name]!)).toBeLessThan(2e-5);
      } finally {
        model.dispose();
        ref.dispose();
      }
    });
  }

  it('runs models on two devices interleaved (tfjs backend switched per run, runs serialised)', async () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', [1, 2, 4, 4]);
    const w = b.initializer('w', random([3, 2, 3, 3], 5));
    const [y] = b.op('Conv', [x, w], { pads: [1, 1, 1, 1] }, { name: 'conv' });
    b.output(y!, 'y');
    const graph = b.build();
    const [cpu, wasm] = await Promise.all([
      tfjsBackend.compile(graph, { device: 'cpu' }),
      tfjsBackend.compile(graph, { device: 'wasm' }),
    ]);
    try {
      const feeds = { x: random([1, 2, 4, 4], 9) };
      const results = await Promise.all([cpu.run(feeds), wasm.run(feeds), cpu.run(feeds), wasm.run(feeds)]);
      expect(cpu.providers).toEqual(['cpu']);
      expect(wasm.providers).toEqual(['wasm']);
      for (const r of results) expect(maxDiff(r.y!, results[0]!.y!)).toBeLessThan(1e-5);
    } finally {
      cpu.dispose();
      wasm.dispose();
    }
  });

  it('rejects bad arguments with typed errors naming them', async () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', ['N', 2]);
    const [y] = b.op('Relu', [x], {}, { name: 'relu' });
    b.output(y!, 'y');
    const graph = b.build();
    await expect(tfjsBackend.compile(graph, { device: 'gpu' })).rejects.toThrow(RangeError);
    await expect(tfjsBackend.compile(graph, { device: 'gpu' })).rejects.toThrow(
      /options.device.*'cpu', 'wasm', 'webgpu'.*"gpu"/,
    );
    await expect(tfjsBackend.compile(graph, null as never)).rejects.toThrow(TypeError);
    await expect(tfjsBackend.compile({} as never)).rejects.toThrow(/graph.inputs: expected an array/);
    const badOp = { ...graph, nodes: [{ ...graph.nodes[0]!, op: 'Foo' as never }] };
    await expect(tfjsBackend.compile(badOp)).rejects.toThrow(UnsupportedOpError);
    const model = await tfjsBackend.compile(graph);
    await expect(model.run({})).rejects.toThrow(/missing input "x"/);
    await expect(model.run({ x: random([3, 2], 1), z: random([1], 1) })).rejects.toThrow(/unexpected input "z"/);
    await expect(model.run({ x: new Tensor('int32', [1, 2], Int32Array.from([1, 2])) })).rejects.toThrow(DTypeError);
    await expect(model.run({ x: random([3, 3], 1) })).rejects.toThrow(ShapeError);
    await expect(model.run({ x: [1, 2] as never })).rejects.toThrow(TypeError);
    const { y: out } = await model.run({ x: new Tensor('float32', [2, 2], Float32Array.from([-1, 2, -3, 4])) });
    expect(Array.from(out!.data as Float32Array)).toEqual([0, 2, 0, 4]);
    model.dispose();
    model.dispose();
    await expect(model.run({ x: random([3, 2], 1) })).rejects.toThrow(/after dispose/);
  });

  it('fails at compile time on a shape operand that is not a constant', async () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', [2, 6]);
    const shape = b.input('shape', 'int64', [2]);
    const [y] = b.op(
      'Reshape',
      [x, b.initializer('s', new Tensor('int64', [2], BigInt64Array.from([3n, 4n])))],
      {},
      { name: 'r' },
    );
    b.output(y!, 'y');
    const graph = b.build();
    const dynamic = { ...graph, nodes: [{ ...graph.nodes[0]!, inputs: ['x', shape.name] }] };
    await expect(tfjsBackend.compile(dynamic)).rejects.toThrow(
      /input 1 \(shape\) must be an initializer or a Constant/,
    );
  });
});
