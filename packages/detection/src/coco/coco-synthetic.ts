/**
 * Seeded synthetic COCO ground truth and results for benchmarks and cross-checks (not exported from the package):
 * images of varied sizes, objects as polygons (crowd regions as compressed RLE), detections that are jittered hits,
 * wrong classes and background boxes, with scores rounded to 0.01 so ties happen.
 */
import { Rng } from '@striate/core';
import { rleArea, rleToBbox, rleToCompressed } from './rle.js';
import { rleFromPolygon } from './rle-poly.js';

export interface SyntheticCocoOptions {
  images: number;
  detsPerImage: number;
  categories: number;
  /** Also give masks: gt polygons with mask areas, results as compressed RLE. */
  masks: boolean;
  seed: number;
}

export interface SyntheticCoco {
  gt: { images: object[]; annotations: object[]; categories: object[] };
  dtBbox: object[];
  dtSegm: object[];
}

/** An ellipse-like polygon of `n` points inside the box, radii jittered. */
function blob(rng: Rng, x: number, y: number, w: number, h: number): number[] {
  const n = rng.integers(5, 12);
  const cx = x + w / 2;
  const cy = y + h / 2;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    const r = rng.uniform(0.7, 1);
    out.push(+(cx + (Math.cos(a) * r * w) / 2).toFixed(2), +(cy + (Math.sin(a) * r * h) / 2).toFixed(2));
  }
  return out;
}

function randomBox(rng: Rng, W: number, H: number): [number, number, number, number] {
  const w = Math.min(W, Math.exp(rng.uniform(Math.log(4), Math.log(W * 0.8))));
  const h = Math.min(H, w * Math.exp(rng.uniform(-0.7, 0.7)));
  const x = rng.uniform() * (W - w);
  const y = rng.uniform() * Math.max(0, H - h);
  return [+x.toFixed(2), +y.toFixed(2), +w.toFixed(2), +h.toFixed(2)];
}

export function syntheticCoco(options: SyntheticCocoOptions): SyntheticCoco {
  const { images: nImages, detsPerImage, categories: nCats, masks, seed } = options;
  const rng = new Rng(seed);
  const images: object[] = [];
  const annotations: object[] = [];
  const categories = Array.from({ length: nCats }, (_, k) => ({ id: 2 * k + 1, name: `class${k}` }));
  const dtBbox: object[] = [];
  const dtSegm: object[] = [];
  let annId = 1;
  for (let i = 0; i < nImages; i++) {
    const id = 3 * i + 7;
    const W = rng.integers(160, 641);
    const H = rng.integers(120, 481);
    images.push({ id, width: W, height: H, file_name: `${id}.jpg` });
    const objects: { cat: number; box: [number, number, number, number] }[] = [];
    const nObj = rng.integers(0, 13);
    for (let o = 0; o < nObj; o++) {
      const cat = categories[rng.integers(0, nCats)]!.id;
      const box = randomBox(rng, W, H);
      const crowd = rng.uniform() < 0.03 ? 1 : 0;
      objects.push({ cat, box });
      const poly = blob(rng, ...box);
      const ann: Record<string, unknown> = { id: annId++, image_id: id, category_id: cat, iscrowd: crowd, bbox: box };
      if (masks) {
        const rle = rleFromPolygon(poly, H, W);
        ann.area = rleArea(rle);
        ann.bbox = rleToBbox(rle);
        ann.segmentation = crowd ? rleToCompressed(rle) : [poly];
      } else {
        ann.area = +(box[2] * box[3] * rng.uniform(0.6, 1)).toFixed(2);
      }
      annotations.push(ann);
    }
    for (let d = 0; d < detsPerImage; d++) {
      let cat = categories[rng.integers(0, nCats)]!.id;
      let box = randomBox(rng, W, H);
      const u = rng.uniform();
      if (objects.length > 0 && u < 0.6) {
        const src = objects[rng.integers(0, objects.length)]!;
        const [x, y, w, h] = src.box;
        const j = rng.uniform(0, 0.25);
        box = [
          +(x + rng.normal(0, j * w)).toFixed(2),
          +(y + rng.normal(0, j * h)).toFixed(2),
          +Math.max(1, w * (1 + rng.normal(0, j))).toFixed(2),
          +Math.max(1, h * (1 + rng.normal(0, j))).toFixed(2),
        ];
        if (u < 0.5) cat = src.cat;
      }
      const score = Math.round(rng.uniform(0, 1) * 100) / 100;
      dtBbox.push({ image_id: id, category_id: cat, bbox: box, score });
      if (masks) {
        const rle = rleFromPolygon(blob(rng, ...box), H, W);
        dtSegm.push({ image_id: id, category_id: cat, segmentation: rleToCompressed(rle), score });
      }
    }
  }
  return { gt: { images, annotations, categories }, dtBbox, dtSegm };
}
