import type { Backend, CompiledModel, CompileOptions, DeviceInfo } from '../backend.js';
import { DTypeError, describeValue, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Graph, GraphNode, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { nnKernels } from './kernels-nn.js';
import { tensorKernels } from './kernels-tensor.js';
import type { Kernel } from './types.js';

/** Every reference kernel, by op type: the tensor ops and the neural-network ops in one table. */
export const referenceKernels: Partial<Record<OpType, Kernel>> = Object.freeze({ ...tensorKernels, ...nnKernels });

const DEVICES: readonly string[] = Object.freeze(['cpu']);

interface Step {
  readonly node: GraphNode;
  readonly kernel: Kernel;
  /** Values whose last use is this step (freed after it runs). */
  readonly free: readonly string[];
}

function checkGraph(graph: Graph): void {
  if (typeof graph !== 'object' || graph === null) {
    throw new TypeError(`graph: expected a Graph object, got ${describeValue(graph)}`);
  }
  for (const key of ['inputs', 'outputs', 'nodes'] as const) {
    if (!Array.isArray(graph[key]))
      throw new TypeError(`graph.${key}: expected an array, got ${describeValue(graph[key])}`);
  }
  if (!(graph.initializers instanceof Map)) {
    throw new TypeError(`graph.initializers: expected a Map, got ${describeValue(graph.initializers)}`);
  }
}

/** Orders the nodes into steps with their kernels and frees; throws on a missing kernel or an undefined value. */
function plan(graph: Graph): Step[] {
  const defined = new Set<string>([...graph.inputs.map((v) => v.name), ...graph.initializers.keys()]);
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    const kernel = referenceKernels[node.op];
    if (!kernel) {
      throw new UnsupportedOpError(
        node.op,
        `reference backend: node ${JSON.stringify(node.name)} has op ${describeValue(node.op)}, which has no ` +
          `reference kernel`,
      );
    }
    for (const name of node.inputs) {
      if (name === '') continue;
      if (!defined.has(name)) {
        throw new RangeError(
          `graph.nodes[${i}] (${node.name}): input ${JSON.stringify(name)} is not a graph input, an initializer or ` +
            'the output of an earlier node',
        );
      }
      lastUse.set(name, i);
    }
    for (const name of node.outputs) {
      if (name === '') continue;
      defined.add(name);
      if (!lastUse.has(name)) lastUse.set(name, i);
    }
  });
  const keep = new Set<string>([...graph.outputs.map((v) => v.name), ...graph.initializers.keys()]);
  for (const out of graph.outputs) {
    if (!defined.has(out.name)) {
      throw new RangeError(`graph.outputs: ${JSON.stringify(out.name)} is not produced by any node or input`);
    }
  }
  const frees = graph.nodes.map((): string[] => []);
  for (const [name, i] of lastUse) if (!keep.has(name)) frees[i]!.push(name);
  return graph.nodes.map((node, i) => ({ node, kernel: referenceKernels[node.op]!, free: frees[i]! }));
}

