/**
 * Per-image cost of the typed-array path on a 640x480 RGB uint8 image, one core, beside the OpenCV 4.6 numbers
 * that issue #8 gives for the same machine kind. OpenCV is not installed here, so those are printed as a fixed
 * reference (not a same-run peer): the ratio is OpenCV's time / ours (1.0 = as fast as OpenCV).
 *
 * Run: `cd packages/augment && pnpm bench` (or `pnpm exec tsx --conditions=@striate/source
 * ../../scripts/run-benches.ts augment`).
 */
import { Rng } from '@striate/core';
import { Bench } from 'tinybench';
import { adjustBrightness, adjustContrast } from './color.js';
import { crop, horizontalFlip, resize, rotate } from './geometric.js';
import { hsvGains } from './hsv.js';
import { gaussianNoise } from './noise.js';
import type { ImageU8, Sample } from './sample.js';

const H = 480;
const W = 640;

/** OpenCV 4.6 on this machine kind, milliseconds per image (issue #8), and the target ratio. */
const OPENCV: Record<string, { ms: number; target: number }> = {
  hflip: { ms: 0.14, target: 0.5 },
  'rotate 15 bilinear': { ms: 0.69, target: 0.3 },
  'resize to 320x240': { ms: 0.07, target: 0.3 },
  'crop + resize to 224': { ms: 0.1, target: 0.3 },
  'brightness/contrast': { ms: 0.1, target: 0.5 },
  'HSV round trip': { ms: 0.65, target: 0.5 },
  'Gaussian noise': { ms: 10.4, target: 1 },
};

function testImage(): ImageU8 {
  const data = new Uint8Array(H * W * 3);
  let s = 12345;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const o = (y * W + x) * 3;
      data[o] = (x + (s & 15)) & 255;
      data[o + 1] = (y + ((s >>> 4) & 15)) & 255;
      data[o + 2] = (x + y + ((s >>> 8) & 15)) & 255;
    }
  }
  return { data, height: H, width: W, channels: 3 };
}

export let sink = 0;

export default function (): Bench {
  const image = testImage();
  const sample: Sample = { image, canvasSize: [H, W] };
  const rng = new Rng(1);
  const bench = new Bench({ name: 'augment 640x480 RGB', warmup: true, warmupIterations: 5, time: 400 });
  const add = (name: string, fn: () => ImageU8 | undefined) =>
    bench.add(name, () => {
      const out = fn();
      sink += out ? out.data[sink & 1023]! : 0;
    });
  add('hflip', () => horizontalFlip(sample).image);
  add('rotate 15 bilinear', () => rotate(sample, 15, { interpolation: 'bilinear' }).image);
  add('resize to 320x240', () => resize(sample, [240, 320]).image);
  add('resize to 320x240 (no antialias)', () => resize(sample, [240, 320], { antialias: false }).image);
  add('crop + resize to 224', () => resize(crop(sample, 0, 80, 480, 480), [224, 224]).image);
  add('brightness/contrast', () => adjustContrast(adjustBrightness(image, 1.2), 0.8));
  add('HSV round trip', () => hsvGains(image, [1.01, 0.8, 1.2]));
  add('Gaussian noise', () => gaussianNoise(image, rng, 10));
  // Calibration: the cheapest full pass there is (one 256-entry lookup per byte), to judge this machine's speed.
  const table = Uint8Array.from({ length: 256 }, (_, v) => 255 - v);
  add('baseline: one LUT pass', () => {
    const out = new Uint8Array(image.data.length);
    for (let i = 0; i < out.length; i++) out[i] = table[image.data[i]!]!;
    return { ...image, data: out };
  });
  // The floor for any op that returns a new image: copying the 921,600 bytes as 32-bit words into a fresh buffer.
  const words = new Uint32Array(image.data.buffer, image.data.byteOffset, image.data.length >> 2);
  add('baseline: copy into a new buffer', () => {
    const out = new Uint8Array(image.data.length);
    const dst = new Uint32Array(out.buffer);
    for (let i = 0; i < dst.length; i++) dst[i] = words[i]!;
    return { ...image, data: out };
  });
  return bench;
}

export function report(bench: Bench): void {
  console.log(
    'Ratio = OpenCV 4.6 time / striate median time. OpenCV measured on this machine kind (issue #8), not in this run.',
  );
  for (const name of ['baseline: one LUT pass', 'baseline: copy into a new buffer']) {
    const base = bench.getTask(name)?.result;
    if (base && 'latency' in base) {
      console.log(`${name} (640x480x3 bytes) takes ${base.latency.p50.toFixed(3)} ms (median) here, now`);
    }
  }
  for (const task of bench.tasks) {
    const r = task.result;
    const ref = OPENCV[task.name.replace(' (no antialias)', '')];
    if (!r || !('latency' in r) || !ref) continue;
    const ms = r.latency.p50; // the median: robust to other load on a shared machine
    const ratio = ref.ms / ms;
    console.log(
      `${task.name.padEnd(34)} striate ${ms.toFixed(3)} ms (min ${r.latency.min.toFixed(3)})   OpenCV ${ref.ms.toFixed(2)} ms   ` +
        `ratio ${ratio.toFixed(2)}x (target ${ref.target}x: ${ratio >= ref.target ? 'met' : 'not met'})`,
    );
  }
}
