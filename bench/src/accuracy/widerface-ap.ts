/** WIDER FACE easy / medium / hard AP of a face detector on widerface-val200 (or a subset of its images). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '@striate/core';
import { DataError } from '@striate/core';
import { type Decoder, detect, evaluateWiderFace, type WiderFaceResult } from '@striate/detection';
import { pickFiles } from '../data/subsets.js';
import { loadRgbImage } from './detector-map.js';

export interface WiderFaceApOptions {
  /** Only these image files (all must be in the ground truth); default every image. */
  files?: readonly string[];
  /** Candidate score threshold (default 0.02, as @striate/detection's `scripts/map.ts`). */
  scoreThreshold?: number;
}

/**
 * Runs the detector on the images of `wider_val200_gt.json` under `root` (the 416x416 images its boxes refer to)
 * and scores the detections with `evaluateWiderFace` (the official protocol) on the same images.
 */
export async function widerFaceAp(
  model: CompiledModel,
  decoder: Decoder,
  root: string,
  options: WiderFaceApOptions = {},
): Promise<WiderFaceResult & { images: number }> {
  const gtPath = join(root, 'wider_val200_gt.json');
  if (!existsSync(gtPath)) throw new DataError(`widerface: ground truth ${gtPath} does not exist (STRIATE_DATA)`);
  const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as { images?: { file: string }[] };
  if (!Array.isArray(gt.images)) throw new DataError(`${gtPath}: expected { images: [...] }`);
  const images = pickFiles(gt.images, (i) => i.file, options.files, gtPath);
  const predictions: Record<string, number[][]> = {};
  for (const im of images) {
    const path = join(root, 'images', im.file);
    if (!existsSync(path)) throw new DataError(`${gtPath}: image ${im.file} is not in ${join(root, 'images')}`);
    const dets = await detect(model, decoder, await loadRgbImage(path), {
      scoreThreshold: options.scoreThreshold ?? 0.02,
      maxDetections: 750,
    });
    predictions[im.file] = dets.map((d) => [d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1], d.score]);
  }
  return { ...evaluateWiderFace({ gt: { ...gt, images }, predictions }), images: images.length };
}
