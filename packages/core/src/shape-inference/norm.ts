import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { broadcastsTo, unifyDims } from './dims.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/** BatchNormalization, inference form: X (N, C, ...), scale, B, input_mean, input_var all [C]. */
const batchNorm = rule('BatchNormalization', (n) => {
  const [x, ...params] = n.take(['X', 'scale', 'B', 'input_mean', 'input_var']) as ValueInfo[];
  n.requireFloat(x!, 'input X');
  n.requireRank(x!, 'input X', { min: 2 });
  if (n.int('training_mode', 0) !== 0) {
    throw new RangeError(`${n.where}: attribute training_mode: only the inference form (0) is supported, got 1`);
  }
  const eps = n.float('epsilon', 1e-5);
  if (!(eps >= 0)) throw new RangeError(`${n.where}: attribute epsilon: expected a number >= 0, got ${eps}`);
  n.float('momentum', 0.9);
  const c = x!.shape[1]!;
  const names = ['scale', 'B', 'input_mean', 'input_var'];
  for (const [i, p] of params.entries()) {
    n.requireFloat(p, names[i]!, { value: x!, name: 'input X' });
    if (p.shape.length !== 1 || unifyDims(p.shape[0]!, c) === undefined) {
      throw n.shapeError(
        `${names[i]} has shape ${formatShape(p.shape)} but input X ${formatShape(x!.shape)} has ${c} channels; ` +
          `expected [${c}]`,
      );
    }
  }
  return one(x!.dtype, x!.shape);
});

/** LayerNormalization: normalises X over dims [axis, rank); Scale and B broadcast to those dims. */
const layerNorm = rule('LayerNormalization', (n) => {
  const [x, scale, b] = n.take(['X', 'Scale', 'B?']) as [ValueInfo, ValueInfo, ValueInfo | null];
  n.requireFloat(x, 'input X');
  n.requireRank(x, 'input X', { min: 1 });
  const axis = n.axis('axis', -1, x.shape.length);
  const eps = n.float('epsilon', 1e-5);
  if (!(eps >= 0)) throw new RangeError(`${n.where}: attribute epsilon: expected a number >= 0, got ${eps}`);
  const normalized = x.shape.slice(axis);
  for (const [p, name] of [
    [scale, 'Scale'],
    [b, 'B'],
  ] as const) {
    if (!p) continue;
    n.requireFloat(p, name, { value: x, name: 'input X' });
    if (!broadcastsTo(p.shape, normalized)) {
      throw n.shapeError(
        `${name} ${formatShape(p.shape)} does not match the normalized shape ${formatShape(normalized)} ` +
          `(input X ${formatShape(x.shape)}, axis ${axis})`,
      );
    }
  }
  return one(x.dtype, x.shape);
});

/** ReduceMean: axes from the opset-17 attribute (or a constant second input, as opset 18); keepdims default 1. */
const reduceMean = rule('ReduceMean', (n) => {
  const [x, axesInput] = n.take(['data', 'axes?']);
  n.requireFloat(x!, 'input data');
  const rank = x!.shape.length;
  if (axesInput && n.has('axes')) throw n.shapeError('axes given both as an attribute and as an input');
  const raw = axesInput ? n.constInts(axesInput, 'axes') : n.ints('axes');
  const keep = n.flag('keepdims', 1);
  const axes = (raw ?? x!.shape.map((_, i) => i)).map((a) => n.normAxis(a, rank, 'axis'));
  if (new Set(axes).size !== axes.length) throw n.shapeError(`axes ${formatShape(raw ?? [])} repeat an axis`);
  const out = keep ? x!.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x!.shape.filter((_, i) => !axes.includes(i));
  return one(x!.dtype, out);
});

export const NORM_RULES: Partial<Record<OpType, ShapeRule>> = {
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  ReduceMean: reduceMean,
};
