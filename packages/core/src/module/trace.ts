/**
 * Tracing a Module's `forward` into a Graph. While `toGraph` runs, each builder has a trace state: the path of
 * every module (its state_dict prefix), the state_dict key of every parameter and buffer (so the initializers are
 * named by them), and a stack of the modules whose `forward` is running (so functional ops get the calling
 * module's path). A module used with a bare GraphBuilder (no `toGraph`) gets a state on first use, with paths made
 * from class names.
 */
import type { DType } from '../dtype.js';
import { DTypeError, describeValue, ShapeError, StriateError, UnsupportedOpError } from '../errors.js';
import type { Attrs, Dim, Graph, GraphNode, OpType, ValueInfo } from '../graph.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import type { Tensor } from '../tensor.js';
import type { Parameter } from './parameter.js';

/** What a module's `forward` returns: one value, a list, or named values. */
export type ForwardOutput = Value | readonly Value[] | Readonly<Record<string, Value>>;

/** The module interface tracing needs (a structural view of `Module`, to keep imports one-way). */
export interface Traceable {
  training: boolean;
  forward(...inputs: Value[]): ForwardOutput;
  namedModules(): Iterable<[string, Traceable]>;
  namedParameters(): Iterable<[string, Parameter]>;
  namedBuffers(): Iterable<[string, Tensor]>;
}

/** How `toGraph` treats Dropout and BatchNorm: 'eval' (default, as torch.onnx.export) or each module's flag. */
export type TraceMode = 'eval' | 'preserve';

export type InputSpec = readonly Dim[] | { readonly shape: readonly Dim[]; readonly dtype?: DType };

export interface ToGraphOptions {
  /** Graph inputs in order, passed to `forward` in that order: `{ input: ['N', 3, 224, 224] }` (float32). */
  readonly inputs: Readonly<Record<string, InputSpec>>;
  /** Output names; default 'output' for one value, the record's keys, or 'output0', 'output1', ... for a list. */
  readonly outputs?: readonly string[];
  /** 'eval' (default): eval semantics whatever the modules' `training` flags; 'preserve': each module's flag. */
  readonly mode?: TraceMode;
  /** Graph name (default: the module's class name). */
  readonly name?: string;
}

interface TraceState {
  readonly builder: GraphBuilder;
  readonly mode: TraceMode;
  readonly paths: Map<object, string>;
  readonly usedPaths: Set<string>;
  readonly tensorNames: Map<object, string>;
  readonly tensorValues: Map<object, Value>;
  readonly scope: string[];
}

const TRACES = new WeakMap<GraphBuilder, TraceState>();

function newState(builder: GraphBuilder, mode: TraceMode): TraceState {
  const state: TraceState = {
    builder,
    mode,
    paths: new Map(),
    usedPaths: new Set(),
    tensorNames: new Map(),
    tensorValues: new Map(),
    scope: [],
  };
  TRACES.set(builder, state);
  return state;
}

function stateOf(builder: GraphBuilder): TraceState {
  return TRACES.get(builder) ?? newState(builder, 'eval');
}

/** Whether `v` is a graph value (from a GraphBuilder). */
export function isValue(v: unknown): v is Value {
  return typeof v === 'object' && v !== null && (v as Value).builder instanceof GraphBuilder;
}

/** The path of `module` in the trace of `builder` ('' for the root); unknown modules get one from their class. */
export function modulePath(builder: GraphBuilder, module: object): string {
  const state = stateOf(builder);
  const known = state.paths.get(module);
  if (known !== undefined) return known;
  const base = module.constructor.name.toLowerCase() || 'module';
  let path = base;
  for (let i = 1; state.usedPaths.has(path); i++) path = `${base}_${i}`;
  state.paths.set(module, path);
  state.usedPaths.add(path);
  return path;
}

/** `path.suffix`, or `suffix` alone at the root. */
export function joinName(path: string, suffix?: string): string {
  if (suffix === undefined || suffix === '') return path === '' ? 'root' : path;
  return path === '' ? suffix : `${path}.${suffix}`;
}

