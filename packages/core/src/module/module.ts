import { describeValue } from '../errors.js';
import type { Attrs, Graph, OpType } from '../graph.js';
import type { Value } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { Parameter } from './parameter.js';
import {
  type LoadStateDictOptions,
  type LoadStateDictResult,
  loadStateDictInto,
  type StateDictInput,
} from './state-dict.js';
import {
  constantValue,
  type ForwardOutput,
  isTracingTraining,
  joinName,
  modulePath,
  recordOp,
  type ToGraphOptions,
  tensorValue,
  traceModule,
} from './trace.js';

type Slot<T> = Map<string, T | null>;

function assertMemberName(name: unknown, argName: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('.')) {
    throw new TypeError(`${argName}: expected a non-empty name without '.', got ${describeValue(name)}`);
  }
}

/**
 * The base class of all layers, as PyTorch's `nn.Module`. Children and parameters are discovered from the
 * instance's own properties, in assignment order (`this.conv1 = new Conv2d(...)`, `this.weight = new
 * Parameter(t)`; class fields count in declaration order); `registerModule` adds children whose names are not
 * identifiers ('0', '1', ...), `registerBuffer` adds buffers (BatchNorm's running statistics). Arrays of modules
 * are not discovered: use `ModuleList`.
 *
 * State dicts are `Map<string, Tensor>` in PyTorch's order (a module's own parameters, then its own buffers, then
 * its children, recursively) with dotted keys (`layer1.0.conv1.weight`); `loadStateDict` accepts a Map or a plain
 * object.
 *
 * `forward` receives graph values and records nodes through the protected helpers (`emit1`/`emit` add a node
 * named by the module path, `tensorValue` gives a parameter or buffer as an initializer named by its state_dict key,
 * `constant` adds a constant operand); functional ops (`functional.ts`) may be called from it too. `toGraph` traces
 * it into a Graph; during tracing, parents call their children's `forward` directly (`this.conv1.forward(x)`).
 */
export abstract class Module {
  /** Training mode flag (PyTorch's default: true). Tracing uses eval semantics unless `toGraph({ mode: 'preserve' })`. */
  training = true;
  readonly #parameters: Slot<Parameter> = new Map();
  readonly #buffers: Slot<Tensor> = new Map();
  readonly #nonPersistent = new Set<string>();
  readonly #modules: Slot<Module> = new Map();
  readonly #fromProperties = new Set<string>();

  abstract forward(...inputs: Value[]): ForwardOutput;

