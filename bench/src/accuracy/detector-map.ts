/** COCO mAP of a detector (a compiled model + a decoder) on a folder of images with COCO ground truth. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledModel } from '@striate/core';
import { DataError } from '@striate/core';
import {
  BLAZEFACE_BACK_256_CONFIG,
  type CocoResult,
  cocoCategoryIdsByYoloIndex,
  createDecoder,
  type Decoder,
  decoderFromJson,
  detect,
  evaluateCoco,
  FASTESTDET_CONFIG,
  type RgbImage,
  toCocoResults,
  ULTRAFACE_RFB_320_CONFIG,
} from '@striate/detection';
import sharp from 'sharp';
import { pickFiles } from '../data/subsets.js';

export const BUILTIN_DECODERS = {
  fastestdet: FASTESTDET_CONFIG,
  ultraface: ULTRAFACE_RFB_320_CONFIG,
  blazeface: BLAZEFACE_BACK_256_CONFIG,
} as const;

/** A built-in decoder name or a path to a decoder JSON file (the `DecoderConfig` schema of @striate/detection). */
export function loadDecoder(nameOrFile: string): Decoder {
  const builtin = (BUILTIN_DECODERS as Record<string, (typeof BUILTIN_DECODERS)[keyof typeof BUILTIN_DECODERS]>)[
    nameOrFile
  ];
  if (builtin) return createDecoder(builtin);
  if (!nameOrFile.endsWith('.json')) {
    throw new RangeError(
      `--decoder: expected ${Object.keys(BUILTIN_DECODERS).join(', ')} or a FILE.json, got '${nameOrFile}'`,
    );
  }
  if (!existsSync(nameOrFile)) throw new RangeError(`--decoder: file ${nameOrFile} does not exist`);
  return decoderFromJson(JSON.parse(readFileSync(nameOrFile, 'utf8')));
}

export async function loadRgbImage(path: string): Promise<RgbImage> {
  const { data, info } = await sharp(path)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new DataError(`${path}: expected 3 channels after removeAlpha, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

interface GtImage {
  id: number;
  file_name: string;
}

/**
 * Category ids by class index: `yolo_index` when every category has one (COCO-80 models), the single category's
 * id for a one-class ground truth (face detectors), else class index + 1.
 */
function categoryIds(gt: { categories?: { id: number; yolo_index?: number }[] }): number[] | undefined {
  const cats = gt.categories ?? [];
  if (cats.length > 0 && cats.every((c) => Number.isInteger(c.yolo_index))) return cocoCategoryIdsByYoloIndex(gt);
  if (cats.length === 1) return [cats[0]!.id];
  return undefined;
}

export interface DetectorMapOptions {
  /** Score threshold for mAP (default 0.01: low, so the precision-recall curve is complete). */
  scoreThreshold?: number;
  /** Evaluate only the first `limit` images of the ground truth (and their annotations). */
  limit?: number;
  /** Evaluate only the ground-truth images with these file names (all must be there). */
  files?: readonly string[];
}

/** Runs the detector on every ground-truth image found in `imagesDir` and returns pycocotools' 12 stats. */
export async function detectorMap(
  model: CompiledModel,
  decoder: Decoder,
  imagesDir: string,
  gtInput: unknown,
  options: DetectorMapOptions = {},
): Promise<{ stats: number[]; images: number }> {
  const gt = gtInput as { images?: GtImage[]; annotations?: { image_id: number }[]; categories?: never[] };
  if (!Array.isArray(gt?.images)) throw new DataError('gt.images: expected an array of { id, file_name }');
  if (!existsSync(imagesDir)) throw new RangeError(`--images: folder ${imagesDir} does not exist`);
  const picked = pickFiles(gt.images, (i) => i.file_name, options.files, 'coco ground truth');
  const images = options.limit === undefined ? picked : picked.slice(0, options.limit);
  const ids = categoryIds(gt as never);
  const dt: CocoResult[] = [];
  for (const img of images) {
    const path = join(imagesDir, img.file_name);
    if (!existsSync(path)) throw new DataError(`gt.images: ${img.file_name} (id ${img.id}) is not in ${imagesDir}`);
    const dets = await detect(model, decoder, await loadRgbImage(path), {
      scoreThreshold: options.scoreThreshold ?? 0.01,
    });
    dt.push(...toCocoResults(dets, img.id, ids));
  }
  const keep = new Set(images.map((i) => i.id));
  const subset = {
    ...gt,
    images,
    annotations: (gt.annotations ?? []).filter((a) => keep.has(a.image_id)),
  };
  const { stats } = evaluateCoco({ gt: subset, dt, iouType: 'bbox' });
  return { stats, images: images.length };
}
