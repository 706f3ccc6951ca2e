import {
  type CompiledModel,
  DTypeError,
  describeValue,
  type Graph,
  type GraphNode,
  ShapeError,
  Tensor,
  UnsupportedOpError,
  type ValueInfo,
} from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type { Prepared, Val } from './internal/op-types.js';
import { toNchw } from './internal/op-types.js';
import { type Tf, type TfjsDevice, withDevice } from './internal/runtime.js';
import { TFJS_OPS } from './op-table.js';
import { uploadHost } from './ops/tensor.js';

interface Step {
  readonly node: GraphNode;
  readonly prepared: Prepared;
  /** Values (not owned by the model) whose last use is this step. */
  readonly free: readonly string[];
}

/** Checks the feeds against the graph's inputs (names, dtypes, ranks, fixed and symbolic dims). */
export function checkFeeds(inputs: readonly ValueInfo[], feeds: Readonly<Record<string, Tensor>>): void {
  if (typeof feeds !== 'object' || feeds === null || feeds instanceof Tensor || Array.isArray(feeds)) {
    throw new TypeError(`feeds: expected an object mapping input names to Tensors, got ${describeValue(feeds)}`);
  }
  const names = inputs.map((v) => v.name);
  for (const key of Object.keys(feeds)) {
    if (!names.includes(key))
      throw new RangeError(`feeds: unexpected input ${JSON.stringify(key)}; the inputs are ${describeValue(names)}`);
  }
  const bound = new Map<string, number>();
  for (const info of inputs) {
    const t = feeds[info.name];
    if (t === undefined)
      throw new RangeError(`feeds: missing input ${JSON.stringify(info.name)}; the inputs are ${describeValue(names)}`);
    if (!(t instanceof Tensor)) throw new TypeError(`feeds.${info.name}: expected a Tensor, got ${describeValue(t)}`);
    if (t.dtype !== info.dtype)
      throw new DTypeError(`feeds.${info.name}: expected dtype ${info.dtype}, got ${t.dtype}`);
    if (t.rank !== info.shape.length) {
      throw new ShapeError(
        `feeds.${info.name}: expected rank ${info.shape.length} [${info.shape.join(', ')}], got [${t.shape.join(', ')}]`,
      );
    }
    info.shape.forEach((dim, axis) => {
      const size = t.shape[axis]!;
      const want = typeof dim === 'number' ? dim : (bound.get(dim) ?? size);
      if (typeof dim === 'string') bound.set(dim, want);
      if (want !== size) {
        throw new ShapeError(
          `feeds.${info.name}: dim ${axis} (${dim}) must be ${want}, got ${size} (shape [${t.shape.join(', ')}])`,
        );
      }
    });
  }
}

/** A tfjs tensor as a core Tensor of `dtype` (int64 from tfjs's int32, bool from 0/1). */
async function download(t: TfTensor, dtype: ValueInfo['dtype']): Promise<Tensor> {
  const data = await t.data();
  const shape = [...t.shape];
  if (dtype === 'float32')
    return new Tensor('float32', shape, data instanceof Float32Array ? data : Float32Array.from(data));
  if (dtype === 'int64')
    return new Tensor(
      'int64',
      shape,
      BigInt64Array.from(data as Int32Array, (v) => BigInt(v)),
    );
  if (dtype === 'int32') return new Tensor('int32', shape, Int32Array.from(data as Int32Array));
  if (dtype === 'bool') return new Tensor('bool', shape, Uint8Array.from(data as Uint8Array));
  if (dtype === 'uint8') return new Tensor('uint8', shape, Uint8Array.from(data as Uint8Array));
  return new Tensor('float32', shape, Float32Array.from(data as Float32Array)).cast(dtype);
}

/**
 * A graph compiled for one tfjs device: weights are uploaded (and re-laid out for NHWC) once here, and owned until
 * `dispose()`. Each `run` switches tfjs to this model's device and runs alone (see `withDevice`); intermediate
 * tensors are freed at their last use and every temporary is released by tf.tidy.
 */
