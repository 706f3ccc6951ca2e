import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';
import { readWindowAttrs, windowOutputDim } from './window.js';

/** MaxPool / AveragePool: X (N, C, spatial...), kernel_shape required; ceil_mode as PyTorch (see conv-shape). */
function pool(op: 'MaxPool' | 'AveragePool'): ShapeRule {
  return rule(op, (n) => {
    const [x] = n.take(['X']) as [ValueInfo];
    n.requireFloat(x, 'input X');
    n.requireRank(x, 'input X', { min: 3 });
    const spatial = x.shape.length - 2;
    const kernel = n.ints('kernel_shape', 1);
    if (kernel === undefined) throw n.shapeError('attribute kernel_shape is required');
    if (kernel.length !== spatial) {
      throw n.shapeError(
        `attribute kernel_shape ${formatShape(kernel)} has ${kernel.length} values but input X ` +
          `${formatShape(x.shape)} has ${spatial} spatial dims`,
      );
    }
    const ceilMode = n.flag('ceil_mode', 0);
    if (op === 'AveragePool') n.flag('count_include_pad', 0);
    else n.flag('storage_order', 0);
    const win = readWindowAttrs(n, spatial, kernel);
    const out = x.shape.slice(2).map((d, i) => windowOutputDim(n, 'pool', win, i, d, ceilMode));
    return one(x.dtype, [x.shape[0]!, x.shape[1]!, ...out]);
  });
}

/** GlobalAveragePool / GlobalMaxPool: (N, C, spatial...) -> (N, C, 1, ...). */
function globalPool(op: 'GlobalAveragePool' | 'GlobalMaxPool'): ShapeRule {
  return rule(op, (n) => {
    const [x] = n.take(['X']) as [ValueInfo];
    n.requireFloat(x, 'input X');
    n.requireRank(x, 'input X', { min: 3 });
    return one(x.dtype, [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)]);
  });
}

export const POOL_RULES: Partial<Record<OpType, ShapeRule>> = {
  MaxPool: pool('MaxPool'),
  AveragePool: pool('AveragePool'),
  GlobalAveragePool: globalPool('GlobalAveragePool'),
  GlobalMaxPool: globalPool('GlobalMaxPool'),
};