/** The name for a functional op: the running module's path plus the op. */
export function scopedName(builder: GraphBuilder, suffix: string): string {
  const scope = stateOf(builder).scope;
  return joinName(scope.length > 0 ? scope[scope.length - 1]! : '', suffix);
}

/** Whether `module` runs with training semantics in this trace. */
export function isTracingTraining(builder: GraphBuilder, module: { training: boolean }): boolean {
  return stateOf(builder).mode === 'preserve' && module.training;
}

function withPath(error: unknown, name: string): unknown {
  if (!(error instanceof StriateError) || error.message.includes(name)) return error;
  const message = `${name}: ${error.message}`;
  if (error instanceof ShapeError) return new ShapeError(message, { cause: error });
  if (error instanceof DTypeError) return new DTypeError(message, { cause: error });
  if (error instanceof UnsupportedOpError) return new UnsupportedOpError(error.opType, message, { cause: error });
  return error;
}

/** Adds a node; errors from shape inference that do not already name the node are prefixed with its name. */
export function recordOp(
  builder: GraphBuilder,
  op: OpType,
  inputs: readonly (Value | null)[],
  attrs: Attrs,
  name: string,
  outputs = 1,
): Value[] {
  try {
    return builder.op(op, inputs, attrs, { name, outputs });
  } catch (error) {
    throw withPath(error, name);
  }
}

/** The initializer of a parameter or buffer, named by its state_dict key (added on first use). */
export function tensorValue(
  builder: GraphBuilder,
  owner: object,
  tensor: Parameter | Tensor,
  localName: string,
): Value {
  const state = stateOf(builder);
  const cached = state.tensorValues.get(tensor);
  if (cached) return cached;
  const data = 'requiresGrad' in tensor ? tensor.data : tensor;
  const name =
    state.tensorNames.get(tensor) ?? builder.uniqueValueName(joinName(modulePath(builder, owner), localName));
  if (builder.uniqueValueName(name) !== name) {
    throw new RangeError(`${name}: the initializer name is already taken by another value of the graph`);
  }
  const value = builder.initializer(name, data);
  state.tensorValues.set(tensor, value);
  return value;
}

/** A constant operand (shape, pads, scales, ...) as an initializer named `<node>.<suffix>`. */
export function constantValue(builder: GraphBuilder, name: string, tensor: Tensor): Value {
  return builder.initializer(builder.uniqueValueName(name), tensor);
}

function normalizeInputs(inputs: unknown): [string, DType, Dim[]][] {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new TypeError(
      `inputs: expected a record such as { input: ['N', 3, 224, 224] }, got ${describeValue(inputs)}`,
    );
  }
  const entries = Object.entries(inputs as Record<string, unknown>);
  if (entries.length === 0) throw new RangeError('inputs: expected at least one graph input, got none');
  return entries.map(([name, spec]) => {
    const shape = Array.isArray(spec) ? spec : (spec as { shape?: unknown } | null)?.shape;
    const dtype = Array.isArray(spec) ? 'float32' : ((spec as { dtype?: DType }).dtype ?? 'float32');
    if (!Array.isArray(shape)) {
      throw new TypeError(`inputs.${name}: expected an array of dims or { shape, dtype }, got ${describeValue(spec)}`);
    }
    shape.forEach((d, i) => {
      const ok = typeof d === 'string' ? d.length > 0 : Number.isInteger(d) && (d as number) >= 0;
      if (!ok) {
        throw new RangeError(
          `inputs.${name}[${i}]: expected a non-negative integer or a symbol name, got ${describeValue(d)}`,
        );
      }
    });
    return [name, dtype, shape as Dim[]];
  });
}

