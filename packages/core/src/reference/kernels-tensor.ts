import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, AttrValue, GraphNode, OpType } from '../graph.js';
import { formatShape, resolveReshape, shapeSize } from '../shape.js';
import { Tensor, tensor } from '../tensor.js';
import { type BinaryOp, broadcastBinary } from './broadcast.js';
import { clip, type UnaryOp, unaryFloat } from './elementwise.js';
import { concat, normalizeAxis, type PadMode, pad, reduceMean, slice, split, transpose } from './tensor-ops.js';
import type { Kernel } from './types.js';

/**
 * Reference kernels for the element-wise and tensor-manipulation ops: they read attributes and shape operands,
 * validate them (errors name the node as `"<name> (<op>)"`), and call the typed-array loops in elementwise.ts,
 * broadcast.ts and tensor-ops.ts. Output dtypes follow the inputs; Reshape, Flatten, Identity and Dropout share the
 * input's data.
 */

const where = (node: GraphNode): string => `${node.name} (${node.op})`;

function required(inputs: readonly (Tensor | null)[], index: number, argName: string, node: GraphNode): Tensor {
  const t = inputs[index];
  if (!(t instanceof Tensor)) {
    throw new TypeError(`${where(node)}: input ${index} (${argName}) is required, got ${t === null ? 'null' : 'none'}`);
  }
  return t;
}

const optional = (inputs: readonly (Tensor | null)[], index: number): Tensor | null => inputs[index] ?? null;

/** Reads a 1-D int64 (or int32) shape operand as numbers; INT64 extremes become +-9.223372036854776e18. */
function intsOperand(t: Tensor, argName: string, node: GraphNode): number[] {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') {
    throw new DTypeError(`${where(node)}: ${argName} must be an int64 tensor, got ${t.dtype}`);
  }
  if (t.rank !== 1) throw new ShapeError(`${where(node)}: ${argName} must be 1-D, got shape ${formatShape(t.shape)}`);
  return Array.from(t.data as BigInt64Array | Int32Array, Number);
}

function attr(attrs: Attrs, name: string): AttrValue | undefined {
  return attrs[name];
}

function numberAttr(attrs: Attrs, name: string, fallback: number, node: GraphNode): number {
  const v = attr(attrs, name) ?? fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TypeError(`${where(node)}: attribute ${name} must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function intAttr(attrs: Attrs, name: string, fallback: number, node: GraphNode): number {
  const v = attr(attrs, name) ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${where(node)}: attribute ${name} must be an integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function intsAttr(attrs: Attrs, name: string, node: GraphNode): number[] | null {
  const v = attr(attrs, name);
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new TypeError(`${where(node)}: attribute ${name} must be a list of integers, got ${JSON.stringify(v)}`);
  }
  return [...(v as readonly number[])];
}

function enumAttr<T extends string>(attrs: Attrs, name: string, allowed: readonly T[], node: GraphNode): T {
  const v = attr(attrs, name) ?? allowed[0];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    const list = allowed.map((a) => `'${a}'`).join(', ');
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: attribute ${name} must be one of ${list}, got ${JSON.stringify(v)}`,
    );
  }
  return v as T;
}

function unaryKernel(spec: (attrs: Attrs, node: GraphNode) => UnaryOp): Kernel {
  return (inputs, attrs, node) => [unaryFloat(spec(attrs, node), required(inputs, 0, 'X', node), where(node))];
}

function binaryKernel(op: BinaryOp): Kernel {
  return (inputs, _attrs, node) => [
    broadcastBinary(op, required(inputs, 0, 'A', node), required(inputs, 1, 'B', node), where(node)),
  ];
}

const passThrough: Kernel = (inputs, _attrs, node) => [required(inputs, 0, 'input', node)];

const reshapeKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const target = intsOperand(required(inputs, 1, 'shape', node), 'shape', node);
  let shape: number[];
  if (intAttr(attrs, 'allowzero', 0, node) === 1 && target.includes(0)) {
    if (target.includes(-1)) throw new ShapeError(`${where(node)}: allowzero=1 forbids 0 and -1 together in shape`);
    shape = target;
    if (shape.some((d) => !Number.isSafeInteger(d) || d < 0) || shapeSize(shape) !== x.size) {
      throw new ShapeError(`${where(node)}: cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}`);
    }
  } else {
    shape = resolveReshape(x.shape, target, where(node));
  }
  // Zero-copy: the output shares the input's data (as Tensor.reshape does, which would re-read a 0 in `shape`).
  return [new Tensor(x.dtype, shape, x.data)];
};

const flattenKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'input', node);
  const axis = normalizeAxis(intAttr(attrs, 'axis', 1, node), x.rank, where(node), 'axis', true);
  const outer = shapeSize(x.shape.slice(0, axis));
  return [new Tensor(x.dtype, [outer, shapeSize(x.shape.slice(axis))], x.data)];
};

const transposeKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const perm = intsAttr(attrs, 'perm', node) ?? x.shape.map((_, i) => x.rank - 1 - i);
  return [transpose(x, perm, where(node))];
};

const concatKernel: Kernel = (inputs, attrs, node) => {
  if (attr(attrs, 'axis') === undefined) throw new TypeError(`${where(node)}: attribute axis is required`);
  if (inputs.length === 0) throw new RangeError(`${where(node)}: expected at least one input, got 0`);
  const tensors = inputs.map((_, i) => required(inputs, i, `inputs[${i}]`, node));
  return [concat(tensors, intAttr(attrs, 'axis', 0, node), where(node))];
};

const padKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const mode = enumAttr<PadMode>(attrs, 'mode', ['constant', 'reflect', 'edge'], node);
  const padsInput = optional(inputs, 1);
  let pads = padsInput ? intsOperand(padsInput, 'pads', node) : intsAttr(attrs, 'pads', node);
  if (pads === null) throw new TypeError(`${where(node)}: input 1 (pads) is required`);
  const axesInput = optional(inputs, 3);
  if (axesInput) {
    const axes = intsOperand(axesInput, 'axes', node);
    if (pads.length !== 2 * axes.length) {
      throw new ShapeError(`${where(node)}: pads must have 2 * ${axes.length} values for axes, got ${pads.length}`);
    }
    const full = new Array<number>(2 * x.rank).fill(0);
    axes.forEach((a, i) => {
      const axis = normalizeAxis(a, x.rank, where(node), `axes[${i}]`);
      full[axis] = pads![i]!;
      full[axis + x.rank] = pads![i + axes.length]!;
    });
    pads = full;
  }
  const cv = optional(inputs, 2);
  let value: number | bigint = x.dtype === 'int64' ? 0n : 0;
  if (cv) {
    if (cv.dtype !== x.dtype) {
      throw new DTypeError(`${where(node)}: constant_value must have the data's dtype ${x.dtype}, got ${cv.dtype}`);
    }
    if (cv.size !== 1) {
      throw new ShapeError(`${where(node)}: constant_value must be a scalar, got shape ${formatShape(cv.shape)}`);
    }
    value = cv.data[0]!;
  } else if (typeof attr(attrs, 'value') === 'number' && x.dtype !== 'int64') {
    value = attr(attrs, 'value') as number;
  }
  return [pad(x, pads, mode, value, where(node))];
};

const sliceKernel: Kernel = (inputs, _attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const starts = intsOperand(required(inputs, 1, 'starts', node), 'starts', node);
  const ends = intsOperand(required(inputs, 2, 'ends', node), 'ends', node);
  const axes = optional(inputs, 3);
  const steps = optional(inputs, 4);
  return [
    slice(
      x,
      starts,
      ends,
      axes ? intsOperand(axes, 'axes', node) : null,
      steps ? intsOperand(steps, 'steps', node) : null,
      where(node),
    ),
  ];
};

const splitKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'input', node);
  if (x.rank === 0) throw new ShapeError(`${where(node)}: input must have rank >= 1, got a scalar`);
  const axis = normalizeAxis(intAttr(attrs, 'axis', 0, node), x.rank, where(node), 'axis');
  const dim = x.shape[axis]!;
  const splitInput = optional(inputs, 1);
  let sizes = splitInput ? intsOperand(splitInput, 'split', node) : intsAttr(attrs, 'split', node);
  if (sizes !== null) {
    if (node.outputs.length > 0 && sizes.length !== node.outputs.length) {
      throw new ShapeError(
        `${where(node)}: split has ${sizes.length} sizes but the node has ${node.outputs.length} outputs`,
      );
    }
  } else if (attr(attrs, 'num_outputs') !== undefined) {
    const n = intAttr(attrs, 'num_outputs', 1, node);
    if (n < 1) throw new RangeError(`${where(node)}: attribute num_outputs must be >= 1, got ${n}`);
    // Opset 18 rule: chunks of ceil(dim / n); the last one is smaller when dim does not divide evenly.
    const chunk = Math.ceil(dim / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  } else {
    const n = node.outputs.length;
    if (n < 1) throw new RangeError(`${where(node)}: the node has no outputs, so the split count is unknown`);
    if (dim % n !== 0) {
      throw new ShapeError(
        `${where(node)}: axis ${axis} of size ${dim} does not split evenly into ${n} outputs; pass split sizes ` +
          'or num_outputs',
      );
    }
    sizes = new Array<number>(n).fill(dim / n);
  }
  return split(x, axis, sizes, where(node));
};

