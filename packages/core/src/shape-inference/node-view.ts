import { type DType, isFloatDType } from '../dtype.js';
import { DTypeError, describeValue, ShapeError } from '../errors.js';
import type { Attrs, AttrValue, Dim, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import type { InferContext, InferredValue, ShapeRule } from './types.js';

/**
 * A node seen by a shape rule: its inputs, attributes and context, with readers that validate as they read and
 * errors that start with `path (Op): `.
 */
export class NodeView {
  readonly op: string;
  readonly inputs: readonly (ValueInfo | null)[];
  readonly attrs: Attrs;
  readonly ctx: InferContext;

  constructor(op: string, inputs: readonly (ValueInfo | null)[], attrs: Attrs, ctx: InferContext) {
    this.op = op;
    this.inputs = inputs;
    this.attrs = attrs;
    this.ctx = ctx;
  }

  /** `layer1.0.conv1 (Conv)`. */
  get where(): string {
    return `${this.ctx.path} (${this.op})`;
  }

  shapeError(message: string): ShapeError {
    return new ShapeError(`${this.where}: ${message}`);
  }

  /**
   * Checks the inputs against their names (`'B?'` marks an optional one): required inputs present, no extra ones.
   * Returns them in order, null where an optional input is omitted.
   */
  take(names: readonly string[]): (ValueInfo | null)[] {
    if (this.inputs.length > names.length) {
      throw this.shapeError(
        `expected at most ${names.length} inputs (${names.map((s) => s.replace('?', '')).join(', ')}), ` +
          `got ${this.inputs.length}`,
      );
    }
    return names.map((spec, i) => {
      const v = this.inputs[i] ?? null;
      if (v === null && !spec.endsWith('?')) throw this.shapeError(`input ${i} (${spec}) is required`);
      return v;
    });
  }

  /** Requires a float32/float16 value; `like` (if given) must have the same dtype. */
  requireFloat(v: ValueInfo, name: string, like?: { value: ValueInfo; name: string }): void {
    if (!isFloatDType(v.dtype)) {
      throw new DTypeError(`${this.where}: ${name} must be float32 or float16, got ${v.dtype}`);
    }
    if (like) this.requireSameDType(v, name, like.value, like.name);
  }

  requireSameDType(v: ValueInfo, name: string, ref: ValueInfo, refName: string): void {
    if (v.dtype !== ref.dtype) {
      throw new DTypeError(`${this.where}: ${name} is ${v.dtype} but ${refName} is ${ref.dtype}; they must match`);
    }
  }

  /** Requires a dtype usable in arithmetic (not bool). */
  requireNumeric(v: ValueInfo, name: string): void {
    if (v.dtype === 'bool') throw new DTypeError(`${this.where}: ${name} must be a numeric dtype, got bool`);
  }

  requireRank(v: ValueInfo, name: string, ranks: readonly number[] | { min: number }): void {
    const ok = Array.isArray(ranks) ? ranks.includes(v.shape.length) : v.shape.length >= (ranks as { min: number }).min;
    if (!ok) {
      const expected = Array.isArray(ranks)
        ? `rank ${ranks.join(' or ')}`
        : `rank >= ${(ranks as { min: number }).min}`;
      throw this.shapeError(`${name} must have ${expected}, got shape ${formatShape(v.shape)}`);
    }
  }

  has(name: string): boolean {
    return this.attrs[name] !== undefined;
  }

  private raw(name: string): AttrValue | undefined {
    return this.attrs[name];
  }

  int(name: string, fallback: number, min = Number.NEGATIVE_INFINITY): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'number')
      throw new TypeError(`${this.where}: attribute ${name}: expected an integer, got ${describeValue(v)}`);
    if (!Number.isInteger(v) || v < min) {
      const bound = min === Number.NEGATIVE_INFINITY ? '' : ` >= ${min}`;
      throw new RangeError(`${this.where}: attribute ${name}: expected an integer${bound}, got ${describeValue(v)}`);
    }
    return v;
  }

  /** A 0/1 flag attribute. */
  flag(name: string, fallback: 0 | 1): boolean {
    const v = this.int(name, fallback);
    if (v !== 0 && v !== 1) throw new RangeError(`${this.where}: attribute ${name}: expected 0 or 1, got ${v}`);
    return v === 1;
  }

  float(name: string, fallback: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'number')
      throw new TypeError(`${this.where}: attribute ${name}: expected a number, got ${describeValue(v)}`);
    if (Number.isNaN(v)) throw new RangeError(`${this.where}: attribute ${name}: expected a number, got NaN`);
    return v;
  }

  /** An int-list attribute, or undefined if absent. */
  ints(name: string, min = Number.NEGATIVE_INFINITY): number[] | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v))
      throw new TypeError(`${this.where}: attribute ${name}: expected a list of integers, got ${describeValue(v)}`);
    for (const [i, x] of v.entries()) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
        const bound = min === Number.NEGATIVE_INFINITY ? '' : ` >= ${min}`;
        throw new RangeError(
          `${this.where}: attribute ${name}[${i}]: expected an integer${bound}, got ${describeValue(x)} ` +
            `(in ${describeValue(v)})`,
        );
      }
    }
    return [...(v as number[])];
  }

  string<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw new RangeError(
        `${this.where}: attribute ${name}: expected one of ${allowed.map((s) => `'${s}'`).join(', ')}, ` +
          `got ${describeValue(v)}`,
      );
    }
    return v as T;
  }

  /** An axis attribute normalised into [0, rank) (or [0, rank] with `inclusive`). */
  axis(name: string, fallback: number | undefined, rank: number, inclusive = false): number {
    if (fallback === undefined && !this.has(name)) throw this.shapeError(`attribute ${name} is required`);
    const a = this.int(name, fallback ?? 0);
    return this.normAxis(a, rank, `attribute ${name}`, inclusive);
  }

  normAxis(a: number, rank: number, what: string, inclusive = false): number {
    const hi = inclusive ? rank : rank - 1;
    if (a < -rank || a > hi) {
      throw this.shapeError(`${what} ${a} is out of range [${-rank}, ${hi}] for an input of rank ${rank}`);
    }
    return a < 0 ? a + rank : a;
  }

  /**
   * The values of a constant int64 shape operand (Reshape's shape, Slice's starts, ...). The operand must be an
   * initializer: its values decide the output shape.
   */
  constInts(v: ValueInfo, name: string): number[] {
    if (v.dtype !== 'int64') throw new DTypeError(`${this.where}: ${name} must be int64, got ${v.dtype}`);
    const t = this.ctx.constantOf(v.name);
    if (t === undefined) {
      throw this.shapeError(
        `${name} (${JSON.stringify(v.name)}) must be a constant initializer: its values decide the output shape`,
      );
    }
    if (t.rank !== 1) throw this.shapeError(`${name} must be 1-D, got shape ${formatShape(t.shape)}`);
    return Array.from(t.data as BigInt64Array, Number);
  }

  /** The values of a constant float32 operand (Resize's scales). */
  constFloats(v: ValueInfo, name: string): number[] {
    if (v.dtype !== 'float32') throw new DTypeError(`${this.where}: ${name} must be float32, got ${v.dtype}`);
    const t = this.ctx.constantOf(v.name);
    if (t === undefined) {
      throw this.shapeError(
        `${name} (${JSON.stringify(v.name)}) must be a constant initializer: its values decide the output shape`,
      );
    }
    if (t.rank !== 1) throw this.shapeError(`${name} must be 1-D, got shape ${formatShape(t.shape)}`);
    return Array.from(t.data as Float32Array);
  }
}

/** Wraps a rule body written against NodeView. */
export function rule(op: string, body: (n: NodeView) => InferredValue[]): ShapeRule {
  return (inputs, attrs, ctx) => body(new NodeView(op, inputs, attrs, ctx));
}

/** One output with `dtype` and `shape`. */
export const one = (dtype: DType, shape: readonly Dim[]): InferredValue[] => [{ dtype, shape }];
