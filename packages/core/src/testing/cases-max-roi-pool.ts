import { Tensor } from '../tensor.js';
import { type ConformanceCase, defineCase } from './case.js';

/** One MaxRoiPool case: X with values in `range` (N(0, 1) when undefined), RoIs `(batch, x1, y1, x2, y2)` as an input. */
function maxRoiPool(
  id: string,
  x: readonly number[],
  range: readonly [number, number] | undefined,
  rois: readonly number[],
  pooled: readonly [number, number],
  scale: number,
): ConformanceCase {
  return defineCase(`MaxRoiPool/${id}`, 'MaxRoiPool', (c) => {
    const input = c.input(x, range);
    const r = rois.length / 5;
    c.feeds.rois = new Tensor('float32', [r, 5], Float32Array.from(rois));
    const roisV = c.b.input('rois', 'float32', [r, 5]);
    return c.op1('MaxRoiPool', [input, roisV], { pooled_shape: [...pooled], spatial_scale: scale });
  });
}

/**
 * MaxRoiPool: bins of uneven size, RoIs across the batch, coordinates that round half away from zero, boxes partly
 * or wholly outside the map (empty bins give 0), degenerate and reversed boxes (made 1x1), no RoIs, negative inputs.
 */
export const MAX_ROI_POOL_CASES: readonly ConformanceCase[] = Object.freeze([
  maxRoiPool(
    'positive inputs, 3x3 bins, RoIs across the batch',
    [2, 3, 10, 12],
    [0.1, 1],
    [0, 1, 1, 8, 7, 1, 0, 2, 11, 9, 1, 3.5, 2.5, 6.4, 9.6, 0, 4, 4, 4, 4, 1, -3, -2, 5, 4],
    [3, 3],
    1,
  ),
  maxRoiPool(
    'positive inputs, scale 0.5, 2x4 bins, boxes outside and reversed',
    [2, 2, 8, 9],
    [0.1, 1],
    [1, 3, 5, 13, 11, 0, -10, -10, -2, -4, 1, 9, 9, 40, 40, 0, 12, 10, 4, 2, 1, 2.9, 1, 17.1, 14.9],
    [2, 4],
    0.5,
  ),
  maxRoiPool(
    'negative and positive inputs, scale 0.25, 7x7 bins',
    [1, 4, 9, 9],
    undefined,
    [0, 0, 0, 35, 35, 0, 6, 10, 30, 22, 0, 2, 2, 9, 9],
    [7, 7],
    0.25,
  ),
  maxRoiPool('no RoIs (no proposals)', [1, 2, 6, 6], undefined, [], [2, 2], 1),
  maxRoiPool('all-negative inputs, 2x2 bins', [1, 2, 6, 6], [-1, -0.1], [0, 0, 0, 5, 5, 0, 1, 2, 3, 3], [2, 2], 1),
]);
