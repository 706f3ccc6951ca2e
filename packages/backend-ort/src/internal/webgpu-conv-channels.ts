import type { Graph, GraphNode, ValueInfo } from '@striate/core';
import { Tensor } from '@striate/core';

/**
 * Whether onnxruntime 1.30's WebGPU Conv kernel computes this 2-D Conv wrongly. Its `Conv2dMMProgram` (the general
 * path, after the NHWC layout transform) reads the input as vec3 when `in_channels % 3 == 0`, `in_channels % 4 != 0`
 * and `out_channels % 4 == 0`, but indexes the channel as `xCh / 4` over an input that is not vectorised: every vec3
 * after the first of a pixel re-reads channels 0..2. Three channels (an RGB stem) are unaffected (`xCh` is always 0),
 * and so are convs that take its MatMul path (1x1 kernel, no padding, stride 1) and grouped convs. Measured here:
 * LeNet-5's 6 -> 16 Conv gave MNIST top-1 0.512 instead of 0.988 (see README, "Things we found").
 */
export function hitsWebgpuVec3ConvBug(
  node: GraphNode,
  weight: ValueInfo | undefined,
  input: ValueInfo | undefined,
): boolean {
  if (node.op !== 'Conv' || !weight || !input || weight.shape.length !== 4 || input.shape.length !== 4) return false;
  const group = typeof node.attrs.group === 'number' ? node.attrs.group : 1;
  const [cout, cin, kh, kw] = weight.shape;
  if (group !== 1 || typeof cout !== 'number' || typeof cin !== 'number') return false;
  if (!(cin > 3 && cin % 3 === 0 && cin % 4 !== 0 && cout % 4 === 0)) return false;
  const all = (v: unknown, x: number) => v === undefined || (Array.isArray(v) && v.every((e) => e === x));
  const autoPad = node.attrs.auto_pad;
  const matmulPath =
    kh === 1 && kw === 1 && all(node.attrs.pads, 0) && all(node.attrs.strides, 1) && (!autoPad || autoPad === 'NOTSET');
  return !matmulPath;
}

/** `w` with `extra` zero input channels appended (axis 1 of [Cout, Cin, kH, kW]); works for any dtype's raw data. */
function padWeightChannels(w: Tensor, extra: number): Tensor {
  const [cout, cin, kh, kw] = w.shape as [number, number, number, number];
  const spatial = kh * kw;
  const src = w.data as unknown as { length: number; subarray(a: number, b: number): ArrayLike<unknown> };
  const Ctor = (
    w.data as unknown as { constructor: new (n: number) => { set(a: ArrayLike<unknown>, o: number): void } }
  ).constructor;
  const out = new Ctor(cout * (cin + extra) * spatial);
  for (let o = 0; o < cout; o++)
    out.set(src.subarray(o * cin * spatial, (o + 1) * cin * spatial), o * (cin + extra) * spatial);
  return new Tensor(w.dtype, [cout, cin + extra, kh, kw], out as never);
}

/**
 * Rewrites the Convs that onnxruntime 1.30's WebGPU EP computes wrongly (see `hitsWebgpuVec3ConvBug`) so that they
 * take its correct vec4 path: the input gets zero channels up to the next multiple of 4 (a `Pad` on axis 1) and the
 * weight the same zero channels (a padded initializer, or a `Pad` when the weight is computed). The extra terms are
 * exact zeros, so the result is the same. Returns the graph itself when no node needs it; the original graph is
 * never modified.
 */
export function padConvChannelsForWebgpu(graph: Graph): Graph {
  const affected = graph.nodes.filter((n) =>
    hitsWebgpuVec3ConvBug(n, graph.values.get(n.inputs[1] ?? ''), graph.values.get(n.inputs[0] ?? '')),
  );
  if (affected.length === 0) return graph;
  const used = new Set<string>([...graph.values.keys(), ...graph.initializers.keys()]);
  for (const n of graph.nodes) for (const v of [...n.inputs, ...n.outputs, n.name]) used.add(v);
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  const nodes: GraphNode[] = [];
  const initializers = new Map(graph.initializers);
  const values = new Map(graph.values);
  for (const node of graph.nodes) {
    if (!affected.includes(node)) {
      nodes.push(node);
      continue;
    }
    const x = graph.values.get(node.inputs[0]!)!;
    const w = graph.values.get(node.inputs[1]!)!;
    const cin = w.shape[1] as number;
    const extra = Math.ceil(cin / 4) * 4 - cin;
    const padsName = fresh(`${node.name}.webgpu_channel_pads`);
    const pads = new Tensor('int64', [8], BigInt64Array.from([0, 0, 0, 0, 0, extra, 0, 0], BigInt));
    initializers.set(padsName, pads);
    values.set(padsName, { name: padsName, dtype: 'int64', shape: [8] });
    const xName = fresh(`${node.name}.input_padded`);
    nodes.push({
      op: 'Pad',
      name: fresh(`${node.name}.pad_input`),
      inputs: [x.name, padsName],
      outputs: [xName],
      attrs: {},
    });
    values.set(xName, { name: xName, dtype: x.dtype, shape: [x.shape[0]!, cin + extra, x.shape[2]!, x.shape[3]!] });
    const wName = fresh(`${node.name}.weight_padded`);
    const wShape = [w.shape[0]!, cin + extra, w.shape[2]!, w.shape[3]!];
    const constant = graph.initializers.get(w.name);
    if (constant) {
      initializers.set(wName, padWeightChannels(constant, extra));
    } else {
      nodes.push({
        op: 'Pad',
        name: fresh(`${node.name}.pad_weight`),
        inputs: [w.name, padsName],
        outputs: [wName],
        attrs: {},
      });
    }
    values.set(wName, { name: wName, dtype: w.dtype, shape: wShape });
    nodes.push({ ...node, inputs: [xName, wName, ...node.inputs.slice(2)] });
  }
  // The original weights of the rewritten convs, when nothing else reads them, are no longer needed.
  const referenced = new Set([...nodes.flatMap((n) => n.inputs), ...graph.outputs.map((o) => o.name)]);
  for (const node of affected) {
    const name = node.inputs[1]!;
    if (graph.initializers.has(name) && !referenced.has(name)) {
      initializers.delete(name);
      values.delete(name);
    }
  }
  return { ...graph, nodes, initializers, values };
}
