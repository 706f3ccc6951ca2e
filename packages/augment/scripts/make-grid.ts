/**
 * Writes docs/grid.png: three COCO val2017 photos (from `STRIATE_DATA`'s coco128-val, decoded with sharp, boxes from
 * its instances_val2017.json) through a dozen seeded augmentations, each tile letterboxed to one size with the
 * transformed ground-truth boxes drawn.
 *
 * Run: `cd packages/augment && pnpm grid`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import {
  augment,
  ChannelShift,
  ColorJitter,
  GaussianNoise,
  GridDropout,
  HsvJitter,
  letterbox,
  RandomAffine,
  RandomErasing,
  RandomHorizontalFlip,
  RandomPerspective,
  RandomResizedCrop,
  RandomRotation,
  resize,
  type Transform,
} from '../src/index.js';
import { loadCocoPhoto } from './coco-photos.js';
import { drawBox } from './png.js';

const H = 240;
const W = 320;
// Three COCO val2017 photos (640x480), shrunk to 240x320 with their boxes by the package's own antialiased resize.
const PHOTOS = ['000000001000.jpg', '000000002153.jpg', '000000001532.jpg'];
const photos = await Promise.all(PHOTOS.map(async (f) => resize(await loadCocoPhoto(f), [H, W])));

const tiles: [string, Transform | null, number][] = [
  ['original', null, 0],
  ['hflip', new RandomHorizontalFlip({ p: 1 }), 1],
  ['rotate +-30 expand', new RandomRotation(30, { expand: true, interpolation: 'bilinear' }), 2],
  ['rotate +-30', new RandomRotation(30, { interpolation: 'bilinear', boxFilter: { minVisibility: 0.3 } }), 3],
  ['random resized crop', new RandomResizedCrop([H, W], { scale: [0.3, 1], boxFilter: { minVisibility: 0.3 } }), 4],
  [
    'affine',
    new RandomAffine(15, { translate: [0.1, 0.1], scale: [0.8, 1.2], shear: 10, interpolation: 'bilinear' }),
    5,
  ],
  ['perspective', new RandomPerspective({ p: 1, distortionScale: 0.4, interpolation: 'bilinear' }), 6],
  ['colour jitter', new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.6, hue: 0.1 }), 7],
  ['HSV (YOLO)', new HsvJitter({ hue: 0.1, saturation: 0.7, value: 0.4 }), 8],
  ['channel shift', new ChannelShift({ limits: [40, 40, 40] }), 9],
  ['Gaussian noise', new GaussianNoise({ std: 20 }), 10],
  ['random erasing', new RandomErasing({ p: 1 }), 11],
  ['grid dropout', new GridDropout({ unit: [24, 40] }), 12],
];

const TILE_H = H;
const TILE_W = W;
const GAP = 4;
const COLS = 5;
const rows = Math.ceil(tiles.length / COLS);
const gridH = rows * TILE_H + (rows + 1) * GAP;
const gridW = COLS * TILE_W + (COLS + 1) * GAP;
const grid = new Uint8Array(gridH * gridW * 3).fill(255);

tiles.forEach(([name, t, seed], i) => {
  const photo = photos[i % photos.length]!;
  const s = t ? augment(t, photo, seed) : photo;
  const { sample } = letterbox(s, [TILE_H, TILE_W], { scaleUp: true });
  const img = { ...sample.image!, data: sample.image!.data.slice() };
  const b = sample.boxes ?? new Float32Array(0);
  for (let k = 0; k < b.length / 4; k++) {
    drawBox(img, [b[4 * k]!, b[4 * k + 1]!, b[4 * k + 2]!, b[4 * k + 3]!], [255, 255, 0], 2);
  }
  const gx = GAP + (i % COLS) * (TILE_W + GAP);
  const gy = GAP + Math.floor(i / COLS) * (TILE_H + GAP);
  for (let y = 0; y < TILE_H; y++) {
    grid.set(img.data.subarray(y * TILE_W * 3, (y + 1) * TILE_W * 3), ((gy + y) * gridW + gx) * 3);
  }
  console.log(`tile ${i}: ${PHOTOS[i % PHOTOS.length]} ${name} (seed ${seed}), ${b.length / 4} boxes`);
});

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'grid.png');
mkdirSync(dirname(out), { recursive: true });
// A 256-colour palette PNG (sharp's quantiser, dithered): 0.45 MB instead of 2.2 MB for the plain RGB encoding.
const png = await sharp(grid, { raw: { width: gridW, height: gridH, channels: 3 } })
  .png({ palette: true, quality: 90, compressionLevel: 9 })
  .toBuffer();
writeFileSync(out, png);
console.log(`wrote ${out} (${gridW}x${gridH}, ${png.length} bytes)`);
