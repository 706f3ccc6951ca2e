/**
 * `exportOnnx`: a striate Graph as an ONNX model (ir_version 8, default-domain opset 17 unless asked otherwise),
 * weights as initializers with raw little-endian data, symbolic dims as dim_param. Ops whose ONNX form changed after
 * opset 17 (Gelu in 20, ReduceMean's axes and Split's num_outputs in 18) are written in the form of the target opset.
 */
import {
  type AttrValue,
  type Dim,
  describeValue,
  type Graph,
  type GraphNode,
  OP_TYPES,
  Tensor,
  UnsupportedOpError,
  type ValueInfo,
} from '@striate/core';
import type { onnx as O } from 'onnx-proto';
import { ATTR_SCHEMA } from './attr-schema.js';
import { lowerGelu } from './gelu.js';
import { ATTR_TYPE, onnx } from './proto.js';
import { int64Tensor, ONNX_OF_DTYPE, tensorToProto } from './tensor-proto.js';

export interface ExportOnnxOptions {
  /** Default-domain opset to target, 17 (default) to 22. */
  readonly opset?: number;
  /** Also write the inferred type and shape of every intermediate value as value_info (default false). */
  readonly valueInfo?: boolean;
  /** producer_name of the model (default 'striate'). */
  readonly producerName?: string;
}

export const MIN_EXPORT_OPSET = 17;
export const MAX_EXPORT_OPSET = 22;

