import {
  BatchNorm2d,
  Conv2d,
  DataError,
  functional as F,
  Flatten,
  type Graph,
  GraphBuilder,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Rng,
  Sequential,
  Tensor,
  UnsupportedOpError,
  type Value,
} from '@striate/core';
import onnxProto, { type onnx as O } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { relDiff, runOrt, runReference } from '../test/ort.js';
import { type ExportOnnxOptions, exportOnnx } from './export.js';

const { onnx } = onnxProto;
const graphOf = (m: O.ModelProto): O.GraphProto => m.graph as O.GraphProto;

const rand = (shape: number[], seed: number, lo = -1, hi = 1): Tensor<'float32'> =>
  new Tensor(
    'float32',
    shape,
    new Rng(seed).uniformArray(
      shape.reduce((a, b) => a * b, 1),
      lo,
      hi,
    ),
  );
const i64 = (v: number[]): Tensor<'int64'> => new Tensor('int64', [v.length], BigInt64Array.from(v, BigInt));
const f32 = (v: number[], shape = [v.length]): Tensor<'float32'> => new Tensor('float32', shape, Float32Array.from(v));

class LeNet extends Module {
  features = new Sequential(
    new Conv2d(1, 6, 5, { padding: 2 }),
    new BatchNorm2d(6),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
  );
  flatten = new Flatten();
  classifier = new Sequential(new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 10));
  override forward(x: Value): Value {
    return F.softmax(this.classifier.forward(this.flatten.forward(this.features.forward(x))), 1);
  }
}

/** A graph with every IR op, built node by node. */
function everyOpGraph(): Graph {
  const b = new GraphBuilder('every_op');
  let k = 0;
  const w = (t: Tensor): Value => b.initializer(`w${k++}`, t);
  const op = (o: Parameters<GraphBuilder['op']>[0], ins: (Value | null)[], attrs = {}, outputs = 1) =>
    b.op(o, ins, attrs, { name: `${o.toLowerCase()}${k++}`, outputs });
  const one = (o: Parameters<GraphBuilder['op']>[0], ins: (Value | null)[], attrs = {}) => op(o, ins, attrs)[0]!;
  const x = b.input('x', 'float32', ['N', 3, 8, 8]);
  const c = one('Conv', [x, w(rand([4, 3, 3, 3], 1)), w(rand([4], 2))], { pads: [1, 1, 1, 1], kernel_shape: [3, 3] });
  const bn = one(
    'BatchNormalization',
    [c, w(rand([4], 3, 0.5, 1.5)), w(rand([4], 4)), w(rand([4], 5)), w(rand([4], 6, 0.5, 2))],
    {
      epsilon: 1e-3,
    },
  );
  const acts = [
    one('Relu', [bn]),
    one('LeakyRelu', [bn], { alpha: 0.1 }),
    one('PRelu', [bn, w(rand([4, 1, 1], 7, 0, 0.5))]),
    one('Elu', [bn], { alpha: 0.5 }),
    one('Sigmoid', [bn]),
    one('Tanh', [bn]),
    one('HardSigmoid', [bn], { alpha: 0.2, beta: 0.5 }),
    one('HardSwish', [bn]),
    one('Gelu', [bn]),
    one('Gelu', [bn], { approximate: 'tanh' }),
  ];
  const cat = one('Concat', acts, { axis: 1 }); // [N, 40, 8, 8]
  const ct = one('ConvTranspose', [cat, w(rand([40, 2, 2, 2], 8, -0.2, 0.2))], {
    strides: [2, 2],
    kernel_shape: [2, 2],
  });
  const mp = one('MaxPool', [ct], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 });
  const ap = one('AveragePool', [mp], {
    kernel_shape: [3, 3],
    strides: [1, 1],
    pads: [1, 1, 1, 1],
    count_include_pad: 0,
  });
  const up = one('Resize', [ap, null, w(f32([1, 1, 2, 2]))], { mode: 'nearest' });
  const lin = one('Resize', [ap, null, null, w(i64([2, 2, 11, 13]))], {
    mode: 'linear',
    coordinate_transformation_mode: 'align_corners',
  });
  const padded = one('Pad', [up, w(i64([0, 0, 1, 2, 0, 0, 1, 2]))], { mode: 'reflect' });
  const sl = one('Slice', [padded, w(i64([1, 0])), w(i64([100, 100])), w(i64([2, 3])), w(i64([2, 3]))]);
  const [s0, s1] = op('Split', [sl, w(i64([1, 1]))], { axis: 1 }, 2);
  const [h0, h1, h2] = op('Split', [cat], { axis: 1, num_outputs: 3 }, 3);
  const clip = one('Clip', [
    one('Sub', [s0!, s1!]),
    b.initializer('lo', f32([-0.5], [])),
    b.initializer('hi', f32([0.5], [])),
  ]);
  const gp = one('GlobalAveragePool', [one('Dropout', [one('Identity', [h0!])])]);
  const gm = one('GlobalMaxPool', [h1!]);
  const flat = one('Flatten', [one('Mul', [gp, gm])], { axis: 1 }); // [N, 14]
  const gemm = one('Gemm', [flat, w(rand([5, 14], 9)), w(rand([5], 10))], { transB: 1, alpha: 0.5, beta: 2 });
  const mm = one('MatMul', [gemm, w(rand([5, 6], 11))]);
  const ln = one('LayerNormalization', [mm, w(rand([6], 12)), w(rand([6], 13))], { epsilon: 1e-5 });
  const sm = one('Softmax', [one('Div', [ln, b.initializer('two', f32([2], []))])], { axis: -1 });
  const rs = one('Reshape', [one('Transpose', [h2!], { perm: [0, 2, 3, 1] }), w(i64([0, -1]))]);
  const rm = one('ReduceMean', [h2!], { axes: [2, 3], keepdims: 0 });
  const k0 = op('Constant', [], { value: f32([0.01, 0.02, 0.03, 0.04, 0.05, 0.06], [1, 6]) })[0]!;
  b.output(one('Add', [sm, k0]), 'softmax');
  b.output(clip, 'clip');
  b.output(lin, 'resize_linear');
  b.output(rs, 'reshaped');
  b.output(rm, 'reduced');
  return b.build();
}

