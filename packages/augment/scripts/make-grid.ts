/**
 * Writes docs/grid.png: a synthetic scene (three shapes with boxes and instance masks) through a dozen seeded
 * augmentations, each tile letterboxed to one size with the transformed boxes drawn. Synthetic because the shared
 * data's photos are JPEG and no JPEG decoder is installed (no dependencies added).
 *
 * Run: `cd packages/augment && pnpm grid`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  type Sample,
  type Transform,
} from '../src/index.js';
import { drawBox, encodePng } from './png.js';

const H = 180;
const W = 240;
const COLORS = [
  [255, 60, 60],
  [40, 220, 60],
  [60, 120, 255],
];

function scene(): Sample<number> {
  const data = new Uint8Array(H * W * 3);
  const masks = new Uint8Array(3 * H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const check = ((x >> 4) + (y >> 4)) & 1 ? 18 : 0;
      data[o] = 90 + (x * 80) / W + check;
      data[o + 1] = 110 + (y * 60) / H + check;
      data[o + 2] = 150 - (x * 40) / W + check;
    }
  }
  const shapes: [number, number, number, number][] = [
    [20, 30, 110, 100],
    [130, 20, 215, 90],
    [70, 110, 190, 165],
  ];
  shapes.forEach(([x1, y1, x2, y2], k) => {
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) {
        const inside =
          k === 0
            ? ((x - cx) / ((x2 - x1) / 2)) ** 2 + ((y - cy) / ((y2 - y1) / 2)) ** 2 <= 1
            : k === 1
              ? Math.abs(x - cx) / ((x2 - x1) / 2) + (y2 - 1 - y) / (y2 - y1) <= 1
              : true;
        if (!inside) continue;
        const o = (y * W + x) * 3;
        const shade = k === 2 ? ((x >> 3) & 1 ? 30 : 0) : 0;
        data[o] = COLORS[k]![0]! * 0.8 + shade;
        data[o + 1] = COLORS[k]![1]! * 0.8 + shade;
        data[o + 2] = COLORS[k]![2]! * 0.8 + shade;
        masks[k * H * W + y * W + x] = 1;
      }
    }
  });
  return {
    image: { data, height: H, width: W, channels: 3 },
    boxes: Float32Array.from(shapes.flat()),
    labels: [0, 1, 2],
    masks,
    canvasSize: [H, W],
  };
}

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
  const s = t ? augment(t, scene(), seed) : scene();
  const { sample } = letterbox(s, [TILE_H, TILE_W], { scaleUp: true });
  const img = { ...sample.image!, data: sample.image!.data.slice() };
  // Tint mask pixels slightly so the masks are visible, then draw the boxes.
  const plane = TILE_H * TILE_W;
  const n = sample.masks ? sample.masks.length / plane : 0;
  for (let k = 0; k < n; k++) {
    const label = sample.labels?.[k] ?? k;
    for (let p = 0; p < plane; p++) {
      if (!sample.masks![k * plane + p]) continue;
      for (let c = 0; c < 3; c++) img.data[p * 3 + c] = (img.data[p * 3 + c]! * 3 + COLORS[label]![c]!) >> 2;
    }
  }
  const b = sample.boxes ?? new Float32Array(0);
  for (let k = 0; k < b.length / 4; k++) {
    drawBox(img, [b[4 * k]!, b[4 * k + 1]!, b[4 * k + 2]!, b[4 * k + 3]!], [255, 255, 0], 2);
  }
  const gx = GAP + (i % COLS) * (TILE_W + GAP);
  const gy = GAP + Math.floor(i / COLS) * (TILE_H + GAP);
  for (let y = 0; y < TILE_H; y++) {
    grid.set(img.data.subarray(y * TILE_W * 3, (y + 1) * TILE_W * 3), ((gy + y) * gridW + gx) * 3);
  }
  console.log(`tile ${i}: ${name} (seed ${seed}), ${b.length / 4} boxes`);
});

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'grid.png');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, encodePng(grid, gridH, gridW, 3));
console.log(`wrote ${out} (${gridW}x${gridH})`);
