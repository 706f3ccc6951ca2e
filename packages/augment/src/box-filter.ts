/**
 * Clipping boxes to the canvas and dropping them (with their labels, and their masks when there is one mask per
 * box) below a minimum area or visibility, as albumentations' `BboxParams(min_area, min_visibility)`.
 *
 * Visibility of a box after a geometric op = area of the transformed box clipped to the new canvas / area of the
 * transformed box before clipping (a degenerate box has visibility 0). Areas are in output pixels.
 */
import type { BoxGeometry } from './box-geometry.js';
import { nonNegative, probability } from './internal/check.js';
import { boxesToPixelXyxy, maskCount, pixelXyxyToBoxes, type Sample } from './sample.js';

export interface BoxFilter {
  /** Boxes whose clipped area (in pixels) is below this are dropped. Default 0. */
  minArea?: number;
  /** Boxes with less than this fraction of their area inside the canvas are dropped. Default 0. */
  minVisibility?: number;
}

export function checkBoxFilter(f: BoxFilter | undefined, fn: string): Required<BoxFilter> | undefined {
  if (f === undefined) return undefined;
  if (f === null || typeof f !== 'object') throw new TypeError(`${fn}: boxFilter: expected an object, got ${f}`);
  return {
    minArea: f.minArea === undefined ? 0 : nonNegative(f.minArea, fn, 'boxFilter.minArea'),
    minVisibility: f.minVisibility === undefined ? 0 : probability(f.minVisibility, fn, 'boxFilter.minVisibility'),
  };
}

function area(b: Float32Array, p: number): number {
  return Math.max(0, b[p + 2]! - b[p]!) * Math.max(0, b[p + 3]! - b[p + 1]!);
}

/**
 * The target fields of the output sample after a geometric op: `geom.boxes` (torchvision's result) as they are
 * when there is no filter; clipped and filtered when there is one. `masks` are the already transformed masks.
 */
export function finishTargets(
  sample: Sample,
  geom: BoxGeometry | undefined,
  canvas: readonly [number, number],
  masks: Uint8Array | undefined,
  filter: Required<BoxFilter> | undefined,
): Pick<Sample, 'boxes' | 'labels' | 'masks'> {
  if (!sample.boxes || !geom) return { masks, labels: sample.labels };
  if (!filter) return { boxes: pixelXyxyToBoxes(geom.boxes, sample, canvas), labels: sample.labels, masks };
  const [h, w] = canvas;
  const raw = geom.raw;
  const n = raw.length / 4;
  const keep: number[] = [];
  const clipped = new Float32Array(raw.length);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    clipped[p] = Math.min(Math.max(raw[p]!, 0), w);
    clipped[p + 1] = Math.min(Math.max(raw[p + 1]!, 0), h);
    clipped[p + 2] = Math.min(Math.max(raw[p + 2]!, 0), w);
    clipped[p + 3] = Math.min(Math.max(raw[p + 3]!, 0), h);
    const rawArea = area(raw, p);
    const clippedArea = area(clipped, p);
    const visibility = rawArea > 0 ? clippedArea / rawArea : 0;
    if (clippedArea >= filter.minArea && visibility >= filter.minVisibility) keep.push(i);
  }
  return select({ ...sample, canvasSize: [h, w], masks }, clipped, keep);
}

/** Keeps boxes `keep` (indices) of pixel xyxy `boxes`, with their labels and per-box masks. */
function select(sample: Sample, boxes: Float32Array, keep: number[]): Pick<Sample, 'boxes' | 'labels' | 'masks'> {
  const n = boxes.length / 4;
  const out = new Float32Array(keep.length * 4);
  for (let k = 0; k < keep.length; k++) out.set(boxes.subarray(4 * keep[k]!, 4 * keep[k]! + 4), 4 * k);
  const labels = sample.labels ? keep.map((i) => sample.labels![i]!) : undefined;
  let masks = sample.masks;
  if (masks && maskCount(sample) === n && keep.length !== n) {
    const plane = sample.canvasSize[0] * sample.canvasSize[1];
    const m = new Uint8Array(keep.length * plane);
    for (let k = 0; k < keep.length; k++) m.set(masks.subarray(keep[k]! * plane, (keep[k]! + 1) * plane), k * plane);
    masks = m;
  }
  return { boxes: pixelXyxyToBoxes(out, sample, sample.canvasSize), labels, masks };
}

/**
 * Clips the sample's boxes to its canvas and drops those below `minArea` / `minVisibility` (visibility measured
 * against the unclipped box). Returns a new sample.
 */
export function filterBoxes<L>(sample: Sample<L>, filter: BoxFilter): Sample<L> {
  const f = checkBoxFilter(filter, 'filterBoxes') as Required<BoxFilter>;
  if (!sample.boxes) return sample;
  const xyxy = boxesToPixelXyxy(sample);
  const t = finishTargets(sample, { boxes: xyxy, raw: xyxy }, sample.canvasSize, sample.masks, f);
  return { ...sample, ...t } as Sample<L>;
}
