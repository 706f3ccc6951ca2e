/**
 * `BoxCoder` as torchvision's (`torchvision.models.detection._utils.BoxCoder`): encodes ground-truth boxes
 * relative to reference boxes (anchors or proposals) as `(dx, dy, dw, dh)` =
 * `(wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * log(gw / aw), wh * log(gh / ah))` (centres and sizes of
 * `(x1, y1, x2, y2)` boxes), and decodes such deltas back, with `dw, dh` clamped to `bboxXformClip`
 * (default `log(1000 / 16)`) before `exp`. Arrays are 4N numbers; the result is a Float32Array (computed in
 * float64).
 */
import { ShapeError } from '@striate/core';
import { readBoxesArg, readNumber } from './internal/args.js';

export const BBOX_XFORM_CLIP = Math.log(1000 / 16);

export class BoxCoder {
  readonly weights: readonly [number, number, number, number];
  readonly bboxXformClip: number;

  constructor(weights: readonly [number, number, number, number] = [1, 1, 1, 1], bboxXformClip = BBOX_XFORM_CLIP) {
    if (!Array.isArray(weights) || weights.length !== 4) {
      throw new RangeError(`BoxCoder: weights: expected [wx, wy, ww, wh], got ${String(weights)}`);
    }
    weights.forEach((w, i) => {
      readNumber(w, `BoxCoder: weights[${i}]`, 0, true);
    });
    this.weights = [weights[0], weights[1], weights[2], weights[3]];
    this.bboxXformClip = readNumber(bboxXformClip, 'BoxCoder: bboxXformClip');
  }

  /** Deltas of `boxes` (ground truth) relative to `reference` (anchors/proposals), torchvision's `encode_single`. */
  encode(boxes: Float32Array | Float64Array, reference: Float32Array | Float64Array): Float32Array {
    const g = readBoxesArg(boxes, 'BoxCoder.encode: boxes');
    const a = readBoxesArg(reference, 'BoxCoder.encode: reference');
    if (g.count !== a.count) {
      throw new ShapeError(`BoxCoder.encode: boxes and reference need the same count, got ${g.count} and ${a.count}`);
    }
    const [wx, wy, ww, wh] = this.weights;
    const out = new Float32Array(4 * g.count);
    const gc = g.coords;
    const ac = a.coords;
    for (let p = 0; p < out.length; p += 4) {
      const aw = ac[p + 2]! - ac[p]!;
      const ah = ac[p + 3]! - ac[p + 1]!;
      const ax = ac[p]! + 0.5 * aw;
      const ay = ac[p + 1]! + 0.5 * ah;
      const gw = gc[p + 2]! - gc[p]!;
      const gh = gc[p + 3]! - gc[p + 1]!;
      const gx = gc[p]! + 0.5 * gw;
      const gy = gc[p + 1]! + 0.5 * gh;
      out[p] = (wx * (gx - ax)) / aw;
      out[p + 1] = (wy * (gy - ay)) / ah;
      out[p + 2] = ww * Math.log(gw / aw);
      out[p + 3] = wh * Math.log(gh / ah);
    }
    return out;
  }

  /** Boxes from `deltas` applied to `reference`, torchvision's `decode_single`. */
  decode(deltas: Float32Array | Float64Array, reference: Float32Array | Float64Array): Float32Array {
    const d = readBoxesArg(deltas, 'BoxCoder.decode: deltas');
    const a = readBoxesArg(reference, 'BoxCoder.decode: reference');
    if (d.count !== a.count) {
      throw new ShapeError(`BoxCoder.decode: deltas and reference need the same count, got ${d.count} and ${a.count}`);
    }
    const [wx, wy, ww, wh] = this.weights;
    const clip = this.bboxXformClip;
    const out = new Float32Array(4 * d.count);
    const dc = d.coords;
    const ac = a.coords;
    for (let p = 0; p < out.length; p += 4) {
      const aw = ac[p + 2]! - ac[p]!;
      const ah = ac[p + 3]! - ac[p + 1]!;
      const ax = ac[p]! + 0.5 * aw;
      const ay = ac[p + 1]! + 0.5 * ah;
      const dx = dc[p]! / wx;
      const dy = dc[p + 1]! / wy;
      const dw = Math.min(dc[p + 2]! / ww, clip);
      const dh = Math.min(dc[p + 3]! / wh, clip);
      const cx = dx * aw + ax;
      const cy = dy * ah + ay;
      const halfW = 0.5 * Math.exp(dw) * aw;
      const halfH = 0.5 * Math.exp(dh) * ah;
      out[p] = cx - halfW;
      out[p + 1] = cy - halfH;
      out[p + 2] = cx + halfW;
      out[p + 3] = cy + halfH;
    }
    return out;
  }
}
