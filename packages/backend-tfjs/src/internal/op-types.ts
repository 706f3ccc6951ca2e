import type { GraphNode, Tensor } from '@striate/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type { Tf } from './runtime.js';

/**
 * A value while a graph runs: a tfjs tensor and its layout. Graphs are NCHW; rank-4 activations are kept NHWC
 * (`nhwc: true`, stored as the NCHW value transposed by [0, 2, 3, 1]) between the ops that want it, so a chain of
 * convolutions transposes once at each edge, not per op.
 */
export interface Val {
  readonly t: TfTensor;
  readonly nhwc: boolean;
}

/** What an op sees when the graph is compiled. */
export interface PrepareContext {
  readonly tf: Tf;
  readonly node: GraphNode;
  /** The constant behind input `index` (an initializer or a Constant node's value), if it is one. */
  constant(index: number): Tensor | undefined;
  /** Uploads a tensor owned by the compiled model (disposed with it). */
  own<T extends TfTensor>(t: T): T;
}

/** Runs a node on tfjs (called inside tf.tidy). Inputs are null for omitted optional inputs. */
export type RunFn = (inputs: readonly (Val | null)[]) => Val[];

export interface Prepared {
  readonly run: RunFn;
  /** Inputs the op consumed at compile time (e.g. a Conv weight it re-laid out): not uploaded as they are. */
  readonly staticInputs?: readonly number[];
}

export type OpDef = (ctx: PrepareContext) => Prepared;

/** NCHW axis -> its position in NHWC. */
export const NHWC_POS: readonly number[] = [0, 3, 1, 2];

export function toNchw(tf: Tf, v: Val): TfTensor {
  return v.nhwc ? tf.transpose(v.t, [0, 3, 1, 2]) : v.t;
}

/** The value in NHWC; a lower-rank value is first padded with leading 1s to rank 4 (numpy broadcasting). */
export function toNhwc(tf: Tf, v: Val): TfTensor {
  if (v.nhwc) return v.t;
  let t = v.t;
  if (t.rank > 4) throw new RangeError(`toNhwc: rank ${t.rank} > 4`);
  if (t.rank < 4) t = tf.reshape(t, [...new Array<number>(4 - t.rank).fill(1), ...t.shape]);
  return tf.transpose(t, [0, 2, 3, 1]);
}

export const nchw = (t: TfTensor): Val => ({ t, nhwc: false });
export const nhwc = (t: TfTensor): Val => ({ t, nhwc: true });

/** Brings operands to one layout for an element-wise op (NHWC if one is NHWC and all have rank <= 4). */
export function alignLayouts(tf: Tf, vals: readonly Val[]): { ts: TfTensor[]; nhwc: boolean } {
  const anyNhwc = vals.some((v) => v.nhwc);
  if (anyNhwc && vals.every((v) => v.t.rank <= 4)) return { ts: vals.map((v) => toNhwc(tf, v)), nhwc: true };
  return { ts: vals.map((v) => toNchw(tf, v)), nhwc: false };
}

/** Required input `i`, or a TypeError naming it. */
export function req(inputs: readonly (Val | null)[], i: number, name: string, node: GraphNode): Val {
  const v = inputs[i];
  if (!v) throw new TypeError(`${node.name} (${node.op}): input ${i} (${name}) is required`);
  return v;
}
