import { describeValue } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { Module } from './module.js';
import { isValue } from './trace.js';

function assertModule(m: unknown, argName: string, ctx: string): asserts m is Module {
  if (!(m instanceof Module)) throw new TypeError(`${ctx}: ${argName}: expected a Module, got ${describeValue(m)}`);
}

/**
 * Modules run one after another (PyTorch `nn.Sequential`). Children are named '0', '1', ... by position, or by the
 * keys of a record or Map given as the only argument (`new Sequential({ conv: ..., relu: ... })`).
 */
export class Sequential extends Module {
  readonly #items: Module[] = [];

  constructor(...modules: Module[] | [Readonly<Record<string, Module>> | ReadonlyMap<string, Module>]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      const entries = first instanceof Map ? [...first.entries()] : Object.entries(first);
      for (const [name, m] of entries) {
        assertModule(m, `modules[${JSON.stringify(name)}]`, 'Sequential');
        this.registerModule(name, m);
        this.#items.push(m);
      }
      return;
    }
    for (const m of modules) this.append(m as Module);
  }

  /** Adds a module at the end, named by its position. */
  append(module: Module): this {
    assertModule(module, `modules[${this.#items.length}]`, 'Sequential');
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const i = Number.isInteger(index) && index < 0 ? index + this.#items.length : index;
    const m = Number.isInteger(i) ? this.#items[i] : undefined;
    if (!m)
      throw new RangeError(
        `Sequential.at: index: expected an integer in [${-this.length}, ${this.length - 1}], got ${describeValue(index)}`,
      );
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  override forward(x: Value): Value {
    let out: unknown = x;
    for (const [i, m] of this.#items.entries()) {
      if (!isValue(out))
        throw new TypeError(
          `Sequential: module ${i} needs one value, but the previous module returned ${describeValue(out)}`,
        );
      out = m.forward(out);
    }
    if (!isValue(out))
      throw new TypeError(`Sequential: the last module returned ${describeValue(out)}, expected one value`);
    return out;
  }
}

/** A list of modules registered as '0', '1', ... (PyTorch `nn.ModuleList`); iterate it in the parent's forward. */
export class ModuleList extends Module {
  readonly #items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    this.extend(modules);
  }

  append(module: Module): this {
    assertModule(module, `modules[${this.#items.length}]`, 'ModuleList');
    this.registerModule(String(this.#items.length), module);
    this.#items.push(module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList: modules: expected an iterable of Modules, got ${describeValue(modules)}`);
    }
    for (const m of modules) this.append(m);
    return this;
  }

  get length(): number {
    return this.#items.length;
  }

  at(index: number): Module {
    const i = Number.isInteger(index) && index < 0 ? index + this.#items.length : index;
    const m = Number.isInteger(i) ? this.#items[i] : undefined;
    if (!m)
      throw new RangeError(
        `ModuleList.at: index: expected an integer in [${-this.length}, ${this.length - 1}], got ${describeValue(index)}`,
      );
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  override forward(): never {
    throw new TypeError('ModuleList has no forward: iterate it in the forward of the module that holds it');
  }
}