function collectOutputs(result: unknown, names: readonly string[] | undefined): [string, Value][] {
  let pairs: [string, unknown][];
  if (isValue(result)) pairs = [['output', result]];
  else if (Array.isArray(result)) pairs = result.map((v, i) => [`output${i}`, v]);
  else if (typeof result === 'object' && result !== null) pairs = Object.entries(result);
  else throw new TypeError(`forward: expected a value, a list or a record of values, got ${describeValue(result)}`);
  if (pairs.length === 0) throw new RangeError('forward: returned no values, so the graph would have no outputs');
  if (names !== undefined) {
    if (!Array.isArray(names) || names.length !== pairs.length) {
      throw new RangeError(
        `outputs: expected ${pairs.length} names (one per returned value), got ${describeValue(names)}`,
      );
    }
    pairs = pairs.map(([, v], i) => [names[i]!, v]);
  }
  const seen = new Set<string>();
  for (const [name, v] of pairs) {
    if (!isValue(v))
      throw new TypeError(`forward: output ${JSON.stringify(name)} is not a graph value: ${describeValue(v)}`);
    if (typeof name !== 'string' || name.length === 0 || seen.has(name)) {
      throw new RangeError(`outputs: expected distinct non-empty names, got ${describeValue(name)} twice or empty`);
    }
    seen.add(name);
  }
  return pairs as [string, Value][];
}

function renameValues(graph: Graph, renames: ReadonlyMap<string, string>): Graph {
  if (renames.size === 0) return graph;
  const r = (n: string): string => renames.get(n) ?? n;
  const nodes: GraphNode[] = graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) }));
  const values = new Map<string, ValueInfo>();
  for (const [name, info] of graph.values) values.set(r(name), { ...info, name: r(name) });
  const outputs = graph.outputs.map((o) => ({ ...o, name: r(o.name) }));
  return { ...graph, nodes, values, outputs };
}

function patchForwards(root: Traceable, state: TraceState): () => void {
  const restores: (() => void)[] = [];
  for (const [path, m] of root.namedModules()) {
    const own = Object.getOwnPropertyDescriptor(m, 'forward');
    const original = m.forward;
    Object.defineProperty(m, 'forward', {
      configurable: true,
      enumerable: false,
      writable: true,
      value: (...args: Value[]) => {
        state.scope.push(path);
        try {
          return original.apply(m, args);
        } finally {
          state.scope.pop();
        }
      },
    });
    restores.push(() => {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as { forward?: unknown }).forward;
    });
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

/** Traces `root.forward` into a Graph (see `Module.toGraph`). */
export function traceModule(root: Traceable, options: ToGraphOptions): Graph {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected { inputs: { input: [N, C, H, W] } }, got ${describeValue(options)}`);
  }
  const mode = options.mode ?? 'eval';
  if (mode !== 'eval' && mode !== 'preserve') {
    throw new RangeError(`mode: expected 'eval' or 'preserve', got ${describeValue(mode)}`);
  }
  const inputs = normalizeInputs(options.inputs);
  const builder = new GraphBuilder(options.name ?? root.constructor.name);
  const state = newState(builder, mode);
  for (const [path, m] of root.namedModules()) {
    if (!state.paths.has(m)) state.paths.set(m, path);
    state.usedPaths.add(path);
  }
  for (const [key, p] of root.namedParameters()) if (!state.tensorNames.has(p)) state.tensorNames.set(p, key);
  for (const [key, b] of root.namedBuffers()) if (!state.tensorNames.has(b)) state.tensorNames.set(b, key);
  const values = inputs.map(([name, dtype, shape]) => builder.input(name, dtype, shape));
  const inputNames = new Set(values.map((v) => v.name));
  const restore = patchForwards(root, state);
  let result: unknown;
  try {
    result = root.forward(...values);
  } finally {
    restore();
  }
  const renames = new Map<string, string>();
  const taken = new Set<string>();
  for (const [name, value] of collectOutputs(result, options.outputs)) {
    if (value.builder !== builder)
      throw new RangeError(`forward: output ${JSON.stringify(name)} is from another graph`);
    const produced = !inputNames.has(value.name) && builder.constantOf(value.name) === undefined;
    if (value.name === name && !taken.has(value.name)) {
      builder.output(value);
    } else if (
      produced &&
      !taken.has(value.name) &&
      builder.uniqueValueName(name) === name &&
      !renames.has(value.name)
    ) {
      builder.output(value);
      renames.set(value.name, name);
    } else {
      builder.output(value, name);
    }
    taken.add(value.name);
  }
  return renameValues(builder.build(), renames);
}