  /** Finds parameters and modules assigned to own properties since the last look (keeps first-seen order). */
  #sync(): void {
    const keys = Object.keys(this);
    const present = new Set(keys);
    for (const key of keys) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Parameter) this.#place(key, this.#parameters, v);
      else if (v instanceof Module) this.#place(key, this.#modules, v);
      else if (this.#fromProperties.has(key)) this.#clear(key);
    }
    for (const key of this.#fromProperties) if (!present.has(key)) this.#clear(key);
  }

  #place<T>(key: string, slot: Slot<T>, value: T): void {
    for (const other of [this.#parameters, this.#modules] as Slot<unknown>[]) {
      if (other !== slot) other.delete(key);
    }
    this.#buffers.delete(key);
    slot.set(key, value);
    this.#fromProperties.add(key);
  }

  #clear(key: string): void {
    for (const slot of [this.#parameters, this.#modules] as Slot<unknown>[]) if (slot.has(key)) slot.set(key, null);
  }

  /** Registers a child under `name` (any non-empty name without '.', e.g. '0'); null leaves an empty slot. */
  registerModule(name: string, module: Module | null): this {
    assertMemberName(name, 'name');
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`module: expected a Module or null, got ${describeValue(module)}`);
    }
    this.#sync();
    if (this.#parameters.has(name) || this.#buffers.has(name)) {
      throw new RangeError(
        `name: ${JSON.stringify(name)} is already a parameter or buffer of ${this.constructor.name}`,
      );
    }
    this.#modules.set(name, module);
    return this;
  }

  /** Registers a parameter under `name` (same as assigning it to a property of that name). */
  registerParameter(name: string, parameter: Parameter | null): this {
    assertMemberName(name, 'name');
    if (parameter !== null && !(parameter instanceof Parameter)) {
      throw new TypeError(`parameter: expected a Parameter or null, got ${describeValue(parameter)}`);
    }
    this.#sync();
    if (this.#modules.has(name) || this.#buffers.has(name)) {
      throw new RangeError(`name: ${JSON.stringify(name)} is already a module or buffer of ${this.constructor.name}`);
    }
    this.#parameters.set(name, parameter);
    return this;
  }

  /**
   * Registers a buffer: state that is saved in the state dict but is not a parameter (BatchNorm's running_mean).
   * `persistent: false` keeps it out of the state dict. Registering an existing buffer name replaces its tensor.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): this {
    assertMemberName(name, 'name');
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`tensor: expected a Tensor or null, got ${describeValue(tensor)}`);
    }
    this.#sync();
    if (this.#modules.has(name) || this.#parameters.has(name) || Object.hasOwn(this, name)) {
      throw new RangeError(`name: ${JSON.stringify(name)} is already an attribute of ${this.constructor.name}`);
    }
    this.#buffers.set(name, tensor);
    if (options.persistent === false) this.#nonPersistent.add(name);
    else this.#nonPersistent.delete(name);
    return this;
  }

  /** The buffer registered as `name` (throws a RangeError naming the known buffers when there is none). */
  getBuffer(name: string): Tensor | null {
    if (!this.#buffers.has(name)) {
      throw new RangeError(
        `name: ${this.constructor.name} has no buffer ${JSON.stringify(name)} (has ${[...this.#buffers.keys()].join(', ') || 'none'})`,
      );
    }
    return this.#buffers.get(name) ?? null;
  }

  /** Direct children, in registration order. */
  *namedChildren(): Generator<[string, Module]> {
    this.#sync();
    const seen = new Set<Module>();
    for (const [name, m] of this.#modules) {
      if (m && !seen.has(m)) {
        seen.add(m);
        yield [name, m];
      }
    }
  }

  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module (path '') and every descendant with its dotted path; a module reachable twice is listed once. */
  *namedModules(prefix = '', memo = new Set<Module>()): Generator<[string, Module]> {
    if (memo.has(this)) return;
    memo.add(this);
    yield [prefix, this];
    this.#sync();
    for (const [name, m] of this.#modules) if (m) yield* m.namedModules(joinName(prefix, name), memo);
  }

  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Parameters with their state_dict keys; a parameter shared by several modules is listed once (first key). */
  *namedParameters(options: { recurse?: boolean } = {}): Generator<[string, Parameter]> {
    const seen = new Set<Parameter>();
    const owners: [string, Module][] = options.recurse === false ? [['', this]] : [...this.namedModules()];
    for (const [path, m] of owners) {
      m.#sync();
      for (const [name, p] of m.#parameters) {
        if (p && !seen.has(p)) {
          seen.add(p);
          yield [joinName(path, name), p];
        }
      }
    }
  }

  *parameters(options: { recurse?: boolean } = {}): Generator<Parameter> {
    for (const [, p] of this.namedParameters(options)) yield p;
  }

  /** Buffers (persistent or not) with their state_dict keys. */
  *namedBuffers(options: { recurse?: boolean } = {}): Generator<[string, Tensor]> {
    const owners: [string, Module][] = options.recurse === false ? [['', this]] : [...this.namedModules()];
    for (const [path, m] of owners) {
      for (const [name, b] of m.#buffers) if (b) yield [joinName(path, name), b];
    }
  }

  *buffers(options: { recurse?: boolean } = {}): Generator<Tensor> {
    for (const [, b] of this.namedBuffers(options)) yield b;
  }

  /** Number of parameter elements (buffers excluded, as torchvision's counts); `trainable` counts requiresGrad only. */
  numParameters(options: { trainable?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!options.trainable || p.requiresGrad) n += p.numel;
    return n;
  }

  /**
   * The state dict: `Map<key, Tensor>` in PyTorch's order. The tensors are the module's own (not copies);
   * `loadStateDict` replaces them rather than writing into them.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const slot of this.#stateSlots()) out.set(slot.key, slot.get());
    return out;
  }

  /** One entry per state_dict key with a getter and a setter (used by loadStateDict). */
  #stateSlots(prefix = ''): { key: string; get(): Tensor; set(t: Tensor): void }[] {
    this.#sync();
    const slots: { key: string; get(): Tensor; set(t: Tensor): void }[] = [];
    for (const [name, p] of this.#parameters) {
      if (p)
        slots.push({
          key: joinName(prefix, name),
          get: () => p.data,
          set: (t) => {
            p.data = t as Tensor<'float32'>;
          },
        });
    }
    for (const [name, b] of this.#buffers) {
      if (b && !this.#nonPersistent.has(name)) {
        slots.push({
          key: joinName(prefix, name),
          get: () => this.#buffers.get(name)!,
          set: (t) => {
            this.#buffers.set(name, t);
          },
        });
      }
    }
    for (const [name, m] of this.#modules) if (m) slots.push(...m.#stateSlots(joinName(prefix, name)));
    return slots;
  }

  /**
   * Loads a state dict (a Map or a plain object of Tensors). Every missing, unexpected and shape-mismatched key is
   * collected and reported in one StateDictError; with `strict: false` missing and unexpected keys are ignored
   * (returned), shape mismatches still throw. Tensors are converted to the dtype of the slot they fill (float16
   * weights load as float32; num_batches_tracked stays int64). Nothing is changed when it throws.
   */
  loadStateDict(dict: StateDictInput, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateDictInto(this.#stateSlots(), dict, options);
  }

  /** Sets training mode on this module and all descendants. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`mode: expected a boolean, got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets eval mode (Dropout off, BatchNorm uses running statistics). */
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every descendant (children first) and then on this module, as PyTorch's `apply`. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** The descendant at a dotted path ('' is this module). */
  getSubmodule(path: string): Module {
    if (typeof path !== 'string') throw new TypeError(`path: expected a string, got ${describeValue(path)}`);
    let m: Module = this;
    if (path === '') return m;
    for (const part of path.split('.')) {
      m.#sync();
      const next = m.#modules.get(part);
      if (!next) {
        throw new RangeError(
          `path: ${m.constructor.name} has no submodule ${JSON.stringify(part)} (in ${JSON.stringify(path)})`,
        );
      }
      m = next;
    }
    return m;
  }

  /** Traces `forward` into a Graph; see `ToGraphOptions`. */
  toGraph(options: ToGraphOptions): Graph {
    return traceModule(this, options);
  }

  // --- helpers for forward implementations ---

  /** This module's path in the trace that `x` belongs to. */
  protected pathIn(x: Value): string {
    return modulePath(x.builder, this);
  }

  /** Records a node named by this module's path (plus `.suffix`); returns its outputs. */
  protected emit(
    x: Value,
    op: OpType,
    inputs: readonly (Value | null)[],
    attrs: Attrs = {},
    options: { suffix?: string; outputs?: number } = {},
  ): Value[] {
    return recordOp(x.builder, op, inputs, attrs, joinName(this.pathIn(x), options.suffix), options.outputs);
  }

  /** Records a single-output node (see `emit`). */
  protected emit1(x: Value, op: OpType, inputs: readonly (Value | null)[], attrs: Attrs = {}, suffix?: string): Value {
    return this.emit(x, op, inputs, attrs, { suffix })[0]!;
  }

  /** The initializer of this module's parameter or buffer `name` (named by its state_dict key). */
  protected tensorValue(x: Value, name: string): Value {
    this.#sync();
    const p = this.#parameters.get(name) ?? this.#buffers.get(name);
    if (!p) throw new RangeError(`name: ${this.constructor.name} has no parameter or buffer ${JSON.stringify(name)}`);
    return tensorValue(x.builder, this, p, name);
  }

  /** A constant operand named `<path>.<suffix>`. */
  protected constant(x: Value, suffix: string, t: Tensor): Value {
    return constantValue(x.builder, joinName(this.pathIn(x), suffix), t);
  }

  /** Whether this module traces with training semantics (only under `toGraph({ mode: 'preserve' })`). */
  protected tracingTraining(x: Value): boolean {
    return isTracingTraining(x.builder, this);
  }
}
