import type { Attrs, Graph, OpType } from '../graph.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import { Rng } from '../rng.js';
import { Tensor } from '../tensor.js';

/** One conformance case: a small graph around one IR op, with seeded inputs. */
export interface ConformanceCase {
  /** Unique and stable, `Op/what it covers` (e.g. `Conv/depthwise 3x3`); filters and known gaps match on it. */
  readonly id: string;
  /** The op under test (its tolerance applies). */
  readonly op: OpType;
  /** Builds the graph and its feeds; the same seed (from the id) every time. */
  build(): { readonly graph: Graph; readonly feeds: Record<string, Tensor> };
}

/** What a case body gets: a builder, seeded inputs and weights, and shorthands for constant operands. */
export class CaseContext {
  readonly b: GraphBuilder;
  readonly rng: Rng;
  readonly feeds: Record<string, Tensor> = {};
  private count = 0;

  constructor(name: string, seed: number) {
    this.b = new GraphBuilder(name);
    this.rng = new Rng(seed);
  }

  private name(prefix: string): string {
    return `${prefix}${this.count++}`;
  }

  /** A float32 graph input fed with N(0, 1) values (or uniform in [low, high) when given). */
  input(shape: readonly number[], range?: readonly [number, number]): Value {
    const name = this.name('x');
    const n = shape.reduce((a, d) => a * d, 1);
    const data = range ? this.rng.uniformArray(n, range[0], range[1]) : this.rng.normalArray(n);
    this.feeds[name] = new Tensor('float32', shape, data);
    return this.b.input(name, 'float32', shape);
  }

  /** A float32 initializer with N(0, std) values (or uniform in [low, high) when given). */
  weight(shape: readonly number[], range?: readonly [number, number], std = 0.5): Value {
    const n = shape.reduce((a, d) => a * d, 1);
    const data = range ? this.rng.uniformArray(n, range[0], range[1]) : this.rng.normalArray(n, 0, std);
    return this.b.initializer(this.name('w'), new Tensor('float32', shape, data));
  }

  /** An int64 initializer (a shape-like operand). */
  ints(values: readonly number[]): Value {
    return this.b.initializer(this.name('i'), new Tensor('int64', [values.length], BigInt64Array.from(values, BigInt)));
  }

  /** A float32 initializer with the given values (1-D, or `shape`). */
  floats(values: readonly number[], shape: readonly number[] = [values.length]): Value {
    return this.b.initializer(this.name('f'), new Tensor('float32', shape, Float32Array.from(values)));
  }

  op(op: OpType, inputs: readonly (Value | null)[], attrs: Attrs = {}, outputs = 1): Value[] {
    return this.b.op(op, inputs, attrs, { name: this.name(op.toLowerCase()), outputs });
  }

  /** One-output shorthand of `op`. */
  op1(op: OpType, inputs: readonly (Value | null)[], attrs: Attrs = {}): Value {
    return this.op(op, inputs, attrs)[0]!;
  }
}

/** FNV-1a of the id: each case gets its own fixed seed. */
function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Declares a case: `body` records the op (and its operands) and returns the value(s) to compare. */
export function defineCase(
  id: string,
  op: OpType,
  body: (c: CaseContext) => Value | readonly Value[],
): ConformanceCase {
  return Object.freeze({
    id,
    op,
    build() {
      const c = new CaseContext(id.replace(/[^A-Za-z0-9_]+/g, '_'), seedOf(id));
      const result = body(c);
      const outs = Array.isArray(result) ? (result as readonly Value[]) : [result as Value];
      outs.forEach((v, i) => {
        c.b.output(v, `y${i}`);
      });
      return { graph: c.b.build(), feeds: c.feeds };
    },
  });
}
