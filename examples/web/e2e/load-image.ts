/** Reads a JPEG/PNG file as an HWC uint8 RGB image with sharp, as the Node side of the comparison sees it. */
import type { RgbImage } from '@striate/detection';
import sharp from 'sharp';

export async function loadRgbImage(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${path}: expected 3 channels after removeAlpha, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}
