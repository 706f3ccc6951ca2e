import { DTypeError } from '../errors.js';
import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { broadcastDims, broadcastsTo } from './dims.js';
import { type NodeView, one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/** Unary float ops that keep the shape, with their attributes checked. */
function activation(op: OpType, check?: (n: NodeView) => void): ShapeRule {
  return rule(op, (n) => {
    const [x] = n.take(['X']) as [ValueInfo];
    n.requireFloat(x, 'input X');
    check?.(n);
    return one(x.dtype, x.shape);
  });
}

/** Numpy-broadcasting binary arithmetic; both inputs share one numeric dtype. */
function binary(op: 'Add' | 'Sub' | 'Mul' | 'Div'): ShapeRule {
  return rule(op, (n) => {
    const [a, b] = n.take(['A', 'B']) as [ValueInfo, ValueInfo];
    n.requireNumeric(a, 'input A');
    n.requireSameDType(b, 'input B', a, 'input A');
    return one(a.dtype, broadcastDims(n, a.shape, b.shape, 'inputs A and B'));
  });
}

const prelu = rule('PRelu', (n) => {
  const [x, slope] = n.take(['X', 'slope']) as [ValueInfo, ValueInfo];
  n.requireFloat(x, 'input X');
  n.requireFloat(slope, 'slope', { value: x, name: 'input X' });
  if (!broadcastsTo(slope.shape, x.shape)) {
    const hint = slope.shape.length === 1 && x.shape.length > 2 ? ` (hint: a per-channel slope is [C, 1, 1])` : '';
    throw n.shapeError(
      `slope ${formatShape(slope.shape)} does not broadcast to input X ${formatShape(x.shape)}${hint}`,
    );
  }
  return one(x.dtype, x.shape);
});

const softmax = rule('Softmax', (n) => {
  const [x] = n.take(['input']) as [ValueInfo];
  n.requireFloat(x, 'input');
  if (x.shape.length === 0) throw n.shapeError('input must have rank >= 1, got a scalar');
  n.axis('axis', -1, x.shape.length);
  return one(x.dtype, x.shape);
});

/** Clip(input, min?, max?): min and max are scalars of the input's dtype. */
const clip = rule('Clip', (n) => {
  const [x, min, max] = n.take(['input', 'min?', 'max?']);
  n.requireNumeric(x!, 'input');
  for (const [v, name] of [
    [min, 'min'],
    [max, 'max'],
  ] as const) {
    if (!v) continue;
    n.requireSameDType(v, name, x!, 'input');
    if (v.shape.some((d) => d !== 1)) throw n.shapeError(`${name} must be a scalar, got shape ${formatShape(v.shape)}`);
  }
  return one(x!.dtype, x!.shape);
});

/** Dropout(data, ratio?, training_mode?) is Identity at inference. */
const dropout = rule('Dropout', (n) => {
  const [x, ratio, training] = n.take(['data', 'ratio?', 'training_mode?']);
  n.requireFloat(x!, 'input data');
  if (ratio?.shape.some((d) => d !== 1)) {
    throw n.shapeError(`ratio must be a scalar, got shape ${formatShape(ratio.shape)}`);
  }
  if (training && training.dtype !== 'bool') {
    throw new DTypeError(`${n.where}: training_mode must be bool, got ${training.dtype}`);
  }
  return one(x!.dtype, x!.shape);
});

const identity = rule('Identity', (n) => {
  const [x] = n.take(['input']) as [ValueInfo];
  return one(x.dtype, x.shape);
});

const alpha = (fallback: number) => (n: NodeView) => n.float('alpha', fallback);

export const ELEMENTWISE_RULES: Partial<Record<OpType, ShapeRule>> = {
  Relu: activation('Relu'),
  LeakyRelu: activation('LeakyRelu', alpha(0.01)),
  PRelu: prelu,
  Elu: activation('Elu', alpha(1)),
  Sigmoid: activation('Sigmoid'),
  Tanh: activation('Tanh'),
  HardSigmoid: activation('HardSigmoid', (n) => {
    n.float('alpha', 0.2);
    n.float('beta', 0.5);
  }),
  HardSwish: activation('HardSwish'),
  Gelu: activation('Gelu', (n) => n.string('approximate', 'none', ['none', 'tanh'])),
  Softmax: softmax,
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Clip: clip,
  Dropout: dropout,
  Identity: identity,
};
