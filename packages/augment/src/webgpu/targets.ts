/**
 * Moves a sample's targets (boxes, labels, masks, keypoints, canvas size) by the parameters the WebGPU batch path
 * drew for it (`GpuImageBatch.params[k]`), so that the boxes of `batch.readImages()[k]` / `batch.toTensor()` row
 * `k` are those `cpuPipeline(steps).apply(sample, new Rng(seed))` gives (issue #8: parameters drawn once per call,
 * applied to every target). Each step goes through the CPU functional ops and geometry helpers: a flip through
 * `horizontalFlip` / `verticalFlip`, a resize through `resize`, a warp through the drawn inverse matrix (masks with
 * the same row mapper and nearest warp as `affine` / `rotate`, boxes as the envelope of the transformed corners
 * clamped to the canvas); colour and noise parameters leave the targets as they are.
 */
import { describeValue } from '@striate/core';
import type { Matrix2x3 } from '../affine-matrix.js';
import { type BoxFilter, checkBoxFilter, finishTargets } from '../box-filter.js';
import { mapKeypoints, perspectiveGeometry } from '../box-geometry.js';
import { horizontalFlip, resize, verticalFlip } from '../geometric.js';
import { size2 } from '../internal/check.js';
import { assertSample, boxesToPixelXyxy, type Sample } from '../sample.js';
import { affineRowMapper, warpMasks } from '../warp.js';
import type { StepParams } from './steps.js';

export interface MoveTargetsOptions {
  /**
   * Clip and drop boxes (with their labels, and their masks when there is one mask per box) after every flip and
   * warp step, as `RandomHorizontalFlip` / `RandomVerticalFlip` / `RandomRotation` / `RandomAffine` given the same
   * `boxFilter` do (`Resize` takes none). Default: none, as the GPU steps' CPU twins (`cpuPipeline`), which keep
   * every box (warped boxes are still clamped to the canvas).
   */
  boxFilter?: BoxFilter;
}

const OPS: readonly StepParams['op'][] = ['flip', 'warp', 'resize', 'colorJitter', 'hsv', 'noise'];

/**
 * Applies one sample's drawn step parameters (`batch.params[k]`, in step order) to its boxes, labels, masks and
 * keypoints, and returns a new sample with the final `canvasSize` and no `image`: the GPU produced the pixels
 * (`batch.readImages()[k]`), so the input's image, if any, is neither moved nor returned (a stale image of the
 * wrong size would fail `assertSample` after a resize). Attach the GPU image with
 * `{ ...moveTargets(sample, batch.params[k]), image: images[k] }` when a sample with pixels is needed.
 *
 * The sample's canvas must be the batch's input size. Boxes keep their format and normalisation. Results equal
 * the CPU twins' targets: flips, resizes, masks and labels exactly; warped boxes and keypoints to float rounding,
 * since the warp's forward map is rebuilt from the drawn inverse matrix (the params do not keep the angle, scale
 * and shear that `affine` builds it from).
 */
export function moveTargets<L>(
  sample: Sample<L>,
  params: readonly StepParams[],
  opts: MoveTargetsOptions = {},
): Sample<L> {
  const fn = 'moveTargets';
  assertSample(sample, fn);
  if (!Array.isArray(params)) {
    throw new TypeError(
      `${fn}: params: expected the StepParams[] one sample drew (batch.params[k]), got ${describeValue(params)}`,
    );
  }
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError(`${fn}: options: expected an object, got ${describeValue(opts)}`);
  }
  const filter = checkBoxFilter(opts.boxFilter, fn);
  let s: Sample<L> = { ...sample, image: undefined };
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as unknown;
    const name = `params[${i}]`;
    if (p === null || typeof p !== 'object') {
      throw new TypeError(`${fn}: ${name}: expected a StepParams object, got ${describeValue(p)}`);
    }
    const op = (p as { op: unknown }).op;
    if (!(OPS as readonly unknown[]).includes(op)) {
      throw new TypeError(
        `${fn}: ${name}.op: expected one of ${OPS.map((o) => `'${o}'`).join(', ')}, got ${describeValue(op)}`,
      );
    }
    const step = p as StepParams;
    if (step.op === 'flip') {
      if (typeof step.apply !== 'boolean' || typeof step.horizontal !== 'boolean') {
        throw new TypeError(`${fn}: ${name}: expected boolean apply and horizontal (a flip's params)`);
      }
      if (step.apply) {
        s = (step.horizontal ? horizontalFlip : verticalFlip)(s, { boxFilter: opts.boxFilter });
      }
    } else if (step.op === 'warp') {
      s = warpTargets(s, checkInverse(step.inverse, fn, `${name}.inverse`), filter);
    } else if (step.op === 'resize') {
      s = resize(s, size2(step.size, fn, `${name}.size`));
    }
  }
  return s;
}

function checkInverse(m: unknown, fn: string, name: string): Matrix2x3 {
  if (!Array.isArray(m) || m.length !== 6 || !m.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TypeError(`${fn}: ${name}: expected six finite numbers [a, b, c, d, e, f], got ${describeValue(m)}`);
  }
  if (m[0] * m[4] - m[1] * m[3] === 0) throw new RangeError(`${fn}: ${name}: the matrix is singular`);
  return m as Matrix2x3;
}

/**
 * A warp (rotate or affine, no expand) of the targets by its inverse matrix (about the centre, centre 0, as
 * `affineMatrix([0, 0], params, true)`). Masks: the same `affineRowMapper(inverse)` and nearest `warpMasks` as
 * `affine` / `rotate`, so the same bytes. Boxes and keypoints: the matrix in the continuous pixel frame is the
 * homography `[a, b, c', d, e, f', 0, 0]` from output to input points, and `perspectiveGeometry` applies to it the
 * rule `affineGeometry` applies (envelope of the four transformed corners, clamped to the canvas; unclamped boxes
 * kept for the filter) through the inverted map, which `affineGeometry` would build from `AffineParams`.
 */
function warpTargets<L>(s: Sample<L>, inverse: Matrix2x3, filter: ReturnType<typeof checkBoxFilter>): Sample<L> {
  const [h, w] = s.canvasSize;
  const [a, b, c, d, e, f] = inverse;
  const cx = w * 0.5;
  const cy = h * 0.5;
  const coeffs = [a, b, c + cx - a * cx - b * cy, d, e, f + cy - d * cx - e * cy, 0, 0];
  const geom = perspectiveGeometry(boxesToPixelXyxy(s), [h, w], coeffs);
  const masks = s.masks && warpMasks(s.masks, h, w, h, w, affineRowMapper(inverse, h, w, h, w));
  return {
    ...s,
    keypoints: mapKeypoints(s.keypoints, geom.map),
    ...finishTargets(s, s.boxes ? geom : undefined, [h, w], masks, filter),
  } as Sample<L>;
}