/** Names of new values and initializers added while lowering (never clashing with the graph's own). */
export class NameTable {
  private readonly used: Set<string>;
  constructor(graph: Graph) {
    this.used = new Set(graph.values.keys());
    for (const n of graph.nodes) for (const o of [...n.inputs, ...n.outputs]) this.used.add(o);
    for (const k of graph.initializers.keys()) this.used.add(k);
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** What lowering one IR node produced: ONNX-ready nodes (IR-shaped) and extra initializers. */
export interface Lowered {
  readonly nodes: { op: string; name: string; inputs: string[]; outputs: string[]; attrs: Record<string, AttrValue> }[];
  readonly initializers: [string, Tensor][];
}

function typeProto(info: ValueInfo): O.ITypeProto {
  const dim = info.shape.map((d: Dim) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { tensorType: { elemType: ONNX_OF_DTYPE[info.dtype], shape: { dim } } };
}

const valueInfoProto = (info: ValueInfo): O.IValueInfoProto => ({ name: info.name, type: typeProto(info) });

function attributeProto(op: string, node: string, name: string, value: AttrValue): O.IAttributeProto {
  const kind = ATTR_SCHEMA[op]?.[name];
  const where = `${node} (${op}): attribute ${name}`;
  if (kind === undefined) {
    throw new UnsupportedOpError(
      op,
      `${where}: ONNX's ${op} has no attribute ${JSON.stringify(name)} that striate writes`,
    );
  }
  const bad = (expected: string): TypeError =>
    new TypeError(`${where}: expected ${expected}, got ${describeValue(value)}`);
  const isNumList = Array.isArray(value) && value.every((v) => typeof v === 'number');
  switch (kind) {
    case 'FLOAT':
      if (typeof value !== 'number') throw bad('a number');
      return { name, type: ATTR_TYPE.FLOAT, f: value };
    case 'INT':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('an integer');
      return { name, type: ATTR_TYPE.INT, i: value };
    case 'STRING':
      if (typeof value !== 'string') throw bad('a string');
      return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(value) };
    case 'FLOATS':
      if (!isNumList) throw bad('an array of numbers');
      return { name, type: ATTR_TYPE.FLOATS, floats: [...(value as number[])] };
    case 'INTS':
      if (!isNumList || !(value as number[]).every(Number.isInteger)) throw bad('an array of integers');
      return { name, type: ATTR_TYPE.INTS, ints: [...(value as number[])] };
    case 'STRINGS':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad('an array of strings');
      return { name, type: ATTR_TYPE.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    case 'TENSOR':
      if (!(value instanceof Tensor)) throw bad('a Tensor');
      return { name, type: ATTR_TYPE.TENSOR, t: tensorToProto('', value) };
    default:
      throw new UnsupportedOpError(op, `${where}: attribute type ${kind} is not written by striate`);
  }
}

/** Rewrites one IR node into the target opset's form. */
function lowerNode(node: GraphNode, graph: Graph, opset: number, names: NameTable): Lowered {
  const base = { op: node.op as string, name: node.name, inputs: [...node.inputs], outputs: [...node.outputs] };
  const attrs: Record<string, AttrValue> = { ...node.attrs };
  const initializers: [string, Tensor][] = [];
  if (node.op === 'Gelu' && opset < 20) return lowerGelu(node, names);
  if (node.op === 'ReduceMean' && opset >= 18 && attrs.axes !== undefined) {
    const axesName = names.fresh(`${node.name}.axes`);
    initializers.push([axesName, int64Tensor(attrs.axes as number[])]);
    base.inputs = [base.inputs[0]!, axesName];
    delete attrs.axes;
  }
  if (node.op === 'Split' && (node.inputs[1] ?? '') === '') {
    const count = node.outputs.length;
    if (opset >= 18) attrs.num_outputs = attrs.num_outputs ?? count;
    else {
      delete attrs.num_outputs;
      const shape = graph.values.get(node.inputs[0]!)?.shape;
      const rank = shape?.length ?? 0;
      const axis = (attrs.axis as number | undefined) ?? 0;
      const dim = shape?.[axis < 0 ? axis + rank : axis];
      if (typeof dim === 'number' && dim % count !== 0) {
        // num_outputs with an uneven split: chunks of ceil(dim / count), the last one smaller (opset 18's rule).
        const chunk = Math.ceil(dim / count);
        const sizes = Array.from({ length: count }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
        const splitName = names.fresh(`${node.name}.split`);
        initializers.push([splitName, int64Tensor(sizes)]);
        base.inputs = [base.inputs[0]!, splitName];
      }
    }
  }
  return { nodes: [{ ...base, attrs }], initializers };
}

function checkGraph(graph: unknown): asserts graph is Graph {
  const g = graph as Graph | null;
  if (
    typeof g !== 'object' ||
    g === null ||
    !Array.isArray(g.nodes) ||
    !Array.isArray(g.inputs) ||
    !Array.isArray(g.outputs) ||
    !(g.initializers instanceof Map) ||
    !(g.values instanceof Map)
  ) {
    throw new TypeError(
      `graph: expected a Graph { name, inputs, outputs, nodes, initializers, values }, got ${describeValue(graph)}`,
    );
  }
}

function checkOptions(options: unknown): Required<ExportOnnxOptions> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  }
  const o = (options ?? {}) as ExportOnnxOptions;
  const opset = o.opset ?? MIN_EXPORT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_EXPORT_OPSET || opset > MAX_EXPORT_OPSET) {
    throw new RangeError(
      `options.opset: expected an integer from ${MIN_EXPORT_OPSET} to ${MAX_EXPORT_OPSET}, got ${describeValue(opset)}`,
    );
  }
  const producerName = o.producerName ?? 'striate';
  if (typeof producerName !== 'string') {
    throw new TypeError(`options.producerName: expected a string, got ${describeValue(producerName)}`);
  }
  return { opset, valueInfo: o.valueInfo === true, producerName };
}

/** Writes `graph` as an ONNX model (the bytes of a ModelProto). */
export function exportOnnx(graph: Graph, options?: ExportOnnxOptions): Uint8Array {
  checkGraph(graph);
  const { opset, valueInfo, producerName } = checkOptions(options);
  const names = new NameTable(graph);
  const nodes: O.INodeProto[] = [];
  const initializer: O.ITensorProto[] = [];
  for (const [name, t] of graph.initializers) initializer.push(tensorToProto(name, t));
  for (const node of graph.nodes) {
    if (!(OP_TYPES as readonly string[]).includes(node.op) || !Object.hasOwn(ATTR_SCHEMA, node.op)) {
      throw new UnsupportedOpError(node.op, `${node.name} (${node.op}): op has no ONNX export`);
    }
    const lowered = lowerNode(node, graph, opset, names);
    for (const [name, t] of lowered.initializers) initializer.push(tensorToProto(name, t));
    for (const n of lowered.nodes) {
      nodes.push({
        name: n.name,
        opType: n.op,
        domain: '',
        input: withoutTrailingEmpty(n.inputs),
        output: n.outputs,
        attribute: Object.entries(n.attrs)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => attributeProto(n.op, n.name, k, v)),
      });
    }
  }
  const io = new Set([...graph.inputs, ...graph.outputs].map((v) => v.name));
  const model: O.IModelProto = {
    irVersion: 8,
    producerName,
    producerVersion: '0.0.0',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: graph.name || 'graph',
      node: nodes,
      initializer,
      input: graph.inputs.map(valueInfoProto),
      output: graph.outputs.map(valueInfoProto),
      valueInfo: valueInfo
        ? [...graph.values.values()]
            .filter((v) => !io.has(v.name) && !graph.initializers.has(v.name))
            .map(valueInfoProto)
        : [],
    },
  };
  const bytes = onnx.ModelProto.encode(model).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Omitted optional inputs at the end are left out rather than written as empty names (both are valid ONNX, but
 * onnxruntime-node 1.30's WebGPU EP crashes on a Conv whose bias is a trailing empty name).
 */
function withoutTrailingEmpty(inputs: readonly string[]): string[] {
  let end = inputs.length;
  while (end > 0 && inputs[end - 1] === '') end--;
  return inputs.slice(0, end);
}
