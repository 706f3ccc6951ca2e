import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/**
 * MaxRoiPool(X [N, C, H, W], rois [R, 5] (batch_index, x1, y1, x2, y2)) -> [R, C, pooled_shape[0],
 * pooled_shape[1]], as ONNX's opset 1 (torchvision's roi_pool).
 */
const maxRoiPool = rule('MaxRoiPool', (n) => {
  const [x, rois] = n.take(['X', 'rois']) as [ValueInfo, ValueInfo];
  n.requireFloat(x, 'input X');
  n.requireFloat(rois, 'input rois', { value: x, name: 'input X' });
  n.requireRank(x, 'input X', [4]);
  n.requireRank(rois, 'input rois', [2]);
  if (rois.shape[1] !== 5 && typeof rois.shape[1] === 'number') {
    throw n.shapeError(`input rois must be [R, 5] (batch_index, x1, y1, x2, y2), got ${formatShape(rois.shape)}`);
  }
  const pooled = n.ints('pooled_shape', 1);
  if (pooled === undefined || pooled.length !== 2) {
    throw n.shapeError(`attribute pooled_shape is required as [height, width], got ${JSON.stringify(pooled)}`);
  }
  const scale = n.float('spatial_scale', 1);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`${n.where}: attribute spatial_scale: expected a positive number, got ${scale}`);
  }
  return one(x.dtype, [rois.shape[0]!, x.shape[1]!, pooled[0]!, pooled[1]!]);
});

export const MAX_ROI_POOL_RULES: Partial<Record<OpType, ShapeRule>> = { MaxRoiPool: maxRoiPool };
