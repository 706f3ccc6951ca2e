/**
 * Functional ops over graph values (PyTorch's `torch.*` / `torch.nn.functional` for the IR). Each records one node
 * (or a few) in the builder of its inputs, named by the module whose `forward` is running plus the op
 * (`layer1.0.add`); constant operands become initializers (shape-like ones int64, numbers float32 scalars).
 */
import { describeValue } from '../errors.js';
import type { Attrs, OpType } from '../graph.js';
import type { GraphBuilder, Value } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { flattenAs } from './flatten.js';
import { constantValue, isValue, recordOp, scopedName } from './trace.js';
import { type InterpolateOptions, resizeAs, resizeSpec } from './upsample.js';

/** A second operand: a value, a number (a float32 scalar) or a constant Tensor. */
export type Operand = Value | number | Tensor;

function assertValue(v: unknown, argName: string, fn: string): asserts v is Value {
  if (!isValue(v)) throw new TypeError(`${fn}: ${argName}: expected a graph value, got ${describeValue(v)}`);
}

function int64(values: readonly number[]): Tensor<'int64'> {
  return new Tensor('int64', [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
}

function intList(v: unknown, argName: string, fn: string, min = Number.NEGATIVE_INFINITY): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < min)) {
    const what = min === Number.NEGATIVE_INFINITY ? 'integers' : `integers >= ${min}`;
    throw new TypeError(`${fn}: ${argName}: expected an array of ${what}, got ${describeValue(v)}`);
  }
  return v as number[];
}

/** Records `op` named `<scope>.<suffix>`; constants get `<node>.<name>`. */
function node(
  b: GraphBuilder,
  op: OpType,
  inputs: readonly (Value | null)[],
  attrs: Attrs,
  suffix: string,
  outputs = 1,
) {
  return recordOp(b, op, inputs, attrs, scopedName(b, suffix), outputs);
}

function constName(b: GraphBuilder, suffix: string, what: string): string {
  return `${scopedName(b, suffix)}.${what}`;
}

function binary(op: 'Add' | 'Sub' | 'Mul' | 'Div', a: Operand, b: Operand): Value {
  const fn = op.toLowerCase();
  const anchor = isValue(a) ? a : isValue(b) ? b : undefined;
  if (!anchor)
    throw new TypeError(`${fn}: expected at least one graph value, got ${describeValue(a)} and ${describeValue(b)}`);
  const builder = anchor.builder;
  const operand = (v: Operand, name: string): Value => {
    if (isValue(v)) return v;
    if (v instanceof Tensor) return constantValue(builder, constName(builder, fn, name), v.toFloat32());
    if (typeof v === 'number')
      return constantValue(builder, constName(builder, fn, name), new Tensor('float32', [], Float32Array.of(v)));
    throw new TypeError(`${fn}: ${name}: expected a graph value, a number or a Tensor, got ${describeValue(v)}`);
  };
  return node(builder, op, [operand(a, 'a'), operand(b, 'b')], {}, fn)[0]!;
}

/** a + b with numpy broadcasting. */
export const add = (a: Operand, b: Operand): Value => binary('Add', a, b);
/** a - b. */
export const sub = (a: Operand, b: Operand): Value => binary('Sub', a, b);
/** a * b. */
export const mul = (a: Operand, b: Operand): Value => binary('Mul', a, b);
/** a / b. */
export const div = (a: Operand, b: Operand): Value => binary('Div', a, b);

/** Concatenation along `axis` (torch.cat; default 0). */
export function concat(values: readonly Value[], axis = 0): Value {
  if (!Array.isArray(values) || values.length === 0) {
    throw new TypeError(`concat: values: expected a non-empty array of graph values, got ${describeValue(values)}`);
  }
  for (const [i, v] of values.entries()) assertValue(v, `values[${i}]`, 'concat');
  intList([axis], 'axis', 'concat');
  return node(values[0]!.builder, 'Concat', values, { axis }, 'concat')[0]!;
}

/**
 * Splits along `axis` (default 0): `sizes` an array of part sizes, or a count of parts of ceil(size / count)
 * each, the last smaller (torch.chunk's rule).
 */
export function split(value: Value, sizesOrCount: readonly number[] | number, axis = 0): Value[] {
  assertValue(value, 'value', 'split');
  intList([axis], 'axis', 'split');
  const b = value.builder;
  if (typeof sizesOrCount === 'number') {
    if (!Number.isInteger(sizesOrCount) || sizesOrCount < 1) {
      throw new RangeError(`split: count: expected a positive integer, got ${describeValue(sizesOrCount)}`);
    }
    const dim = value.shape[axis < 0 ? axis + value.shape.length : axis];
    if (typeof dim !== 'number') {
      return node(b, 'Split', [value], { axis, num_outputs: sizesOrCount }, 'split', sizesOrCount);
    }
    const count = sizesOrCount;
    const chunk = Math.ceil(dim / count);
    if (count > 1 && chunk * (count - 1) >= dim) {
      throw new RangeError(
        `split: count: cannot split size ${dim} into ${count} non-empty parts of ceil(${dim}/${count}) = ${chunk}`,
      );
    }
    sizesOrCount = Array.from({ length: count }, (_, i) => Math.min(chunk, dim - chunk * i));
  }
  const sizes = intList(sizesOrCount, 'sizes', 'split', 0);
  if (sizes.length === 0) throw new RangeError('split: sizes: expected at least one size, got []');
  const splitV = constantValue(b, constName(b, 'split', 'split'), int64(sizes));
  return node(b, 'Split', [value, splitV], { axis }, 'split', sizes.length);
}

