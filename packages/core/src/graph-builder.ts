import type { DType } from './dtype.js';
import { describeValue, ShapeError } from './errors.js';
import { type Attrs, type Dim, type Graph, type GraphNode, OP_TYPES, type OpType, type ValueInfo } from './graph.js';
import { inferNode } from './shape-inference/index.js';
import type { Tensor } from './tensor.js';

/** A symbolic value while a graph is being built: its name, dtype and inferred shape. */
export interface Value extends ValueInfo {
  readonly builder: GraphBuilder;
}

export interface OpOptions {
  /** Node name, usually the module path (`layer1.0.conv1`); made unique with a suffix if taken. */
  readonly name: string;
  /** Number of outputs (default 1). */
  readonly outputs?: number;
}

/**
 * Records nodes into a Graph, running shape inference for each node as it is added, so a bad configuration fails
 * where it is built with the node's path and the formula (see `shape-inference/`).
 */
export class GraphBuilder {
  readonly name: string;
  private readonly nodes: GraphNode[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers = new Map<string, Tensor>();
  private readonly values = new Map<string, ValueInfo>();
  private readonly usedNodeNames = new Set<string>();

  constructor(name = 'graph') {
    this.name = name;
  }

  private value(info: ValueInfo): Value {
    this.values.set(info.name, info);
    return { ...info, builder: this };
  }

  private assertFreshName(name: string, argName: string): void {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError(`${argName}: expected a non-empty string, got ${describeValue(name)}`);
    }
    if (this.values.has(name)) throw new RangeError(`${argName}: a value named ${JSON.stringify(name)} already exists`);
  }

  /** Declares a graph input. String dims are symbolic (e.g. 'N' for the batch). */
  input(name: string, dtype: DType, shape: readonly Dim[]): Value {
    this.assertFreshName(name, 'name');
    const info: ValueInfo = { name, dtype, shape: [...shape] };
    this.inputs.push(info);
    return this.value(info);
  }

  /** Adds a named initializer (a weight or a constant operand). */
  initializer(name: string, tensor: Tensor): Value {
    this.assertFreshName(name, 'name');
    this.initializers.set(name, tensor);
    return this.value({ name, dtype: tensor.dtype, shape: [...tensor.shape] });
  }

  /** The constant data behind a value, if it is an initializer. */
  constantOf(name: string): Tensor | undefined {
    return this.initializers.get(name);
  }

  /** A fresh value name derived from `base`. */
  uniqueValueName(base: string): string {
    if (!this.values.has(base)) return base;
    for (let i = 1; ; i++) if (!this.values.has(`${base}_${i}`)) return `${base}_${i}`;
  }

  private uniqueNodeName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNodeNames.has(name); i++) name = `${base}_${i}`;
    this.usedNodeNames.add(name);
    return name;
  }

  /**
   * Adds a node. `null` inputs are omitted optional inputs (ONNX's empty name). Returns the output values with
   * their inferred dtypes and shapes.
   */
  op(op: OpType, inputs: readonly (Value | null)[], attrs: Attrs, options: OpOptions): Value[] {
    if (!(OP_TYPES as readonly string[]).includes(op)) {
      throw new RangeError(`op: expected one of the IR op types (${OP_TYPES.join(', ')}), got ${JSON.stringify(op)}`);
    }
    for (const [i, v] of inputs.entries()) {
      if (v !== null && v.builder !== this) {
        throw new RangeError(`inputs[${i}]: value ${JSON.stringify(v.name)} belongs to another graph builder`);
      }
    }
    const name = this.uniqueNodeName(options.name);
    const infos = inputs.map((v) => (v === null ? null : (this.values.get(v.name) ?? v)));
    const inferred = inferNode(op, infos, attrs, {
      path: name,
      constantOf: (valueName) => this.initializers.get(valueName),
    });
    const count = options.outputs ?? 1;
    if (inferred.length !== count) {
      throw new ShapeError(`${name} (${op}): shape inference gave ${inferred.length} outputs, expected ${count}`);
    }
    const outputs = inferred.map((info, i) =>
      this.value({ name: this.uniqueValueName(count === 1 ? name : `${name}:${i}`), ...info }),
    );
    this.nodes.push({
      op,
      name,
      inputs: inputs.map((v) => (v === null ? '' : v.name)),
      outputs: outputs.map((v) => v.name),
      attrs,
    });
    return outputs;
  }

  /** Marks a value as a graph output (optionally under a new name, through an Identity node). */
  output(value: Value, name?: string): Value {
    let out = value;
    if (name !== undefined && name !== value.name) {
      this.assertFreshName(name, 'name');
      const [renamed] = this.op('Identity', [value], {}, { name });
      out = renamed!;
      if (out.name !== name) throw new RangeError(`name: output name ${JSON.stringify(name)} is taken`);
    }
    this.outputs.push({ name: out.name, dtype: out.dtype, shape: out.shape });
    return out;
  }

  build(): Graph {
    if (this.outputs.length === 0) throw new RangeError('GraphBuilder.build: the graph has no outputs');
    return {
      name: this.name,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      nodes: [...this.nodes],
      initializers: new Map(this.initializers),
      values: new Map(this.values),
    };
  }
}
