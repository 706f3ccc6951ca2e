import { type Graph, type GraphNode, type Tensor, UnsupportedOpError } from '@striate/core';
import type { Tensor as TfTensor, Variable } from '@tensorflow/tfjs-core';
import { floatsOf, numberAttr, where } from '../internal/attrs.js';
import { nhwc, type Prepared, req, toNhwc, type Val } from '../internal/op-types.js';
import type { Tf } from '../internal/runtime.js';
import { TFJS_OPS } from '../op-table.js';

/** A BatchNormalization node's running statistics, to update after a training step. */
export interface BatchStats {
  readonly meanName: string;
  readonly varName: string;
  readonly momentum: number | null;
  readonly mean: TfTensor;
  /** Unbiased (n / (n - 1)), as PyTorch stores in running_var. */
  readonly variance: TfTensor;
}

interface Step {
  readonly node: GraphNode;
  readonly prepared: Prepared;
}

/**
 * Runs a graph differentiably: the module's parameters and buffers are tfjs Variables looked up by their state-dict
 * names (the graph's initializer names), every other initializer (shape operands, ratios) is a constant. In
 * training, BatchNormalization uses batch statistics (and reports them) and Dropout drops.
 */
export class TrainGraph {
  private readonly steps: Step[];
  private readonly owned: TfTensor[] = [];
  private readonly consts = new Map<string, TfTensor>();

  constructor(
    private readonly tf: Tf,
    private readonly graph: Graph,
    private readonly vars: ReadonlyMap<string, Variable>,
    private readonly momentumOf: (path: string) => number | null,
  ) {
    this.steps = graph.nodes.map((node) => {
      const def = TFJS_OPS[node.op];
      if (!def) throw new UnsupportedOpError(node.op, `train: ${where(node)} has no tfjs implementation`);
      const prepared = def({
        tf,
        node,
        constant: (k) => {
          const name = node.inputs[k];
          return name && !vars.has(name) ? graph.initializers.get(name) : undefined;
        },
        own: (t) => {
          this.owned.push(t);
          return t;
        },
      });
      return { node, prepared };
    });
    for (const [name, t] of graph.initializers) {
      if (!vars.has(name) && t.dtype === 'float32') {
        const u = tf.tensor(t.data as Float32Array, [...t.shape]);
        this.owned.push(u);
        this.consts.set(name, u);
      }
    }
  }

  /**
   * Forward pass on a batch (NCHW input); returns the first output (NCHW order) and, in training, the batch
   * statistics of each BatchNormalization. Call inside tf.tidy / tf.variableGrads.
   */
  forward(input: TfTensor, training: boolean, seed: number): { output: TfTensor; stats: BatchStats[] } {
    const { tf, graph } = this;
    const env = new Map<string, Val>([[graph.inputs[0]!.name, { t: input, nhwc: false }]]);
    const stats: BatchStats[] = [];
    const lookup = (name: string): Val | null => {
      if (name === '') return null;
      const v = env.get(name) ?? null;
      if (v) return v;
      const t = this.vars.get(name) ?? this.consts.get(name);
      return t ? { t, nhwc: false } : null;
    };
    let dropouts = 0;
    for (const { node, prepared } of this.steps) {
      const ins = node.inputs.map(lookup);
      let outs: Val[];
      if (training && node.op === 'BatchNormalization') {
        outs = [this.batchNormTrain(node, ins, stats)];
      } else if (training && node.op === 'Dropout') {
        const x = req(ins, 0, 'data', node);
        const ratioT = node.inputs[1] ? graph.initializers.get(node.inputs[1]) : undefined;
        const p = ratioT ? floatsOf(ratioT as Tensor)[0]! : 0.5;
        if (p === 0) outs = [x];
        else {
          const keep = tf.greaterEqual(tf.randomUniform(x.t.shape, 0, 1, 'float32', seed * 7919 + dropouts++), p);
          outs = [{ t: tf.div(tf.mul(x.t, tf.cast(keep, 'float32')), 1 - p), nhwc: x.nhwc }];
        }
      } else {
        outs = prepared.run(ins);
      }
      node.outputs.forEach((name, k) => {
        if (name !== '' && outs[k]) env.set(name, outs[k]!);
      });
    }
    const out = lookup(graph.outputs[0]!.name)!;
    return { output: out.nhwc ? tf.transpose(out.t, [0, 3, 1, 2]) : out.t, stats };
  }

  private batchNormTrain(node: GraphNode, ins: readonly (Val | null)[], stats: BatchStats[]): Val {
    const { tf } = this;
    const eps = numberAttr(node.attrs, 'epsilon', 1e-5, node);
    const x = toNhwc(tf, req(ins, 0, 'X', node));
    const mean = tf.mean(x, [0, 1, 2]);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), [0, 1, 2]);
    const scale = req(ins, 1, 'scale', node).t;
    const bias = req(ins, 2, 'B', node).t;
    const y = tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), scale), bias);
    const meanName = node.inputs[3]!;
    const n = x.size / x.shape[3]!;
    stats.push({
      meanName,
      varName: node.inputs[4]!,
      momentum: this.momentumOf(meanName.replace(/\.?running_mean$/, '')),
      mean: tf.keep(mean),
      variance: tf.keep(tf.mul(variance, n > 1 ? n / (n - 1) : 1)),
    });
    return nhwc(y);
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    for (const t of this.consts.values()) t.dispose();
    this.consts.clear();
  }
}
