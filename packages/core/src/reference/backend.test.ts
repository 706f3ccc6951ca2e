import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import { type Graph, type GraphNode, OP_TYPES, type OpType, type ValueInfo } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { Tensor, tensor } from '../tensor.js';
import { referenceBackend, referenceKernels } from './backend.js';
import { conv } from './conv.js';
import { batchNormalization } from './norm.js';
import { maxPool } from './pool.js';
import { softmax } from './softmax.js';

function makeGraph(parts: {
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: GraphNode[];
  initializers?: Record<string, Tensor>;
}): Graph {
  const initializers = new Map(Object.entries(parts.initializers ?? {}));
  const values = new Map<string, ValueInfo>();
  for (const v of [...parts.inputs, ...parts.outputs]) values.set(v.name, v);
  for (const [name, t] of initializers) values.set(name, { name, dtype: t.dtype, shape: [...t.shape] });
  return { name: 'test', inputs: parts.inputs, outputs: parts.outputs, nodes: parts.nodes, initializers, values };
}

const n = (op: OpType, name: string, inputs: string[], outputs: string[], attrs = {}): GraphNode => ({
  op,
  name,
  inputs,
  outputs,
  attrs,
});

const ramp = (shape: number[], scale = 0.1) =>
  new Tensor(
    'float32',
    shape,
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i) * scale * 10),
  );

