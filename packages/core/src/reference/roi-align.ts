import { DTypeError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatAttr, floatInput, intAttr, stringAttr, where } from './kernel-args.js';
import type { Kernel } from './types.js';

/**
 * ONNX RoiAlign (opset 16) in float64. Each output bin averages (mode 'avg') a grid of bilinear samples, as
 * torchvision's roi_align: `half_pixel` shifts the box by -0.5 (aligned=True), `output_half_pixel` does not and
 * makes each box at least 1x1 (aligned=False); the grid is `sampling_ratio` per side, or ceil(bin size) when 0. A
 * sample outside [-1, H] x [-1, W] counts as 0; one in [-1, 0] reads the border.
 *
 * Mode 'max' is ONNX Runtime's, which the ONNX reference implementation follows: the maximum over the samples of
 * the four *weighted* corner terms (w1*v1, ..., w4*v4), not of the interpolated values.
 */

/** One axis of a sample: the two rows (or columns) it reads and their weights; weights 0 when out of range. */
interface Tap {
  lo: number;
  hi: number;
  wLo: number;
  wHi: number;
}

function tap(s: number, size: number): Tap {
  if (s < -1 || s > size) return { lo: 0, hi: 0, wLo: 0, wHi: 0 };
  let v = Math.max(s, 0);
  let lo = Math.floor(v);
  let hi = lo + 1;
  if (lo >= size - 1) {
    lo = hi = size - 1;
    v = lo;
  }
  const l = v - lo;
  return { lo, hi, wLo: 1 - l, wHi: l };
}

/** The taps of the `grid` samples of each of `bins` bins along one axis (row-major: bin, then sample). */
function axisTaps(start: number, binSize: number, bins: number, grid: number, size: number): Tap[] {
  const taps: Tap[] = [];
  for (let p = 0; p < bins; p++) {
    for (let i = 0; i < grid; i++) taps.push(tap(start + p * binSize + ((i + 0.5) * binSize) / grid, size));
  }
  return taps;
}

export const roiAlign: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X', 4);
  const rois = floatInput(inputs, 1, node, 'rois', 2);
  const idx = inputs[2];
  if (!idx) throw new TypeError(`${where(node)}: input 2 (batch_indices) is required but missing`);
  if (idx.dtype !== 'int64') throw new DTypeError(`${where(node)}: batch_indices: expected int64, got ${idx.dtype}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const r = rois.shape[0]!;
  if (rois.shape[1] !== 4 || idx.rank !== 1 || idx.shape[0] !== r) {
    throw new ShapeError(
      `${where(node)}: expected rois [R, 4] and batch_indices [R], got rois ${formatShape(rois.shape)} and ` +
        `batch_indices ${formatShape(idx.shape)}`,
    );
  }
  const mode = stringAttr(node, 'mode', 'avg', ['avg', 'max'] as const);
  const coord = stringAttr(node, 'coordinate_transformation_mode', 'half_pixel', [
    'half_pixel',
    'output_half_pixel',
  ] as const);
  const oh = intAttr(node, 'output_height', 1);
  const ow = intAttr(node, 'output_width', 1);
  const ratio = intAttr(node, 'sampling_ratio', 0);
  const scale = floatAttr(node, 'spatial_scale', 1);
  if (oh < 1 || ow < 1 || ratio < 0) {
    throw new RangeError(
      `${where(node)}: expected output_height, output_width >= 1 and sampling_ratio >= 0, got ${oh}, ${ow}, ${ratio}`,
    );
  }
  const offset = coord === 'half_pixel' ? 0.5 : 0;
  const xd = x.data;
  const rd = rois.data;
  const bd = idx.data as BigInt64Array;
  const out = new Float32Array(r * c * oh * ow);
  for (let k = 0; k < r; k++) {
    const b = Number(bd[k]!);
    if (!Number.isInteger(b) || b < 0 || b >= n) {
      throw new RangeError(`${where(node)}: batch_indices[${k}] is ${b}; expected an index in [0, ${n - 1}]`);
    }
    const x1 = rd[4 * k]! * scale - offset;
    const y1 = rd[4 * k + 1]! * scale - offset;
    let rw = rd[4 * k + 2]! * scale - offset - x1;
    let rh = rd[4 * k + 3]! * scale - offset - y1;
    if (coord === 'output_half_pixel') {
      rw = Math.max(rw, 1);
      rh = Math.max(rh, 1);
    }
    const binH = rh / oh;
    const binW = rw / ow;
    const gh = ratio > 0 ? ratio : Math.ceil(rh / oh);
    const gw = ratio > 0 ? ratio : Math.ceil(rw / ow);
    const gy = Math.max(gh, 0);
    const gx = Math.max(gw, 0);
    const count = Math.max(gy * gx, 1);
    const ty = axisTaps(y1, binH, oh, gy, h);
    const tx = axisTaps(x1, binW, ow, gx, w);
    for (let ch = 0; ch < c; ch++) {
      const plane = (b * c + ch) * h * w;
      const o = (k * c + ch) * oh * ow;
      for (let py = 0; py < oh; py++) {
        for (let px = 0; px < ow; px++) {
          let acc = 0;
          let first = true;
          for (let iy = 0; iy < gy; iy++) {
            const a = ty[py * gy + iy]!;
            for (let ix = 0; ix < gx; ix++) {
              const e = tx[px * gx + ix]!;
              const v1 = a.wLo * e.wLo * xd[plane + a.lo * w + e.lo]!;
              const v2 = a.wLo * e.wHi * xd[plane + a.lo * w + e.hi]!;
              const v3 = a.wHi * e.wLo * xd[plane + a.hi * w + e.lo]!;
              const v4 = a.wHi * e.wHi * xd[plane + a.hi * w + e.hi]!;
              if (mode === 'avg') acc += v1 + v2 + v3 + v4;
              else {
                const m = Math.max(v1, v2, v3, v4);
                acc = first ? m : Math.max(acc, m);
                first = false;
              }
            }
          }
          out[o + py * ow + px] = mode === 'avg' ? acc / count : acc;
        }
      }
    }
  }
  return [new Tensor('float32', [r, c, oh, ow], out)];
};