export class TfjsCompiledModel implements CompiledModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly device: TfjsDevice;
  private _providers: readonly string[];
  private graph: Graph | null;
  private steps: Step[] | null = null;
  private owned: TfTensor[] = [];
  private weights = new Map<string, TfTensor>();

  private constructor(graph: Graph, device: TfjsDevice) {
    this.graph = graph;
    this.device = device;
    this._providers = Object.freeze([device]);
    this.inputNames = Object.freeze(graph.inputs.map((v) => v.name));
    this.outputNames = Object.freeze(graph.outputs.map((v) => v.name));
  }

  /** What ran: the tfjs backend that was active for the last run (or, before any run, the one compiled for). */
  get providers(): readonly string[] {
    return this._providers;
  }

  static async create(graph: Graph, device: TfjsDevice): Promise<TfjsCompiledModel> {
    const model = new TfjsCompiledModel(graph, device);
    await withDevice(device, (tf) => {
      try {
        model.prepare(tf, graph);
      } catch (e) {
        model.release(tf);
        throw e;
      }
    });
    return model;
  }

  private prepare(tf: Tf, graph: Graph): void {
    const constants = new Map(graph.initializers);
    const produced = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.keys()]);
    const lastUse = new Map<string, number>();
    const runtimeInits = new Set<string>();
    const steps: Omit<Step, 'free'>[] = [];
    graph.nodes.forEach((node, i) => {
      const def = TFJS_OPS[node.op];
      if (!def) {
        throw new UnsupportedOpError(
          node.op,
          `tfjs backend: node ${JSON.stringify(node.name)} has op ${describeValue(node.op)}, which has no tfjs implementation`,
        );
      }
      node.inputs.forEach((name) => {
        if (name !== '' && !produced.has(name)) {
          throw new RangeError(
            `graph.nodes[${i}] (${node.name}): input ${JSON.stringify(name)} is not a graph input, an initializer or the output of an earlier node`,
          );
        }
      });
      const prepared = def({
        tf,
        node,
        constant: (k) => (node.inputs[k] ? constants.get(node.inputs[k]!) : undefined),
        own: (t) => {
          this.owned.push(t);
          return t;
        },
      });
      const statics = new Set(prepared.staticInputs ?? []);
      node.inputs.forEach((name, k) => {
        if (name === '' || statics.has(k)) return;
        if (graph.initializers.has(name)) runtimeInits.add(name);
        lastUse.set(name, i);
      });
      if (node.op === 'Constant' && node.attrs.value) constants.set(node.outputs[0]!, node.attrs.value as Tensor);
      for (const out of node.outputs) if (out !== '') produced.add(out);
      steps.push({ node, prepared });
    });
    for (const out of graph.outputs) {
      if (!produced.has(out.name))
        throw new RangeError(`graph.outputs: ${JSON.stringify(out.name)} is not produced by any node or input`);
      lastUse.set(out.name, Number.POSITIVE_INFINITY);
    }
    for (const name of runtimeInits) {
      const t = uploadHost(tf, graph.initializers.get(name)!, `initializer ${JSON.stringify(name)}`);
      this.owned.push(t);
      this.weights.set(name, t);
    }
    const frees = steps.map((): string[] => []);
    for (const [name, i] of lastUse) if (Number.isFinite(i) && !graph.initializers.has(name)) frees[i]!.push(name);
    this.steps = steps.map((s, i) => ({ ...s, free: frees[i]! }));
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const graph = this.graph;
    const steps = this.steps;
    if (!graph || !steps) throw new Error('tfjs backend: run() called on a model after dispose()');
    checkFeeds(graph.inputs, feeds);
    const outs = await withDevice(this.device, (tf) => {
      if (!this.graph) throw new Error('tfjs backend: the model was disposed before its run started');
      this._providers = Object.freeze([tf.getBackend()]);
      return this.execute(tf, graph, steps, feeds);
    });
    try {
      const result: Record<string, Tensor> = {};
      for (const [i, info] of graph.outputs.entries()) result[info.name] = await download(outs[i]!, info.dtype);
      return result;
    } finally {
      for (const t of outs) t.dispose();
    }
  }

  private execute(tf: Tf, graph: Graph, steps: Step[], feeds: Readonly<Record<string, Tensor>>): TfTensor[] {
    const env = new Map<string, Val>();
    const live = new Set<TfTensor>();
    try {
      for (const info of graph.inputs) {
        const t = uploadHost(tf, feeds[info.name]!, `feeds.${info.name}`);
        live.add(t);
        env.set(info.name, { t, nhwc: false });
      }
      const lookup = (name: string): Val | null => {
        if (name === '') return null;
        const v = env.get(name);
        if (v) return v;
        const w = this.weights.get(name);
        return w ? { t: w, nhwc: false } : null;
      };
      for (const { node, prepared, free } of steps) {
        const ins = node.inputs.map(lookup);
        let layouts: boolean[] = [];
        const tensors = tf.tidy(() => {
          const r = prepared.run(ins);
          layouts = r.map((v) => v.nhwc);
          // An output that is an input (Identity, Dropout) is cloned, so each value owns its tensor.
          return r.map((v) => (ins.some((i) => i?.t === v.t) ? tf.clone(v.t) : v.t));
        });
        tensors.forEach((t, k) => {
          const name = node.outputs[k];
          if (name === undefined || name === '') {
            t.dispose();
            return;
          }
          live.add(t);
          env.set(name, { t, nhwc: layouts[k]! });
        });
        node.outputs.forEach((name, k) => {
          if (name !== '' && tensors[k] === undefined) {
            throw new UnsupportedOpError(
              node.op,
              `tfjs backend: node ${node.name} (${node.op}) produced no output ${k} (${name})`,
            );
          }
        });
        for (const name of free) {
          const v = env.get(name);
          if (!v) continue;
          env.delete(name);
          live.delete(v.t);
          v.t.dispose();
        }
      }
      return graph.outputs.map((info) => {
        const v = lookup(info.name)!;
        return tf.tidy(() => {
          const t = toNchw(tf, v);
          return t === v.t ? tf.clone(t) : t;
        });
      });
    } finally {
      for (const t of live) t.dispose();
    }
  }

  private release(_tf?: Tf): void {
    for (const t of this.owned) t.dispose();
    this.owned = [];
    this.weights.clear();
  }

  /** Frees the uploaded weights. Safe to call twice. */
  dispose(): void {
    if (!this.graph) return;
    this.graph = null;
    this.steps = null;
    this.release();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
