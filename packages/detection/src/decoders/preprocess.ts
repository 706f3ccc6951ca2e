/**
 * Preprocessing of an HWC uint8 RGB image for a detector: bilinear resize (OpenCV's `INTER_LINEAR` sampling:
 * half-pixel centres, edge clamping, no antialiasing) as a stretch or a centred letterbox, channel order,
 * `(x - mean) / std`, NCHW or NHWC. Returns the input tensor and the transform that maps boxes back.
 */
import { DataError, describeValue, ShapeError, Tensor } from '@striate/core';
import type { PreprocessSpec } from './config.js';

/** An image as `detect` takes it: `height * width * 3` bytes, RGB, row-major (HWC). */
export interface RgbImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Model-input pixel `(u, v)` maps to original pixel `((u - padX) / scaleX, (v - padY) / scaleY)`. */
export interface InputTransform {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  /** Original image size (for clipping). */
  width: number;
  height: number;
}

export function checkImage(image: RgbImage, name: string): void {
  if (image === null || typeof image !== 'object') throw new TypeError(`${name}: expected { data, width, height }`);
  const { data, width, height } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new RangeError(`${name}: width and height must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new TypeError(`${name}.data: expected a Uint8Array of RGB bytes, got ${describeValue(data)}`);
  }
  if (data.length !== width * height * 3) {
    throw new ShapeError(
      `${name}.data: expected ${width}*${height}*3 = ${width * height * 3} bytes, got ${data.length}`,
    );
  }
}

/** Sampling positions of OpenCV's bilinear resize along one axis: source index pairs and weights. */
function axisTaps(src: number, dst: number): { i0: Int32Array; i1: Int32Array; w1: Float32Array } {
  const i0 = new Int32Array(dst);
  const i1 = new Int32Array(dst);
  const w1 = new Float32Array(dst);
  const scale = src / dst;
  for (let d = 0; d < dst; d++) {
    let f = (d + 0.5) * scale - 0.5;
    if (f < 0) f = 0;
    let lo = Math.floor(f);
    if (lo >= src - 1) {
      lo = src - 1;
      f = lo;
    }
    i0[d] = lo;
    i1[d] = Math.min(lo + 1, src - 1);
    w1[d] = f - lo;
  }
  return { i0, i1, w1 };
}

/** Resizes `image` to `outW x outH` (bilinear) into float32 RGB HWC. */
export function resizeBilinear(image: RgbImage, outW: number, outH: number): Float32Array {
  checkImage(image, 'resizeBilinear: image');
  const { data, width, height } = image;
  const xs = axisTaps(width, outW);
  const ys = axisTaps(height, outH);
  const out = new Float32Array(outW * outH * 3);
  for (let y = 0; y < outH; y++) {
    const r0 = ys.i0[y]! * width * 3;
    const r1 = ys.i1[y]! * width * 3;
    const wy = ys.w1[y]!;
    for (let x = 0; x < outW; x++) {
      const c0 = xs.i0[x]! * 3;
      const c1 = xs.i1[x]! * 3;
      const wx = xs.w1[x]!;
      const o = (y * outW + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = data[r0 + c0 + c]! * (1 - wx) + data[r0 + c1 + c]! * wx;
        const bottom = data[r1 + c0 + c]! * (1 - wx) + data[r1 + c1 + c]! * wx;
        out[o + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/** The input tensor for `spec` and the transform back to `image`'s pixels. */
export function preprocessImage(
  image: RgbImage,
  spec: PreprocessSpec,
): { input: Tensor<'float32'>; transform: InputTransform } {
  checkImage(image, 'preprocessImage: image');
  const W = spec.width;
  const H = spec.height;
  let scaleX = W / image.width;
  let scaleY = H / image.height;
  let padX = 0;
  let padY = 0;
  let innerW = W;
  let innerH = H;
  if (spec.resize === 'letterbox') {
    const s = Math.min(scaleX, scaleY);
    scaleX = s;
    scaleY = s;
    innerW = Math.max(1, Math.round(image.width * s));
    innerH = Math.max(1, Math.round(image.height * s));
    padX = Math.floor((W - innerW) / 2);
    padY = Math.floor((H - innerH) / 2);
  } else if (spec.resize !== 'stretch') {
    throw new DataError(`preprocess.resize: expected 'stretch' or 'letterbox', got ${describeValue(spec.resize)}`);
  }
  const resized = resizeBilinear(image, innerW, innerH);
  const pad = spec.padValue ?? 114;
  const order = spec.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const data = new Float32Array(W * H * 3);
  const nchw = spec.layout === 'nchw';
  for (let c = 0; c < 3; c++) {
    const src = order[c]!;
    const mean = spec.mean[c]!;
    const inv = 1 / spec.std[c]!;
    const padded = (pad - mean) * inv;
    for (let y = 0; y < H; y++) {
      const iy = y - padY;
      for (let x = 0; x < W; x++) {
        const ix = x - padX;
        const inside = iy >= 0 && iy < innerH && ix >= 0 && ix < innerW;
        const v = inside ? (resized[(iy * innerW + ix) * 3 + src]! - mean) * inv : padded;
        data[nchw ? (c * H + y) * W + x : (y * W + x) * 3 + c] = v;
      }
    }
  }
  const shape = nchw ? [1, 3, H, W] : [1, H, W, 3];
  return {
    input: new Tensor('float32', shape, data),
    transform: { scaleX, scaleY, padX, padY, width: image.width, height: image.height },
  };
}
