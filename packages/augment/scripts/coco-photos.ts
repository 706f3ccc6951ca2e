/**
 * Real photos for the README grid and the browser determinism test: COCO val2017 images from the shared
 * `coco128-val` folder (`STRIATE_DATA`, default `<repo>/../shared/data`), decoded with sharp (a devDependency), with
 * their ground-truth boxes from `instances_val2017.json` (xyxy pixels) and category names as labels.
 * Not part of the published package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Sample } from '../src/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The `coco128-val` folder; throws naming `STRIATE_DATA` when it is missing. */
export function cocoDir(): string {
  const root = process.env.STRIATE_DATA ?? join(REPO, '..', 'shared', 'data');
  const dir = join(root, 'coco128-val');
  if (!existsSync(join(dir, 'instances_val2017.json'))) {
    throw new Error(
      `coco128-val not found at ${dir} (instances_val2017.json missing): set STRIATE_DATA to the shared data folder`,
    );
  }
  return dir;
}

interface CocoJson {
  images: { id: number; file_name: string; width: number; height: number }[];
  annotations: { image_id: number; category_id: number; bbox: [number, number, number, number]; iscrowd: number }[];
  categories: { id: number; name: string }[];
}

/** Decodes `fileName` (e.g. `000000001000.jpg`) to an RGB sample with its non-crowd boxes (xyxy) and class names. */
export async function loadCocoPhoto(fileName: string): Promise<Sample<string>> {
  const dir = cocoDir();
  const coco = JSON.parse(readFileSync(join(dir, 'instances_val2017.json'), 'utf8')) as CocoJson;
  const info = coco.images.find((im) => im.file_name === fileName);
  if (!info) throw new Error(`loadCocoPhoto: fileName: ${fileName} is not in ${dir}/instances_val2017.json`);
  const names = new Map(coco.categories.map((c) => [c.id, c.name]));
  const anns = coco.annotations.filter((a) => a.image_id === info.id && !a.iscrowd);
  const { data, info: raw } = await sharp(join(dir, 'images', fileName))
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (raw.channels !== 3 || raw.width !== info.width || raw.height !== info.height) {
    throw new Error(
      `loadCocoPhoto: ${fileName}: expected ${info.width}x${info.height}x3, decoded ${raw.width}x${raw.height}x${raw.channels}`,
    );
  }
  const boxes = new Float32Array(anns.length * 4);
  anns.forEach((a, k) => {
    const [x, y, w, h] = a.bbox;
    boxes.set([x, y, x + w, y + h], 4 * k);
  });
  return {
    // A copy: a plain ArrayBuffer of its own (not a view into a Node Buffer pool).
    image: { data: new Uint8Array(data), height: raw.height, width: raw.width, channels: 3 },
    boxes,
    labels: anns.map((a) => names.get(a.category_id) ?? String(a.category_id)),
    canvasSize: [raw.height, raw.width],
  };
}
