/**
 * Host-side preparation of the WebGPU NMS kernel's input: boxes and areas gathered in processing order as f32,
 * the error bound of f32 coordinates, and the threshold margins. Decides whether the GPU can give exact answers
 * for these boxes at all (see `gpuUnsupportedReason`). Not exported from the package.
 */
import type { Coords } from '../internal/nms-kernel.js';
import type { MaskInput } from './nms-mask-gpu.js';

/** Coordinates the kernel handles: 0 or a magnitude in [2^-30, 2^60] (as f32), so no f32 step over/underflows. */
const MIN_COORD = 2 ** -30;
const MAX_COORD = 2 ** 60;
/** Relative margin around the threshold within which the GPU's f32 answer is not trusted (f32 error: ~1e-7). */
const MARGIN = 2e-5;
/** Lower bound of the "surely above" threshold, so a sure IoU is never one that f32 division would flush to 0. */
const MIN_THRESHOLD = 2 ** -60;

const hasNaN = (c: Coords, p: number): boolean =>
  Number.isNaN(c[p]!) || Number.isNaN(c[p + 1]!) || Number.isNaN(c[p + 2]!) || Number.isNaN(c[p + 3]!);

/**
 * Why these boxes cannot run on the GPU exactly, or `undefined` if they can: an infinite coordinate or one whose
 * f32 magnitude is outside {0} U [2^-30, 2^60]. (Boxes with a NaN coordinate are fine: they never suppress and
 * are never suppressed, so the kernel gets an inert box instead.)
 */
export function gpuUnsupportedReason(c: Coords, order: Int32Array, name: string): string | undefined {
  for (let t = 0; t < order.length; t++) {
    const p = 4 * order[t]!;
    if (hasNaN(c, p)) continue;
    for (let k = 0; k < 4; k++) {
      const v = Math.abs(Math.fround(c[p + k]!));
      if (v !== 0 && !(v >= MIN_COORD && v <= MAX_COORD)) {
        return `${name}[${4 * order[t]! + k}] (box ${order[t]}) is ${c[p + k]}: the WebGPU kernel takes coordinates that are 0 or of magnitude in [2^-30, 2^60]`;
      }
    }
  }
  return undefined;
}

/**
 * The kernel's input for the boxes `order` (processing order). `areas` are the CPU path's areas (`boxAreas`);
 * `classIds` (dense u32, per original index) makes it class-aware. Call only when `gpuUnsupportedReason` is
 * undefined.
 */
export function prepareMaskInput(
  c: Coords,
  f32: boolean,
  areas: Float64Array,
  order: Int32Array,
  threshold: number,
  classIds?: Uint32Array,
): MaskInput {
  const n = order.length;
  let maxAbs = 0;
  for (let t = 0; t < n; t++) {
    const p = 4 * order[t]!;
    if (hasNaN(c, p)) continue;
    for (let k = 0; k < 4; k++) maxAbs = Math.max(maxAbs, Math.abs(c[p + k]!));
  }
  const maxAbs32 = Math.fround(maxAbs);
  // A box that intersects nothing, even widened by absErr: (B, B, -B, -B) with B above every coordinate.
  const inert = Math.max(maxAbs32, 1);
  const boxes = new Float32Array(4 * n);
  const sortedAreas = new Float32Array(n);
  const classes = new Uint32Array(n);
  for (let t = 0; t < n; t++) {
    const i = order[t]!;
    const p = 4 * i;
    if (hasNaN(c, p)) {
      boxes.set([inert, inert, -inert, -inert], 4 * t);
      continue; // area 0
    }
    boxes[4 * t] = c[p]!;
    boxes[4 * t + 1] = c[p + 1]!;
    boxes[4 * t + 2] = c[p + 2]!;
    boxes[4 * t + 3] = c[p + 3]!;
    sortedAreas[t] = areas[i]!;
    if (classIds) classes[t] = classIds[i]!;
  }
  // float64 input: each coordinate moves by at most ulp(maxAbs) / 2 when rounded to f32, an intersection side by
  // ulp(maxAbs), plus the rounding of the f32 subtraction: 2 ulp bound it; 8 ulp leaves room for log2's rounding.
  // float32 input is exact: 0.
  const ulp = maxAbs32 > 0 ? 2 ** (Math.floor(Math.log2(maxAbs32)) - 23) : 0;
  return {
    boxes,
    areas: sortedAreas,
    classes,
    count: n,
    thrHi: Math.fround(Math.max(threshold, MIN_THRESHOLD) * (1 + MARGIN)),
    thrLo: Math.fround(threshold * (1 - MARGIN)),
    absErr: f32 ? 0 : 8 * ulp,
  };
}
