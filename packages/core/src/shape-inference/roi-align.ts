import { DTypeError } from '../errors.js';
import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { unifyDims } from './dims.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

export const ROI_ALIGN_MODES = ['avg', 'max'] as const;
export const ROI_ALIGN_COORDINATE_MODES = ['half_pixel', 'output_half_pixel'] as const;

/**
 * RoiAlign(X [N, C, H, W], rois [R, 4] (x1, y1, x2, y2), batch_indices [R] int64) -> [R, C, output_height,
 * output_width], as ONNX's opset 16 (coordinate_transformation_mode 'half_pixel' is torchvision's aligned=True,
 * 'output_half_pixel' its aligned=False; sampling_ratio 0 is adaptive).
 */
const roiAlign = rule('RoiAlign', (n) => {
  const [x, rois, idx] = n.take(['X', 'rois', 'batch_indices']) as [ValueInfo, ValueInfo, ValueInfo];
  n.requireFloat(x, 'input X');
  n.requireFloat(rois, 'input rois', { value: x, name: 'input X' });
  if (idx.dtype !== 'int64') throw new DTypeError(`${n.where}: input batch_indices must be int64, got ${idx.dtype}`);
  n.requireRank(x, 'input X', [4]);
  n.requireRank(rois, 'input rois', [2]);
  n.requireRank(idx, 'input batch_indices', [1]);
  if (rois.shape[1] !== 4 && typeof rois.shape[1] === 'number') {
    throw n.shapeError(`input rois must be [R, 4] (x1, y1, x2, y2), got ${formatShape(rois.shape)}`);
  }
  const r = unifyDims(rois.shape[0]!, idx.shape[0]!);
  if (r === undefined) {
    throw n.shapeError(
      `input rois ${formatShape(rois.shape)} and batch_indices ${formatShape(idx.shape)} must have the same ` +
        'number of RoIs',
    );
  }
  n.string('mode', 'avg', ROI_ALIGN_MODES);
  n.string('coordinate_transformation_mode', 'half_pixel', ROI_ALIGN_COORDINATE_MODES);
  const oh = n.int('output_height', 1, 1);
  const ow = n.int('output_width', 1, 1);
  n.int('sampling_ratio', 0, 0);
  const scale = n.float('spatial_scale', 1);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`${n.where}: attribute spatial_scale: expected a positive number, got ${scale}`);
  }
  return one(x.dtype, [r, x.shape[1]!, oh, ow]);
});

export const ROI_ALIGN_RULES: Partial<Record<OpType, ShapeRule>> = { RoiAlign: roiAlign };