/** image [N, 3, 8, 8] -> Conv 3x3 pad 1 (4 filters) -> BN -> MaxPool 2x2 -> Softmax over channels. */
function smallCnn(): { graph: Graph; weights: Record<string, Tensor> } {
  const weights = {
    'conv.weight': ramp([4, 3, 3, 3]),
    'conv.bias': tensor([0.1, -0.2, 0.3, 0]),
    'bn.weight': tensor([1, 2, 0.5, 1]),
    'bn.bias': tensor([0, 1, 0, -1]),
    'bn.running_mean': tensor([0, 0.5, -0.5, 1]),
    'bn.running_var': tensor([1, 2, 0.5, 4]),
  };
  const graph = makeGraph({
    inputs: [{ name: 'image', dtype: 'float32', shape: ['N', 3, 8, 8] }],
    outputs: [{ name: 'probs', dtype: 'float32', shape: ['N', 4, 4, 4] }],
    nodes: [
      n('Conv', 'conv', ['image', 'conv.weight', 'conv.bias'], ['c'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      n('BatchNormalization', 'bn', ['c', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'], ['b']),
      n('MaxPool', 'pool', ['b'], ['p'], { kernel_shape: [2, 2], strides: [2, 2] }),
      n('Softmax', 'softmax', ['p'], ['probs'], { axis: 1 }),
    ],
    initializers: weights,
  });
  return { graph, weights };
}

describe('referenceBackend', () => {
  it('reports its name and the cpu device', async () => {
    expect(referenceBackend.name).toBe('reference');
    expect(await referenceBackend.devices()).toEqual([{ device: 'cpu', available: true }]);
  });

  it('runs a graph node by node, like the kernels called in sequence, with N bound at run time', async () => {
    const { graph, weights } = smallCnn();
    const model = await referenceBackend.compile(graph);
    expect(model.inputNames).toEqual(['image']);
    expect(model.outputNames).toEqual(['probs']);
    expect(model.providers).toEqual(['reference']);
    const x3 = ramp([3, 3, 8, 8], 0.3);
    const x1 = new Tensor('float32', [1, 3, 8, 8], x3.data.slice(0, 192));
    const one = (await model.run({ image: x1 })).probs!;
    const three = (await model.run({ image: x3 })).probs!;
    expect(one.shape).toEqual([1, 4, 4, 4]);
    expect(three.shape).toEqual([3, 4, 4, 4]);
    expect(three.toArray().slice(0, 64)).toEqual(one.toArray());

    const byHand = (x: Tensor) => {
      const [c] = conv([x, weights['conv.weight']!, weights['conv.bias']!], graph.nodes[0]!.attrs, graph.nodes[0]!);
      const bnInputs = ['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'].map((k) => weights[k]!);
      const [b] = batchNormalization([c!, ...bnInputs], {}, graph.nodes[1]!);
      const [p] = maxPool([b!], graph.nodes[2]!.attrs, graph.nodes[2]!);
      return softmax([p!], graph.nodes[3]!.attrs, graph.nodes[3]!)[0]!;
    };
    expect(three.toArray()).toEqual(byHand(x3).toArray());
    model.dispose();
  });

  it('keeps a value that a later node still needs and returns intermediates that are outputs', async () => {
    const graph = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2] }],
      outputs: [
        { name: 's', dtype: 'float32', shape: [1, 2] },
        { name: 'y', dtype: 'float32', shape: [1, 2] },
      ],
      nodes: [n('Softmax', 'a', ['x'], ['s']), n('Softmax', 'b', ['s'], ['t']), n('Gemm', 'c', ['t', 'w', 's'], ['y'])],
      initializers: {
        w: tensor([
          [1, 0],
          [0, 1],
        ]),
      },
    });
    const model = await referenceBackend.compile(graph);
    const out = await model.run({ x: tensor([[0, Math.log(3)]]) });
    expect(out.s!.toArray()).toEqual([0.25, 0.75].map(Math.fround));
    const t = softmax([out.s!], {}, graph.nodes[1]!)[0]!;
    expect(out.y!.data[0]).toBeCloseTo(t.toArray()[0]! + 0.25, 6);
    expect(out.y!.data[1]).toBeCloseTo(t.toArray()[1]! + 0.75, 6);
  });

  it('copies graph outputs that are feeds or initializers', async () => {
    const w = tensor([1, 2]);
    const graph = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }],
      outputs: [
        { name: 'x', dtype: 'float32', shape: [2] },
        { name: 'w', dtype: 'float32', shape: [2] },
      ],
      nodes: [],
      initializers: { w },
    });
    const model = await referenceBackend.compile(graph);
    const x = tensor([3, 4]);
    const out = await model.run({ x });
    expect(out.x!.toArray()).toEqual([3, 4]);
    expect(out.x!.data).not.toBe(x.data);
    expect(out.w!.data).not.toBe(w.data);
  });

  it('validates feeds with typed errors naming the input', async () => {
    const { graph } = smallCnn();
    const model = await referenceBackend.compile(graph);
    const good = ramp([2, 3, 8, 8]);
    await expect(model.run({})).rejects.toThrow(/feeds: missing input "image"/);
    await expect(model.run({ image: good, extra: good })).rejects.toThrow(/feeds: unexpected input "extra"/);
    await expect(model.run({ image: good.cast('int32') })).rejects.toThrow(DTypeError);
    await expect(model.run({ image: good.cast('int32') })).rejects.toThrow(
      /feeds\.image: expected dtype float32, got int32/,
    );
    await expect(model.run({ image: ramp([3, 8, 8]) })).rejects.toThrow(/feeds\.image: expected rank 4/);
    await expect(model.run({ image: ramp([2, 4, 8, 8]) })).rejects.toThrow(ShapeError);
    await expect(model.run({ image: ramp([2, 3, 8, 9]) })).rejects.toThrow(/feeds\.image: dim 3 must be 8/);
    await expect(model.run({ image: [1, 2, 3] as unknown as Tensor })).rejects.toThrow(TypeError);
    await expect(model.run(null as unknown as Record<string, Tensor>)).rejects.toThrow(TypeError);
  });

  it('rejects one symbol bound to two sizes across inputs', async () => {
    const graph = makeGraph({
      inputs: [
        { name: 'a', dtype: 'float32', shape: ['N', 3] },
        { name: 'b', dtype: 'float32', shape: ['N', 3] },
      ],
      outputs: [{ name: 'ya', dtype: 'float32', shape: ['N', 3] }],
      nodes: [n('Softmax', 'sa', ['a'], ['ya']), n('Softmax', 'sb', ['b'], ['yb'])],
    });
    const model = await referenceBackend.compile(graph);
    await expect(model.run({ a: ramp([2, 3]), b: ramp([3, 3]) })).rejects.toThrow(
      /feeds\.b: dim 0 is symbol "N", already bound to 2 by feeds\.a/,
    );
    expect((await model.run({ a: ramp([3, 3]), b: ramp([3, 3]) })).ya!.shape).toEqual([3, 3]);
  });

  it('refuses to run after dispose (and Symbol.dispose disposes)', async () => {
    const { graph } = smallCnn();
    const model = await referenceBackend.compile(graph);
    model.dispose();
    model.dispose();
    await expect(model.run({ image: ramp([1, 3, 8, 8]) })).rejects.toThrow(/after dispose/);
    const other = await referenceBackend.compile(graph);
    other[Symbol.dispose]();
    await expect(other.run({ image: ramp([1, 3, 8, 8]) })).rejects.toThrow(/after dispose/);
  });

  it('checks the device, the kernels and the value names at compile time', async () => {
    const { graph } = smallCnn();
    await expect(referenceBackend.compile(graph, { device: 'webgpu' })).rejects.toThrow(
      /options\.device: expected one of "cpu", got "webgpu"/,
    );
    expect((await referenceBackend.compile(graph, { device: 'cpu' })).outputNames).toEqual(['probs']);
    const unknownOp = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
      nodes: [n('Softmax', 'ok', ['x'], ['s']), n('NonMaxSuppression' as OpType, 'nms', ['s'], ['y'])],
    });
    const err = await referenceBackend.compile(unknownOp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect((err as UnsupportedOpError).opType).toBe('NonMaxSuppression');
    expect((err as Error).message).toMatch(/node "nms".*NonMaxSuppression/);
    const dangling = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1] }],
      nodes: [n('Softmax', 'sm', ['z'], ['y'])],
    });
    await expect(referenceBackend.compile(dangling)).rejects.toThrow(/sm.*"z" is not a graph input/);
    const noOutput = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1] }],
      outputs: [{ name: 'q', dtype: 'float32', shape: [1] }],
      nodes: [],
    });
    await expect(referenceBackend.compile(noOutput)).rejects.toThrow(/graph\.outputs: "q"/);
    await expect(referenceBackend.compile(null as unknown as Graph)).rejects.toThrow(TypeError);
  });

  it('reports a kernel error with the node name', async () => {
    const graph = makeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 4, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2, 4, 4] }],
      nodes: [n('Conv', 'features.0', ['x', 'w'], ['y'])],
      initializers: { w: ramp([2, 3, 1, 1]) },
    });
    const model = await referenceBackend.compile(graph);
    await expect(model.run({ x: ramp([1, 2, 4, 4]) })).rejects.toThrow(/features\.0 \(Conv\)/);
  });

  it('has a kernel for every IR op type', () => {
    expect(OP_TYPES.filter((op) => !referenceKernels[op])).toEqual([]);
  });

  it('runs a GraphBuilder graph (a small LeNet) and agrees with shape inference on every value', async () => {
    const b = new GraphBuilder('lenet');
    const x = b.input('image', 'float32', ['N', 1, 12, 12]);
    const w1 = b.initializer('conv1.weight', ramp([6, 1, 5, 5]));
    const b1 = b.initializer('conv1.bias', ramp([6]));
    const [c1] = b.op('Conv', [x, w1, b1], { kernel_shape: [5, 5] }, { name: 'conv1' });
    const [r1] = b.op('Relu', [c1!], {}, { name: 'relu1' });
    const [p1] = b.op('MaxPool', [r1!], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool1' });
    const [f] = b.op('Flatten', [p1!], { axis: 1 }, { name: 'flatten' });
    const fcW = b.initializer('fc.weight', ramp([10, 96], 0.01));
    const fcB = b.initializer('fc.bias', ramp([10]));
    const [logits] = b.op('Gemm', [f!, fcW, fcB], { transB: 1 }, { name: 'fc' });
    const [probs] = b.op('Softmax', [logits!], { axis: -1 }, { name: 'softmax' });
    for (const v of [c1!, p1!, f!, probs!]) b.output(v);
    const graph = b.build();
    const model = await referenceBackend.compile(graph);
    const out = await model.run({ image: ramp([2, 1, 12, 12]) });
    for (const info of graph.outputs) {
      expect(out[info.name]!.shape).toEqual(info.shape.map((d) => (d === 'N' ? 2 : d)));
    }
    const p = out[probs!.name]!.toArray();
    expect(p.slice(0, 10).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 6);
    model.dispose();
  });
});
