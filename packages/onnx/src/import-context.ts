/**
 * The state of one import: constants (initializers and folded values, materialized as IR initializers only when a
 * run-time node uses them), the value infos, and the IR nodes emitted so far, each checked by core's shape inference.
 */
import {
  type Attrs,
  type AttrValue,
  DataError,
  type Dim,
  type GraphNode,
  inferNode,
  type OpType,
  type Tensor,
  UnsupportedOpError,
  type ValueInfo,
} from '@striate/core';

export class Importer {
  readonly opset: number;
  readonly consts = new Map<string, Tensor>();
  readonly values = new Map<string, ValueInfo>();
  readonly initializers = new Map<string, Tensor>();
  readonly nodes: GraphNode[] = [];
  private readonly names = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(opset: number) {
    this.opset = opset;
  }

  reserve(name: string): void {
    this.names.add(name);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  freshNodeName(base: string): string {
    let name = base;
    for (let i = 1; this.nodeNames.has(name); i++) name = `${base}_${i}`;
    this.nodeNames.add(name);
    return name;
  }

  setConst(name: string, t: Tensor): void {
    this.reserve(name);
    this.consts.set(name, t);
    this.values.set(name, { name, dtype: t.dtype, shape: [...t.shape] });
  }

  /** Makes a constant available to run-time nodes as an initializer. */
  materialize(name: string): void {
    const t = this.consts.get(name);
    if (t && !this.initializers.has(name)) this.initializers.set(name, t);
  }

  info(name: string, where: string): ValueInfo {
    const v = this.values.get(name);
    if (!v) throw new DataError(`${where}: input ${JSON.stringify(name)} is not produced by any earlier node`);
    return v;
  }

  /**
   * Emits an IR node. Inputs: a value name ('' or null for an omitted optional input) or a Tensor (added as a new
   * initializer named after the node). Returns the output names.
   */
  emit(
    op: OpType,
    name: string,
    inputs: readonly (string | Tensor | null)[],
    attrs: Record<string, AttrValue | undefined>,
    outputs: readonly string[],
  ): string[] {
    const where = `${name} (${op})`;
    const inNames = inputs.map((v, i) => {
      if (v === null || v === '') return '';
      if (typeof v === 'string') {
        this.materialize(v);
        return v;
      }
      const n = this.fresh(`${name}.input${i}`);
      this.setConst(n, v);
      this.materialize(n);
      return n;
    });
    while (inNames.length > 0 && inNames[inNames.length - 1] === '') inNames.pop();
    const clean: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
    const infos = inNames.map((n) => (n === '' ? null : this.info(n, where)));
    const inferred = inferNode(op, infos, clean as Attrs, {
      path: name,
      constantOf: (n) => this.initializers.get(n) ?? this.consts.get(n),
    });
    if (inferred.length < outputs.length) {
      throw new UnsupportedOpError(
        op,
        `${where}: ${outputs.length} outputs are used, the IR op has ${inferred.length}`,
      );
    }
    outputs.forEach((o, i) => {
      this.reserve(o);
      this.values.set(o, { name: o, ...inferred[i]! });
    });
    this.nodes.push({ op, name: this.freshNodeName(name), inputs: inNames, outputs: [...outputs], attrs: clean });
    return [...outputs];
  }

  /** A static shape, or undefined when a dim is symbolic. */
  staticShape(name: string, where: string): number[] | undefined {
    const shape = this.info(name, where).shape;
    return shape.every((d: Dim) => typeof d === 'number') ? (shape as number[]) : undefined;
  }
}
