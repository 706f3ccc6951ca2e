/**
 * pycocotools' default evaluation parameters for boxes and masks, with the thresholds computed the way
 * `np.linspace` computes them (`i * step + start`, last value set to `stop`) so comparisons against them agree bit for
 * bit.
 */

function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/** IoU thresholds .50:.05:.95 (10 values). */
export const IOU_THRESHOLDS: Float64Array = linspace(0.5, 0.95, 10);
/** Recall points 0:.01:1 (101 values). */
export const RECALL_THRESHOLDS: Float64Array = linspace(0, 1, 101);
/** Maximum detections per image (and category) for the recall summaries; the last one bounds every image. */
export const MAX_DETS: readonly number[] = [1, 10, 100];
/** Area ranges `[lo, hi]` (inclusive) of `all`, `small`, `medium`, `large`. */
export const AREA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1e5 ** 2],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e5 ** 2],
];
export const AREA_LABELS: readonly string[] = ['all', 'small', 'medium', 'large'];

/** Names of the 12 summary numbers, in pycocotools' order. */
export const COCO_STAT_NAMES: readonly string[] = [
  'AP',
  'AP50',
  'AP75',
  'APs',
  'APm',
  'APl',
  'AR1',
  'AR10',
  'AR100',
  'ARs',
  'ARm',
  'ARl',
];

/** `np.spacing(1)`: added to the precision denominator as pycocotools does. */
export const EPS = 2.220446049250313e-16;
