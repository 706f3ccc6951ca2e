import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { floatAttr, floatInput, intsAttr, where } from './kernel-args.js';
import type { Kernel } from './types.js';

/** C's `round`: half away from zero. */
const roundHalfAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/**
 * ONNX MaxRoiPool (Fast R-CNN's RoI pooling, torchvision's `roi_pool`): each RoI `(batch, x1, y1, x2, y2)` is scaled
 * and rounded half away from zero (in float32, as the CPU kernels), made at least 1x1 with an inclusive end, and
 * split into bins `[floor(p * bin), ceil((p + 1) * bin))` clipped to the map; each output is the maximum of its bin,
 * 0 for an empty bin. The coordinates are float32 on purpose: the rounding must see the same products as torchvision.
 */
export const maxRoiPool: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X', 4);
  const rois = floatInput(inputs, 1, node, 'rois', 2);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (rois.shape[1] !== 5) {
    throw new ShapeError(
      `${where(node)}: rois: expected [R, 5] (batch_index, x1, y1, x2, y2), got ${formatShape(rois.shape)}`,
    );
  }
  const pooled = intsAttr(node, 'pooled_shape', 2);
  if (!pooled || pooled.some((v) => v < 1)) {
    throw new RangeError(`${where(node)}: attribute pooled_shape: expected two integers >= 1, got ${pooled}`);
  }
  const [ph, pw] = pooled as [number, number];
  const scale = floatAttr(node, 'spatial_scale', 1);
  const fr = Math.fround;
  const r = rois.shape[0]!;
  const rd = rois.data;
  const xd = x.data;
  const out = new Float32Array(r * c * ph * pw);
  for (let k = 0; k < r; k++) {
    const b = rd[5 * k]!;
    if (!Number.isInteger(b) || b < 0 || b >= n) {
      throw new RangeError(`${where(node)}: rois[${k}][0] (batch index) is ${b}; expected an integer in [0, ${n - 1}]`);
    }
    const x1 = roundHalfAway(fr(rd[5 * k + 1]! * scale));
    const y1 = roundHalfAway(fr(rd[5 * k + 2]! * scale));
    const x2 = roundHalfAway(fr(rd[5 * k + 3]! * scale));
    const y2 = roundHalfAway(fr(rd[5 * k + 4]! * scale));
    const binH = fr(Math.max(y2 - y1 + 1, 1) / ph);
    const binW = fr(Math.max(x2 - x1 + 1, 1) / pw);
    for (let py = 0; py < ph; py++) {
      const hs = Math.min(Math.max(Math.floor(fr(py * binH)) + y1, 0), h);
      const he = Math.min(Math.max(Math.ceil(fr((py + 1) * binH)) + y1, 0), h);
      for (let px = 0; px < pw; px++) {
        const ws = Math.min(Math.max(Math.floor(fr(px * binW)) + x1, 0), w);
        const we = Math.min(Math.max(Math.ceil(fr((px + 1) * binW)) + x1, 0), w);
        const empty = he <= hs || we <= ws;
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h * w;
          let max = empty ? 0 : Number.NEGATIVE_INFINITY;
          for (let yy = hs; yy < he; yy++) {
            for (let xx = ws; xx < we; xx++) max = Math.max(max, xd[plane + yy * w + xx]!);
          }
          out[((k * c + ch) * ph + py) * pw + px] = max;
        }
      }
    }
  }
  return [new Tensor('float32', [r, c, ph, pw], out)];
};
