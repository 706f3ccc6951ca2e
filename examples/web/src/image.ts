/**
 * Decoding an image file in the browser into the HWC uint8 RGB layout that `@striate/detection` takes. The browser
 * decodes (createImageBitmap) and the pixels are read back at their own size; every resize happens afterwards in
 * TypeScript (`preprocessImage`), so the page and Node preprocess the same pixels the same way.
 */
import type { RgbImage } from '@striate/detection';

/** RGBA bytes (canvas ImageData) -> RGB bytes. */
export function rgbaToRgb(rgba: Uint8ClampedArray, width: number, height: number): RgbImage {
  const n = width * height;
  if (rgba.length !== 4 * n) {
    throw new RangeError(`rgbaToRgb: rgba: expected ${width}*${height}*4 = ${4 * n} bytes, got ${rgba.length}`);
  }
  const data = new Uint8Array(3 * n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    data[3 * i] = rgba[j]!;
    data[3 * i + 1] = rgba[j + 1]!;
    data[3 * i + 2] = rgba[j + 2]!;
  }
  return { data, width, height };
}

export interface DecodedImage {
  rgb: RgbImage;
  /** For drawing: the decoded bitmap at its own size. */
  bitmap: ImageBitmap;
}

/**
 * Decodes a JPEG/PNG/WebP blob at its own size. The browser's default colour handling applies an embedded ICC
 * profile, as sharp does in Node: on COCO 11197 (which has a profile) the two then differ by at most one level
 * (mean 0.04), whereas `colorSpaceConversion: 'none'` differs by up to 36 levels (mean 3.1) and changes detections.
 */
export async function decodeImage(blob: Blob): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none' });
  } catch (error) {
    throw new Error(`decodeImage: the browser cannot decode this file (${blob.type || 'unknown type'}): ${error}`, {
      cause: error,
    });
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('decodeImage: no 2d context on an OffscreenCanvas');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  return { rgb: rgbaToRgb(data, width, height), bitmap };
}

/** The current frame of a playing <video> (webcam) as a blob-free decoded image. */
export async function grabFrame(video: HTMLVideoElement): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(video);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('grabFrame: no 2d context on an OffscreenCanvas');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { rgb: rgbaToRgb(data, bitmap.width, bitmap.height), bitmap };
}