/** Checks feeds against the declared inputs and binds symbolic dims; errors name the input. */
function checkFeeds(inputs: readonly ValueInfo[], feeds: Readonly<Record<string, Tensor>>): void {
  if (typeof feeds !== 'object' || feeds === null || feeds instanceof Tensor || Array.isArray(feeds)) {
    throw new TypeError(`feeds: expected an object mapping input names to Tensors, got ${describeValue(feeds)}`);
  }
  const names = inputs.map((v) => v.name);
  for (const key of Object.keys(feeds)) {
    if (!names.includes(key)) {
      throw new RangeError(
        `feeds: unexpected input ${JSON.stringify(key)}; the graph's inputs are ${describeValue(names)}`,
      );
    }
  }
  const bound = new Map<string, { size: number; input: string; axis: number }>();
  for (const info of inputs) {
    const t = feeds[info.name];
    if (t === undefined) {
      throw new RangeError(
        `feeds: missing input ${JSON.stringify(info.name)}; the graph's inputs are ${describeValue(names)}`,
      );
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(`feeds.${info.name}: expected a Tensor, got ${describeValue(t)}`);
    }
    if (t.dtype !== info.dtype)
      throw new DTypeError(`feeds.${info.name}: expected dtype ${info.dtype}, got ${t.dtype}`);
    if (t.rank !== info.shape.length) {
      throw new ShapeError(
        `feeds.${info.name}: expected rank ${info.shape.length} ${formatShape(info.shape)}, got rank ${t.rank} ` +
          formatShape(t.shape),
      );
    }
    info.shape.forEach((dim, axis) => {
      const size = t.shape[axis]!;
      if (typeof dim === 'number') {
        if (dim !== size) {
          throw new ShapeError(
            `feeds.${info.name}: dim ${axis} must be ${dim} (declared ${formatShape(info.shape)}), got ${size} ` +
              `(shape ${formatShape(t.shape)})`,
          );
        }
        return;
      }
      const prior = bound.get(dim);
      if (prior && prior.size !== size) {
        throw new ShapeError(
          `feeds.${info.name}: dim ${axis} is symbol ${JSON.stringify(dim)}, already bound to ${prior.size} by ` +
            `feeds.${prior.input} (dim ${prior.axis}), got ${size}`,
        );
      }
      if (!prior) bound.set(dim, { size, input: info.name, axis });
    });
  }
}

class ReferenceModel implements CompiledModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly providers: readonly string[] = Object.freeze(['reference']);
  private graph: Graph | null;
  private steps: Step[] | null;

  constructor(graph: Graph, steps: Step[]) {
    this.graph = graph;
    this.steps = steps;
    this.inputNames = Object.freeze(graph.inputs.map((v) => v.name));
    this.outputNames = Object.freeze(graph.outputs.map((v) => v.name));
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const graph = this.graph;
    const steps = this.steps;
    if (!graph || !steps) throw new Error('reference backend: run() called on a model after dispose()');
    checkFeeds(graph.inputs, feeds);
    const env = new Map<string, Tensor>();
    for (const name of this.inputNames) env.set(name, feeds[name]!);
    const lookup = (name: string): Tensor | null => {
      if (name === '') return null;
      const t = env.get(name) ?? graph.initializers.get(name);
      if (!t) throw new Error(`reference backend: value ${JSON.stringify(name)} was freed or never computed`);
      return t;
    };
    for (const { node, kernel, free } of steps) {
      const results = kernel(node.inputs.map(lookup), node.attrs ?? {}, node);
      node.outputs.forEach((name, i) => {
        if (name === '') return;
        const t = results[i];
        if (!t) {
          throw new Error(`reference backend: node ${node.name} (${node.op}) produced no output ${i} (${name})`);
        }
        env.set(name, t);
      });
      for (const name of free) env.delete(name);
    }
    const out: Record<string, Tensor> = {};
    for (const name of this.outputNames) {
      const t = lookup(name)!;
      // A graph output that is a feed or an initializer is copied, so the caller never aliases them.
      const aliased = feeds[name] === t || graph.initializers.get(name) === t;
      out[name] = aliased ? t.clone() : t;
    }
    return out;
  }

  dispose(): void {
    this.graph = null;
    this.steps = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * The reference backend: plain TypeScript kernels for every IR op, on the CPU. It is the oracle the other backends
 * are tested against. `compile` checks that every node has a kernel and every value is defined before it returns.
 */
export const referenceBackend: Backend = Object.freeze({
  name: 'reference',
  async devices(): Promise<readonly DeviceInfo[]> {
    return [{ device: 'cpu', available: true }];
  },
  async compile(graph: Graph, options: CompileOptions = {}): Promise<CompiledModel> {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
    }
    const device = options.device ?? 'cpu';
    if (!DEVICES.includes(device)) {
      throw new RangeError(
        `options.device: expected one of ${DEVICES.map((d) => JSON.stringify(d)).join(', ')}, got ${describeValue(device)}`,
      );
    }
    checkGraph(graph);
    return new ReferenceModel(graph, plan(graph));
  },
});
