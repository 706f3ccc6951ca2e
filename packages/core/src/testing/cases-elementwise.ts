import type { Attrs } from '../graph.js';
import { type ConformanceCase, defineCase } from './case.js';

type Unary = 'Relu' | 'LeakyRelu' | 'Elu' | 'Sigmoid' | 'Tanh' | 'HardSigmoid' | 'HardSwish' | 'Gelu' | 'Softmax';

function unary(op: Unary, id: string, x: readonly number[], attrs: Attrs = {}, range?: [number, number]) {
  return defineCase(`${op}/${id}`, op, (c) => c.op1(op, [c.input(x, range)], attrs));
}

function binary(op: 'Add' | 'Sub' | 'Mul' | 'Div', id: string, a: readonly number[], b: readonly number[]) {
  // Div's denominators stay in [0.5, 2) so the comparison measures the op, not the conditioning.
  return defineCase(`${op}/${id}`, op, (c) =>
    c.op1(op, [c.input(a), op === 'Div' ? c.input(b, [0.5, 2]) : c.input(b)]),
  );
}

const BROADCASTS: readonly [string, readonly number[], readonly number[]][] = [
  ['same shape', [2, 3, 4], [2, 3, 4]],
  ['broadcast [C,1,1] over NCHW', [2, 3, 4, 5], [3, 1, 1]],
  ['broadcast a scalar', [2, 5], []],
  ['broadcast both ways [4,1] and [1,5]', [4, 1], [1, 5]],
];

/** Activations, softmax, elementwise arithmetic with broadcasting, Clip. */
export const ELEMENTWISE_CASES: readonly ConformanceCase[] = Object.freeze([
  unary('Relu', 'NCHW', [2, 3, 4, 5]),
  unary('LeakyRelu', 'default alpha', [2, 3, 4, 5]),
  unary('LeakyRelu', 'alpha 0.2', [3, 7], { alpha: 0.2 }),
  unary('Elu', 'default alpha', [2, 3, 4, 5]),
  unary('Elu', 'alpha 0.5', [3, 7], { alpha: 0.5 }),
  unary('Sigmoid', 'wide range', [4, 33], {}, [-20, 20]),
  unary('Tanh', 'wide range', [4, 33], {}, [-10, 10]),
  unary('HardSigmoid', 'ONNX default (alpha 0.2)', [4, 33], {}, [-6, 6]),
  unary('HardSigmoid', "PyTorch's alpha 1/6", [4, 33], { alpha: 1 / 6, beta: 0.5 }, [-6, 6]),
  unary('HardSwish', 'wide range', [4, 33], {}, [-6, 6]),
  unary('Gelu', 'exact', [4, 33], {}, [-5, 5]),
  unary('Gelu', 'tanh approximation', [4, 33], { approximate: 'tanh' }, [-5, 5]),
  unary('Softmax', 'last axis', [2, 3, 10]),
  unary('Softmax', 'axis 1 of NCHW', [2, 5, 3, 4], { axis: 1 }),
  unary('Softmax', 'large logits (stability)', [3, 8], {}, [-80, 80]),
  defineCase('PRelu/slope per channel [C,1,1]', 'PRelu', (c) =>
    c.op1('PRelu', [c.input([2, 3, 4, 5]), c.weight([3, 1, 1])]),
  ),
  defineCase('PRelu/one shared slope', 'PRelu', (c) => c.op1('PRelu', [c.input([2, 3, 4]), c.floats([0.25])])),
  ...(['Add', 'Sub', 'Mul', 'Div'] as const).flatMap((op) => BROADCASTS.map(([id, a, b]) => binary(op, id, a, b))),
  defineCase('Clip/min and max (relu6 on scaled inputs)', 'Clip', (c) =>
    c.op1('Clip', [c.input([3, 20], [-3, 9]), c.floats([0], []), c.floats([6], [])]),
  ),
  defineCase('Clip/min only', 'Clip', (c) => c.op1('Clip', [c.input([3, 20]), c.floats([-0.5], [])])),
  defineCase('Clip/max only (min omitted)', 'Clip', (c) =>
    c.op1('Clip', [c.input([3, 20]), null, c.floats([0.3], [])]),
  ),
]);
