import type { Dim, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { isSymbol, unifyDims } from './dims.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/** Concat: same rank and dtype, equal dims except along `axis`, which adds up. */
const concat = rule('Concat', (n) => {
  if (n.inputs.length === 0) throw n.shapeError('needs at least one input');
  const inputs = n.inputs.map((v, i) => {
    if (v === null) throw n.shapeError(`input ${i} is missing (Concat has no optional inputs)`);
    return v;
  });
  const first = inputs[0]!;
  const rank = first.shape.length;
  if (rank === 0) throw n.shapeError('inputs must have rank >= 1, got a scalar');
  const axis = n.axis('axis', undefined, rank);
  const out: Dim[] = [...first.shape];
  let total = 0;
  const symbols: string[] = [];
  for (const [i, v] of inputs.entries()) {
    n.requireSameDType(v, `input ${i}`, first, 'input 0');
    if (v.shape.length !== rank) {
      throw n.shapeError(`input ${i} ${formatShape(v.shape)} has rank ${v.shape.length}, input 0 has rank ${rank}`);
    }
    for (const [j, d] of v.shape.entries()) {
      if (j === axis) {
        if (isSymbol(d)) symbols.push(d);
        else total += d;
        continue;
      }
      const u = unifyDims(out[j]!, d);
      if (u === undefined) {
        throw n.shapeError(
          `input ${i} ${formatShape(v.shape)} differs from input 0 ${formatShape(first.shape)} at dim ${j} ` +
            `(${d} vs ${out[j]}); only dim ${axis} (the axis) may differ`,
        );
      }
      out[j] = u;
    }
  }
  if (symbols.length > 1 || (symbols.length === 1 && total !== 0)) {
    throw n.shapeError(
      `the concatenated size along axis ${axis} is ${[...symbols, ...(total ? [total] : [])].join(' + ')}, which ` +
        'needs numbers',
    );
  }
  out[axis] = symbols[0] ?? total;
  return one(first.dtype, out);
});

/** Transpose: perm (default reversed) must be a permutation of the axes. */
const transpose = rule('Transpose', (n) => {
  const [x] = n.take(['data']) as [ValueInfo];
  const rank = x.shape.length;
  const perm = n.ints('perm') ?? x.shape.map((_, i) => rank - 1 - i);
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
    throw n.shapeError(
      `attribute perm ${formatShape(perm)} is not a permutation of the ${rank} axes of ${formatShape(x.shape)}`,
    );
  }
  return one(
    x.dtype,
    perm.map((p) => x.shape[p]!),
  );
});

/**
 * Split along `axis` by the `split` operand, or into `num_outputs` parts (ceil(size/n) each, the last smaller, as
 * opset 18) when it is absent.
 */
const split = rule('Split', (n) => {
  const [x, splitInput] = n.take(['input', 'split?']);
  const rank = x!.shape.length;
  if (rank === 0) throw n.shapeError('input must have rank >= 1, got a scalar');
  const axis = n.axis('axis', 0, rank);
  const dim = x!.shape[axis]!;
  const hasNum = n.has('num_outputs');
  let sizes: number[];
  if (splitInput) {
    if (hasNum) throw n.shapeError('give either the split input or attribute num_outputs, not both');
    sizes = n.constInts(splitInput, 'split');
    if (sizes.length === 0) throw n.shapeError('split is empty');
    for (const [i, s] of sizes.entries()) {
      if (s < 0) throw n.shapeError(`split[${i}] is ${s}; sizes must be >= 0`);
    }
    const sum = sizes.reduce((a, b) => a + b, 0);
    if (isSymbol(dim)) {
      throw n.shapeError(
        `input dim ${axis} is symbolic (${dim}); splitting it into ${formatShape(sizes)} needs a number`,
      );
    }
    if (sum !== dim) {
      throw n.shapeError(`split ${formatShape(sizes)} adds up to ${sum} but input dim ${axis} is ${dim}`);
    }
  } else {
    if (!hasNum) throw n.shapeError('needs the split input or attribute num_outputs (the number of outputs)');
    const count = n.int('num_outputs', 1, 1);
    if (isSymbol(dim)) {
      throw n.shapeError(`input dim ${axis} is symbolic (${dim}); splitting it into ${count} parts needs a number`);
    }
    const chunk = Math.ceil(dim / count);
    if (chunk * (count - 1) >= dim && count > 1) {
      throw n.shapeError(`cannot split ${dim} into ${count} non-empty parts of ceil(${dim}/${count}) = ${chunk}`);
    }
    sizes = Array.from({ length: count }, (_, i) => Math.min(chunk, dim - chunk * i));
  }
  return sizes.map((s) => ({ dtype: x!.dtype, shape: x!.shape.map((d, i) => (i === axis ? s : d)) }));
});

/** Constant: attribute `value` (a Tensor), or ONNX's value_float / value_floats / value_int / value_ints. */
const constant = rule('Constant', (n) => {
  n.take([]);
  const given = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'].filter((k) => n.has(k));
  if (given.length !== 1) {
    throw n.shapeError(
      `expected exactly one of the attributes value, value_float, value_floats, value_int, value_ints, got ` +
        `${given.length === 0 ? 'none' : given.join(', ')}`,
    );
  }
  const key = given[0]!;
  const v = n.attrs[key];
  if (key === 'value') {
    if (!(v instanceof Tensor)) throw new TypeError(`${n.where}: attribute value: expected a Tensor, got ${typeof v}`);
    return one(v.dtype, v.shape);
  }
  if (key === 'value_float') {
    n.float(key, 0);
    return one('float32', []);
  }
  if (key === 'value_int') {
    n.int(key, 0);
    return one('int64', []);
  }
  const list = key === 'value_ints' ? n.ints(key)! : (v as readonly number[]);
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'number')) {
    throw new TypeError(`${n.where}: attribute ${key}: expected a list of numbers`);
  }
  return one(key === 'value_ints' ? 'int64' : 'float32', [list.length]);
});

export const TENSOR_RULES: Partial<Record<OpType, ShapeRule>> = {
  Concat: concat,
  Transpose: transpose,
  Split: split,
  Constant: constant,
};
