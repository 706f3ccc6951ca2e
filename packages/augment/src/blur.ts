/**
 * Gaussian blur as torchvision `gaussian_blur`: a separable kernel `exp(-x^2 / (2 sigma^2))` over
 * `x = -(k-1)/2 .. (k-1)/2`, normalised, with reflect padding (`torch.nn.functional.pad(mode='reflect')`), rounded
 * half to even. Computed in float64 (torch: float32), so a value can differ by one level. Image-only.
 */
import { integer, positive } from './internal/check.js';
import { assertImage, type ImageU8 } from './sample.js';
import { roundHalfEven } from './warp.js';

export function gaussianKernel1d(size: number, sigma: number): Float64Array {
  const k = new Float64Array(size);
  const half = (size - 1) * 0.5;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = (i - half) / sigma;
    k[i] = Math.exp(-0.5 * x * x);
    sum += k[i]!;
  }
  for (let i = 0; i < size; i++) k[i] = k[i]! / sum;
  return k;
}

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - m;
  return m;
}

/** Blurs with an odd `kernelSize` `[kh, kw]` (or one number) and `sigma` `[sy, sx]` (or one number). */
export function gaussianBlur(
  image: ImageU8,
  kernelSize: number | readonly [number, number],
  sigma: number | readonly [number, number],
): ImageU8 {
  const fn = 'gaussianBlur';
  assertImage(image, fn);
  const [kh, kw] = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
  for (const [k, name] of [
    [kh, 'kernelSize[0]'],
    [kw, 'kernelSize[1]'],
  ] as const) {
    integer(k, fn, name, 1);
    if (k % 2 === 0) throw new RangeError(`${fn}: ${name}: expected an odd size, got ${k}`);
  }
  const [sy, sx] = typeof sigma === 'number' ? [sigma, sigma] : sigma;
  positive(sy, fn, 'sigma[0]');
  positive(sx, fn, 'sigma[1]');
  const kx = gaussianKernel1d(kw, sx);
  const ky = gaussianKernel1d(kh, sy);
  const { data, height: h, width: w, channels: c } = image;
  const rx = (kw - 1) / 2;
  const ry = (kh - 1) / 2;
  const mid = new Float64Array(data.length);
  const xIdx = new Int32Array(w * kw);
  for (let x = 0; x < w; x++) for (let t = 0; t < kw; t++) xIdx[x * kw + t] = reflect(x + t - rx, w) * c;
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let t = 0; t < kw; t++) s += kx[t]! * data[row + xIdx[x * kw + t]! + ch]!;
        mid[row + x * c + ch] = s;
      }
    }
  }
  const out = new Uint8Array(data.length);
  const rowLen = w * c;
  const acc = new Float64Array(rowLen);
  for (let y = 0; y < h; y++) {
    acc.fill(0);
    for (let t = 0; t < kh; t++) {
      const base = reflect(y + t - ry, h) * rowLen;
      const wt = ky[t]!;
      for (let x = 0; x < rowLen; x++) acc[x] = acc[x]! + wt * mid[base + x]!;
    }
    for (let x = 0; x < rowLen; x++) out[y * rowLen + x] = Math.min(255, Math.max(0, roundHalfEven(acc[x]!)));
  }
  return { ...image, data: out };
}