/** Reshape with ONNX semantics: -1 infers one size, 0 copies the input's size at that index. */
export function reshape(value: Value, shape: readonly number[]): Value {
  assertValue(value, 'value', 'reshape');
  const target = intList(shape, 'shape', 'reshape', -1);
  const b = value.builder;
  return node(
    b,
    'Reshape',
    [value, constantValue(b, constName(b, 'reshape', 'shape'), int64(target))],
    {},
    'reshape',
  )[0]!;
}

/** Permutes the axes (torch.permute; default reverses them). */
export function transpose(value: Value, perm?: readonly number[]): Value {
  assertValue(value, 'value', 'transpose');
  const attrs: Attrs = perm === undefined ? {} : { perm: intList(perm, 'perm', 'transpose', 0) };
  return node(value.builder, 'Transpose', [value], attrs, 'transpose')[0]!;
}

export type PadMode = 'constant' | 'reflect' | 'replicate';

/**
 * Pads as `torch.nn.functional.pad`: `pads` lists (begin, end) pairs starting from the LAST dim, e.g. `[left,
 * right, top, bottom]` for NCHW. Mode 'constant' (fill `fill`, default 0), 'reflect' or 'replicate' (ONNX 'edge').
 */
export function pad(value: Value, pads: readonly number[], mode: PadMode = 'constant', fill = 0): Value {
  assertValue(value, 'value', 'pad');
  const list = intList(pads, 'pads', 'pad');
  const rank = value.shape.length;
  if (list.length % 2 !== 0 || list.length / 2 > rank) {
    throw new RangeError(
      `pad: pads: expected an even number of values, at most ${2 * rank} for a rank-${rank} input, got ${describeValue(pads)}`,
    );
  }
  if (!['constant', 'reflect', 'replicate'].includes(mode)) {
    throw new RangeError(`pad: mode: expected 'constant', 'reflect' or 'replicate', got ${describeValue(mode)}`);
  }
  if (typeof fill !== 'number' || Number.isNaN(fill))
    throw new TypeError(`pad: value: expected a number, got ${describeValue(fill)}`);
  const onnx = new Array<number>(2 * rank).fill(0);
  for (let k = 0; k < list.length / 2; k++) {
    const axis = rank - 1 - k;
    onnx[axis] = list[2 * k]!;
    onnx[axis + rank] = list[2 * k + 1]!;
  }
  const b = value.builder;
  const inputs: (Value | null)[] = [value, constantValue(b, constName(b, 'pad', 'pads'), int64(onnx))];
  if (mode === 'constant' && fill !== 0) {
    inputs.push(constantValue(b, constName(b, 'pad', 'value'), new Tensor('float32', [], Float32Array.of(fill))));
  }
  return node(b, 'Pad', inputs, { mode: mode === 'replicate' ? 'edge' : mode }, 'pad')[0]!;
}

/** ONNX Slice: `starts`/`ends` per listed axis (default all axes in order), optional `steps`. */
export function slice(
  value: Value,
  starts: readonly number[],
  ends: readonly number[],
  axes?: readonly number[],
  steps?: readonly number[],
): Value {
  assertValue(value, 'value', 'slice');
  const lists = [intList(starts, 'starts', 'slice'), intList(ends, 'ends', 'slice')];
  if (axes !== undefined) lists.push(intList(axes, 'axes', 'slice'));
  if (steps !== undefined) {
    if (axes === undefined) lists.push(lists[0]!.map((_, i) => i));
    lists.push(intList(steps, 'steps', 'slice'));
  }
  if (lists.some((l) => l.length !== lists[0]!.length)) {
    throw new RangeError(
      `slice: starts, ends, axes and steps must have the same length, got ${lists.map((l) => l.length).join(', ')}`,
    );
  }
  const b = value.builder;
  const names = ['starts', 'ends', 'axes', 'steps'];
  const operands = lists.map((l, i) => constantValue(b, constName(b, 'slice', names[i]!), int64(l)));
  return node(b, 'Slice', [value, ...operands], {}, 'slice')[0]!;
}

/** torch.flatten(value, startDim = 0, endDim = -1): a Flatten node for (1, -1), else a Reshape. */
export function flatten(value: Value, startDim = 0, endDim = -1): Value {
  assertValue(value, 'value', 'flatten');
  return flattenAs(value, startDim, endDim, scopedName(value.builder, 'flatten'), 'flatten');
}

export function relu(value: Value): Value {
  assertValue(value, 'value', 'relu');
  return node(value.builder, 'Relu', [value], {}, 'relu')[0]!;
}

export function sigmoid(value: Value): Value {
  assertValue(value, 'value', 'sigmoid');
  return node(value.builder, 'Sigmoid', [value], {}, 'sigmoid')[0]!;
}

/** Softmax along `dim` (required, as torch's non-deprecated form). */
export function softmax(value: Value, dim: number): Value {
  assertValue(value, 'value', 'softmax');
  if (!Number.isInteger(dim)) throw new TypeError(`softmax: dim: expected an integer, got ${describeValue(dim)}`);
  return node(value.builder, 'Softmax', [value], { axis: dim }, 'softmax')[0]!;
}

/** torch.nn.functional.interpolate for 'nearest' and 'bilinear' (see `Upsample`). */
export function interpolate(value: Value, opts: InterpolateOptions): Value {
  assertValue(value, 'value', 'interpolate');
  return resizeAs(value, resizeSpec(opts, 'interpolate'), scopedName(value.builder, 'interpolate'));
}