const dropoutKernel: Kernel = (inputs, _attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const training = optional(inputs, 2);
  if (training && training.size > 0 && Number(training.data[0]) !== 0) {
    throw new UnsupportedOpError('Dropout', `${where(node)}: training_mode=true is not supported (inference only)`);
  }
  return [x];
};

const constantKernel: Kernel = (_inputs, attrs, node) => {
  const value = attr(attrs, 'value');
  if (value instanceof Tensor) return [value];
  const f = attr(attrs, 'value_float') ?? attr(attrs, 'value_floats');
  if (typeof f === 'number') return [tensor(new Float32Array([f]), [])];
  if (Array.isArray(f)) return [tensor(Float32Array.from(f as number[]))];
  const i = attr(attrs, 'value_int') ?? attr(attrs, 'value_ints');
  if (typeof i === 'number') return [tensor(new BigInt64Array([BigInt(i)]), [])];
  if (Array.isArray(i)) return [tensor(BigInt64Array.from(i as number[], BigInt))];
  throw new TypeError(`${where(node)}: attribute value must be a Tensor, got ${JSON.stringify(value ?? null)}`);
};

const reduceMeanKernel: Kernel = (inputs, attrs, node) => {
  const x = required(inputs, 0, 'data', node);
  const axesInput = optional(inputs, 1);
  const axes = axesInput ? intsOperand(axesInput, 'axes', node) : (intsAttr(attrs, 'axes', node) ?? []);
  const keepdims = intAttr(attrs, 'keepdims', 1, node);
  if (keepdims !== 0 && keepdims !== 1) {
    throw new RangeError(`${where(node)}: attribute keepdims must be 0 or 1, got ${keepdims}`);
  }
  if (axes.length === 0 && intAttr(attrs, 'noop_with_empty_axes', 0, node) === 1) return [x];
  return [reduceMean(x, axes, keepdims === 1, where(node))];
};

/** The element-wise and tensor-manipulation kernels of the reference backend, by op type. */
export const tensorKernels: Partial<Record<OpType, Kernel>> = {
  Relu: unaryKernel(() => ({ op: 'Relu' })),
  LeakyRelu: unaryKernel((a, n) => ({ op: 'LeakyRelu', alpha: numberAttr(a, 'alpha', 0.01, n) })),
  Elu: unaryKernel((a, n) => ({ op: 'Elu', alpha: numberAttr(a, 'alpha', 1, n) })),
  Sigmoid: unaryKernel(() => ({ op: 'Sigmoid' })),
  Tanh: unaryKernel(() => ({ op: 'Tanh' })),
  HardSigmoid: unaryKernel((a, n) => ({
    op: 'HardSigmoid',
    alpha: numberAttr(a, 'alpha', 0.2, n),
    beta: numberAttr(a, 'beta', 0.5, n),
  })),
  HardSwish: unaryKernel(() => ({ op: 'HardSwish' })),
  Gelu: unaryKernel((a, n) => ({ op: 'Gelu', approximate: enumAttr(a, 'approximate', ['none', 'tanh'], n) })),
  PRelu: (inputs, _attrs, node) => [
    broadcastBinary('PRelu', required(inputs, 0, 'X', node), required(inputs, 1, 'slope', node), where(node), true),
  ],
  Add: binaryKernel('Add'),
  Sub: binaryKernel('Sub'),
  Mul: binaryKernel('Mul'),
  Div: binaryKernel('Div'),
  Clip: (inputs, _attrs, node) => [
    clip(required(inputs, 0, 'input', node), optional(inputs, 1), optional(inputs, 2), where(node)),
  ],
  Concat: concatKernel,
  Reshape: reshapeKernel,
  Flatten: flattenKernel,
  Transpose: transposeKernel,
  Pad: padKernel,
  Slice: sliceKernel,
  Split: splitKernel,
  Dropout: dropoutKernel,
  Identity: passThrough,
  Constant: constantKernel,
  ReduceMean: reduceMeanKernel,
};