async function compareWithReference(
  graph: Graph,
  feeds: Record<string, Tensor>,
  options?: ExportOnnxOptions,
): Promise<void> {
  const bytes = exportOnnx(graph, options);
  const [fromOrt, fromRef] = await Promise.all([runOrt(bytes, feeds), runReference(graph, feeds)]);
  expect(Object.keys(fromOrt).sort()).toEqual(graph.outputs.map((o) => o.name).sort());
  for (const o of graph.outputs) {
    expect(relDiff(fromOrt[o.name]!, fromRef[o.name]!), o.name).toBeLessThanOrEqual(1e-4);
  }
}

describe('exportOnnx', () => {
  it('writes a LeNet built with the Module API that ONNX Runtime runs as the reference backend does', async () => {
    const graph = new LeNet().toGraph({ inputs: { input: ['N', 1, 28, 28] } });
    await compareWithReference(graph, { input: rand([3, 1, 28, 28], 42) });
    await compareWithReference(graph, { input: rand([1, 1, 28, 28], 43) }, { valueInfo: true });
  });

  it.each([17, 18, 20])('writes every IR op at opset %i, matching the reference backend on ORT', async (opset) => {
    await compareWithReference(everyOpGraph(), { x: rand([2, 3, 8, 8], 7) }, { opset });
  });

  it('leaves out trailing omitted inputs (a bias-free Conv has two inputs, not an empty third)', () => {
    const net = new Conv2d(3, 4, 3, { bias: false });
    const m = onnx.ModelProto.decode(exportOnnx(net.toGraph({ inputs: { input: ['N', 3, 8, 8] } })));
    const conv = graphOf(m).node.find((n) => n.opType === 'Conv')!;
    expect(conv.input).toEqual(['input', 'weight']);
  });

  it('writes ir_version 8, the opset, initializers as raw data and the batch as dim_param', () => {
    const graph = new LeNet().toGraph({ inputs: { input: ['N', 1, 28, 28] } });
    const m = onnx.ModelProto.decode(exportOnnx(graph, { valueInfo: true }));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const input = graphOf(m).input[0]!;
    expect(input.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 1, 28, 28]);
    const w = graphOf(m).initializer.find((t) => t.name === 'features.0.weight')!;
    expect(w.dataType).toBe(1);
    expect(w.dims?.map(Number)).toEqual([6, 1, 5, 5]);
    const expected = graph.initializers.get('features.0.weight')!.data as Float32Array;
    const raw = w.rawData as Uint8Array;
    expect(new Float32Array(raw.slice().buffer)).toEqual(expected);
    expect(graphOf(m).initializer.length).toBe(graph.initializers.size);
    expect(graphOf(m).valueInfo.length).toBeGreaterThan(0);
  });

  it('types attributes by the ONNX schema: floats stay FLOAT even when whole, ints INT', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 2]);
    const [y] = b.op('HardSigmoid', [x], { alpha: 1, beta: 0 }, { name: 'hs' });
    const [z] = b.op('Softmax', [y!], { axis: 1 }, { name: 'sm' });
    b.output(z!);
    const m = onnx.ModelProto.decode(exportOnnx(b.build()));
    const [hs, sm] = graphOf(m).node;
    expect(hs!.attribute?.map((a) => [a.name, a.type, a.f])).toEqual([
      ['alpha', 1, 1],
      ['beta', 1, 0],
    ]);
    expect(sm!.attribute?.map((a) => [a.name, a.type, Number(a.i)])).toEqual([['axis', 2, 1]]);
  });

  it('decomposes Gelu below opset 20 and keeps it from 20 on', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2]);
    b.output(b.op('Gelu', [x], {}, { name: 'g' })[0]!);
    const ops = (opset: number) =>
      onnx.ModelProto.decode(exportOnnx(b.build(), { opset })).graph?.node?.map((n) => n.opType);
    expect(ops(17)).toEqual(['Div', 'Erf', 'Add', 'Mul', 'Mul']);
    expect(ops(20)).toEqual(['Gelu']);
  });

  it('rejects what it cannot write with typed errors naming the node', () => {
    const g = new LeNet().toGraph({ inputs: { input: [1, 1, 28, 28] } });
    const bogus = { ...g, nodes: [...g.nodes, { ...g.nodes[0]!, op: 'NonMaxSuppression' as 'Conv', name: 'nms' }] };
    expect(() => exportOnnx(bogus)).toThrow(UnsupportedOpError);
    expect(() => exportOnnx(bogus)).toThrow(/nms \(NonMaxSuppression\)/);
    const badAttr = {
      ...g,
      nodes: [{ ...g.nodes[0]!, attrs: { ...g.nodes[0]!.attrs, bogus: 1 } }, ...g.nodes.slice(1)],
    };
    expect(() => exportOnnx(badAttr)).toThrow(/attribute bogus/);
    const badType = {
      ...g,
      nodes: [{ ...g.nodes[0]!, attrs: { ...g.nodes[0]!.attrs, group: 'two' } }, ...g.nodes.slice(1)],
    };
    expect(() => exportOnnx(badType)).toThrow(TypeError);
    expect(() => exportOnnx(null as unknown as Graph)).toThrow(TypeError);
    expect(() => exportOnnx(g, { opset: 16 })).toThrow(RangeError);
    expect(() => exportOnnx(g, { opset: 17.5 })).toThrow(/options\.opset/);
    expect(DataError).toBeDefined();
  });
});
