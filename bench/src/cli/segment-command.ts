/** `striate-bench segment`: the selfie segmentation model on one image; writes the person mask over the image. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTfjsGraphModel } from '@striate/backend-tfjs';
import { DataError, Tensor } from '@striate/core';
import { overlay } from '@striate/segmentation';
import sharp from 'sharp';
import { loadRgbImage } from '../accuracy/detector-map.js';
import { modelsDir } from '../matrix/models.js';
import { writeRgbPng } from '../visual/annotate.js';
import type { SegmentArgs } from './args.js';
import { UsageError } from './args.js';

/** The selfie model's input side (it takes [1, 256, 256, 3] RGB in [0, 1], NHWC). */
const SIDE = 256;

export interface PersonMask {
  /** 1 = person, 0 = background, at the image's size [height, width]. */
  mask: Tensor<'uint8'>;
  /** The RGB image uint8 [height, width, 3]. */
  image: Tensor<'uint8'>;
  providers: string[];
}

/**
 * Runs MediaPipe's selfie segmentation (TF.js graph model) on the image file: RGB resized to 256x256 (sharp,
 * bilinear, aspect not kept) in [0, 1] -> person probability -> resized back to the image (bilinear) -> > 0.5.
 */
export async function selfieMask(imagePath: string, device: string): Promise<PersonMask> {
  const rgb = await loadRgbImage(imagePath);
  const small = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
    .resize(SIDE, SIDE, { fit: 'fill' })
    .raw()
    .toBuffer();
  const input = new Tensor(
    'float32',
    [1, SIDE, SIDE, 3],
    Float32Array.from(small, (v) => v / 255),
  );
  const modelJson = join(modelsDir(), 'selfie-seg', 'selfie.json');
  if (!existsSync(modelJson)) {
    throw new DataError(`selfie: model file ${modelJson} does not exist (set STRIATE_MODELS to the models folder)`);
  }
  const model = await loadTfjsGraphModel(modelJson, { device });
  let prob: Float32Array;
  let providers: string[];
  try {
    const out = await model.run({ [model.inputNames[0]!]: input });
    const t = out[model.outputNames[0]!]!;
    if (t.size !== SIDE * SIDE) {
      throw new DataError(`selfie: expected a ${SIDE}x${SIDE} probability map, got shape [${t.shape.join(', ')}]`);
    }
    prob = t.data as Float32Array;
    providers = [...model.providers];
  } finally {
    model.dispose();
  }
  // Probability as 8-bit grey, resized to the image bilinearly (smoother edges than resizing the 0/1 mask).
  const grey = Uint8Array.from(prob, (p) => Math.round(Math.min(1, Math.max(0, p)) * 255));
  const big = await sharp(grey, { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .resize(rgb.width, rgb.height, { fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const mask = Uint8Array.from(big, (v) => (v > 127 ? 1 : 0));
  return {
    mask: new Tensor('uint8', [rgb.height, rgb.width], mask),
    image: new Tensor(
      'uint8',
      [rgb.height, rgb.width, 3],
      new Uint8Array(rgb.data.buffer, rgb.data.byteOffset, rgb.data.length),
    ),
    providers,
  };
}

/** Person pixels in green, blended at 0.5 over the image. */
const PALETTE = new Uint8Array([0, 0, 0, 0, 230, 90]);

export async function segmentCommand(a: SegmentArgs): Promise<string> {
  if (!existsSync(a.image)) throw new UsageError(`IMAGE: file ${a.image} does not exist`);
  const { mask, image, providers } = await selfieMask(a.image, a.device);
  const [height, width] = mask.shape as [number, number];
  if (a.out !== undefined) {
    const blended = overlay(image, mask, { alpha: 0.5, palette: PALETTE });
    await writeRgbPng(blended.data, width, height, a.out, { palette: a.palette });
  }
  let person = 0;
  for (const v of mask.data) person += v;
  const out = {
    image: a.image,
    width,
    height,
    model: a.model,
    backend: 'tfjs',
    device: a.device,
    providers,
    personFraction: Math.round((person / mask.size) * 1e4) / 1e4,
    ...(a.out !== undefined ? { out: a.out } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
