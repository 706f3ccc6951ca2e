/** Synthetic test images (deterministic, no RNG): gradients and patterns with distinct pixel values. @internal */
import type { ImageU8 } from '../sample.js';

/** A `h x w x c` image whose value at (y, x, k) is `(y * 7 + x * 13 + k * 101) & 255`. */
export function patternImage(h: number, w: number, c = 3): ImageU8 {
  const data = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = (y * 7 + x * 13 + k * 101) & 255;
    }
  }
  return { data, height: h, width: w, channels: c };
}

/** A smooth image: value = 40 + y * 2 + x (clamped) on channel 0, 200 - x on 1, 100 + y on 2. */
export function smoothImage(h: number, w: number): ImageU8 {
  const data = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      data[o] = Math.min(255, 40 + 2 * y + x);
      data[o + 1] = Math.max(0, 200 - x);
      data[o + 2] = Math.min(255, 100 + y);
    }
  }
  return { data, height: h, width: w, channels: 3 };
}

export function px(image: ImageU8, y: number, x: number, k = 0): number {
  return image.data[(y * image.width + x) * image.channels + k]!;
}
