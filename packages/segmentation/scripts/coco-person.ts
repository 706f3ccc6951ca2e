/**
 * coco128-val images with their person masks (`semantic/*.png`, class 1 = person) at a low square resolution, as
 * NCHW float32 inputs (ImageNet mean/std) and [N, S, S] int32 targets (1 person, 0 anything else).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DataError, Rng, Tensor } from '@striate/core';
import sharp from 'sharp';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export function cocoDir(): string {
  const shared = path.resolve(import.meta.dirname, '../../../../shared');
  const dir = path.join(process.env.STRIATE_DATA ?? path.join(shared, 'data'), 'coco128-val');
  if (!existsSync(path.join(dir, 'semantic'))) {
    throw new DataError(
      `coco128-val: ${dir}/semantic not found; set STRIATE_DATA to the folder holding coco128-val (../shared/data)`,
    );
  }
  return dir;
}

/** The ids (file stems) of the images that have a semantic mask, sorted. */
export function personIds(dir: string): string[] {
  return readdirSync(path.join(dir, 'semantic'))
    .filter((f) => f.endsWith('.png'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export interface PersonSet {
  readonly ids: readonly string[];
  /** [N, 3, S, S] float32, normalized. */
  readonly inputs: Tensor;
  /** [N, S, S] int32, 1 = person. */
  readonly targets: Tensor;
}

export interface LoadOptions {
  /** Also each view mirrored horizontally (doubles the samples). */
  readonly flip?: boolean;
  /**
   * Random crops per image, added to the whole view: each covers 40-100% of the image's area with an aspect within
   * 3:4 to 4:3 of the image's, drawn from `seed` (default 0), then resized to size x size.
   */
  readonly crops?: number;
  readonly seed?: number;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The whole image, then `crops` random crops. */
function regions(w: number, h: number, crops: number, rng: Rng): Region[] {
  const out: Region[] = [{ left: 0, top: 0, width: w, height: h }];
  for (let i = 0; i < crops; i++) {
    const [a, r, u, v] = rng.uniformArray(4);
    const area = 0.4 + 0.6 * a!;
    const aspect = Math.exp(Math.log(3 / 4) + (Math.log(4 / 3) - Math.log(3 / 4)) * r!);
    const width = Math.max(8, Math.min(w, Math.round(w * Math.sqrt(area * aspect))));
    const height = Math.max(8, Math.min(h, Math.round(h * Math.sqrt(area / aspect))));
    out.push({ left: Math.floor(u! * (w - width + 1)), top: Math.floor(v! * (h - height + 1)), width, height });
  }
  return out;
}

/**
 * Loads `ids` at size x size: RGB resized bilinearly (aspect not kept), masks resized nearest; optionally with
 * random crops and mirrors (augmentation fixed once loaded). Sample order: per image, per view, per mirror.
 */
export async function loadPersonSet(
  dir: string,
  ids: readonly string[],
  size: number,
  options: LoadOptions = {},
): Promise<PersonSet> {
  const plane = size * size;
  const mirrors = options.flip ? 2 : 1;
  const rng = new Rng(options.seed ?? 0);
  const metas = await Promise.all(ids.map((id) => sharp(path.join(dir, 'semantic', `${id}.png`)).metadata()));
  const views = metas.map((m) => regions(m.width!, m.height!, options.crops ?? 0, rng));
  const perImage = views[0]!.length * mirrors;
  const n = ids.length * perImage;
  const x = new Float32Array(n * 3 * plane);
  const y = new Int32Array(n * plane);
  const write = (k: number, rgb: Buffer, sem: Buffer, mirror: boolean): void => {
    for (let r = 0; r < size; r++) {
      for (let col = 0; col < size; col++) {
        const src = r * size + (mirror ? size - 1 - col : col);
        const dst = r * size + col;
        for (let ch = 0; ch < 3; ch++) {
          x[(k * 3 + ch) * plane + dst] = (rgb[src * 3 + ch]! / 255 - MEAN[ch]!) / STD[ch]!;
        }
        y[k * plane + dst] = sem[src] === 1 ? 1 : 0;
      }
    }
  };
  await Promise.all(
    ids.map(async (id, i) => {
      for (const [v, region] of views[i]!.entries()) {
        const rgb = await sharp(path.join(dir, 'images', `${id}.jpg`))
          .removeAlpha()
          .toColourspace('srgb')
          .extract(region)
          .resize(size, size, { fit: 'fill', kernel: 'linear' })
          .raw()
          .toBuffer();
        const sem = await sharp(path.join(dir, 'semantic', `${id}.png`))
          .extractChannel(0)
          .extract(region)
          .resize(size, size, { fit: 'fill', kernel: 'nearest' })
          .raw()
          .toBuffer();
        if (rgb.length !== plane * 3 || sem.length !== plane) {
          throw new DataError(
            `coco128-val ${id}: decoded ${rgb.length} RGB / ${sem.length} mask bytes at ${size}x${size}`,
          );
        }
        for (let c = 0; c < mirrors; c++) write(i * perImage + v * mirrors + c, rgb, sem, c === 1);
      }
    }),
  );
  return {
    ids,
    inputs: new Tensor('float32', [n, 3, size, size], x),
    targets: new Tensor('int32', [n, size, size], y),
  };
}
