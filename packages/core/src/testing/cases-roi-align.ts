import type { Attrs } from '../graph.js';
import type { Value } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { type CaseContext, type ConformanceCase, defineCase } from './case.js';

/** RoIs as graph inputs: boxes [R, 4] (x1, y1, x2, y2) and their batch indices [R] int64, fed with these values. */
function roiInputs(c: CaseContext, boxes: readonly number[], batch: readonly number[]): [Value, Value] {
  c.feeds.rois = new Tensor('float32', [batch.length, 4], Float32Array.from(boxes));
  c.feeds.batch_indices = new Tensor('int64', [batch.length], BigInt64Array.from(batch, BigInt));
  return [c.b.input('rois', 'float32', [batch.length, 4]), c.b.input('batch_indices', 'int64', [batch.length])];
}

/** `count` random boxes inside [lo, hi]^2 (x1 < x2 and y1 < y2 up to `maxSide`) from the case's seeded RNG. */
function randomBoxes(c: CaseContext, count: number, lo: number, hi: number, maxSide: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = c.rng.uniform(lo, hi);
    const y = c.rng.uniform(lo, hi);
    out.push(x, y, x + c.rng.uniform(0.5, maxSide), y + c.rng.uniform(0.5, maxSide));
  }
  return out;
}

function roiAlign(
  id: string,
  x: readonly number[],
  rois: (c: CaseContext) => { boxes: readonly number[]; batch: readonly number[] },
  attrs: Attrs,
): ConformanceCase {
  return defineCase(`RoiAlign/${id}`, 'RoiAlign', (c) => {
    const input = c.input(x);
    const { boxes, batch } = rois(c);
    return c.op1('RoiAlign', [input, ...roiInputs(c, boxes, batch)], attrs);
  });
}

/**
 * RoiAlign: aligned (half_pixel) and not (output_half_pixel), fixed and adaptive sampling grids (adaptive grids of
 * 1 to 8 samples per side), spatial scales, RoIs spread over the batch, boxes partly or wholly outside the map,
 * degenerate and reversed boxes, no RoIs at all, and ONNX Runtime's 'max' mode.
 */
export const ROI_ALIGN_CASES: readonly ConformanceCase[] = Object.freeze([
  roiAlign(
    'half_pixel, sampling 2, 7x7, RoIs across the batch',
    [2, 3, 12, 14],
    (c) => ({ boxes: randomBoxes(c, 6, -1, 10, 8), batch: [0, 1, 1, 0, 1, 0] }),
    { output_height: 7, output_width: 7, sampling_ratio: 2, spatial_scale: 1 },
  ),
  roiAlign(
    'output_half_pixel, adaptive, scale 0.5, 3x4',
    [2, 4, 9, 11],
    (c) => ({ boxes: randomBoxes(c, 5, 0, 16, 12), batch: [1, 0, 1, 1, 0] }),
    {
      output_height: 3,
      output_width: 4,
      sampling_ratio: 0,
      spatial_scale: 0.5,
      coordinate_transformation_mode: 'output_half_pixel',
    },
  ),
  roiAlign(
    'half_pixel, adaptive grids up to 8 per side, scale 0.25',
    [1, 2, 20, 18],
    (c) => ({ boxes: [...randomBoxes(c, 3, 0, 30, 60), 2, 3, 70, 78, 10, 10, 11, 12], batch: [0, 0, 0, 0, 0] }),
    { output_height: 2, output_width: 2, sampling_ratio: 0, spatial_scale: 0.25 },
  ),
  roiAlign(
    'half_pixel, adaptive, boxes outside, degenerate and reversed',
    [2, 2, 8, 9],
    () => ({
      boxes: [-20, -20, -10, -5, -3, -2, 4, 5, 6, 5, 12, 11, 3, 3, 3, 3, 7, 6, 2, 1, 20, 20, 30, 25],
      batch: [0, 1, 0, 1, 0, 1],
    }),
    { output_height: 3, output_width: 3, sampling_ratio: 0, spatial_scale: 1 },
  ),
  roiAlign(
    'output_half_pixel, sampling 3, boxes outside and degenerate, scale 0.5',
    [2, 2, 8, 9],
    () => ({
      boxes: [-20, -20, -10, -5, -3, -2, 4, 5, 12, 10, 30, 25, 3, 3, 3, 3, 14, 12, 4, 2, 40, 40, 60, 50],
      batch: [1, 0, 1, 0, 1, 0],
    }),
    {
      output_height: 2,
      output_width: 3,
      sampling_ratio: 3,
      spatial_scale: 0.5,
      coordinate_transformation_mode: 'output_half_pixel',
    },
  ),
  roiAlign('no RoIs (no proposals)', [1, 3, 6, 6], () => ({ boxes: [], batch: [] }), {
    output_height: 2,
    output_width: 2,
  }),
  roiAlign(
    'max mode (ONNX Runtime semantics), sampling 2',
    [1, 3, 7, 8],
    (c) => ({ boxes: randomBoxes(c, 3, 0, 5, 5), batch: [0, 0, 0] }),
    { mode: 'max', output_height: 2, output_width: 2, sampling_ratio: 2 },
  ),
]);
