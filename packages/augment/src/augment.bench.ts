/**
 * Per-image cost of the typed-array path on a 640x480 RGB uint8 image, one core, beside OpenCV on the same ops:
 * measured in this run by scripts/opencv-bench.py where a Python with cv2 is found (see
 * internal/opencv-reference.ts; `STRIATE_OPENCV_JSON` reads a saved result instead), else issue #8's fixed numbers,
 * loudly labelled. The ratio is OpenCV's time / ours (1.0 = as fast as OpenCV).
 *
 * Run: `cd packages/augment && pnpm bench` (or `pnpm exec tsx --conditions=@striate/source
 * ../../scripts/run-benches.ts augment`).
 */
import { Rng } from '@striate/core';
import { Bench } from 'tinybench';
import { adjustBrightnessContrast, brightnessContrastAdjust } from './color.js';
import { horizontalFlip, resize, resizedCrop, rotate } from './geometric.js';
import { hsvGains } from './hsv.js';
import { type OpenCvReference, openCvReference } from './internal/opencv-reference.js';
import { gaussianNoise } from './noise.js';
import type { ImageU8, Sample } from './sample.js';
import { setWasmEnabled, wasmStatus } from './wasm/kernels.js';

const H = 480;
const W = 640;

/** Issue #8's target ratio (OpenCV time / striate time) per op. */
const TARGET: Record<string, number> = {
  hflip: 0.5,
  'rotate 15 bilinear': 0.3,
  'resize to 320x240': 0.3,
  'crop + resize to 224': 0.3,
  'brightness/contrast': 0.5,
  'HSV round trip': 0.5,
  'Gaussian noise': 1,
};

let opencv: OpenCvReference | undefined;
/** The default path's ops, kept for report()'s page-fault count. */
let timedOps: [string, () => ImageU8 | undefined][] = [];

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
  // Measured before our tasks run (not interleaved with them).
  opencv = openCvReference();
  const image = testImage();
  const sample: Sample = { image, canvasSize: [H, W] };
  const rng = new Rng(1);
  const bench = new Bench({ name: 'augment 640x480 RGB', warmup: true, warmupIterations: 5, time: 400 });
  const add = (name: string, fn: () => ImageU8 | undefined) =>
    bench.add(name, () => {
      const out = fn();
      sink += out ? out.data[sink & 1023]! : 0;
    });
  const ops: [string, () => ImageU8 | undefined][] = [
    ['hflip', () => horizontalFlip(sample).image],
    ['rotate 15 bilinear', () => rotate(sample, 15, { interpolation: 'bilinear' }).image],
    ['resize to 320x240', () => resize(sample, [240, 320]).image],
    ['resize to 320x240 (no antialias)', () => resize(sample, [240, 320], { antialias: false }).image],
    ['crop + resize to 224', () => resizedCrop(sample, 0, 80, 480, 480, [224, 224]).image],
    // OpenCV's convertScaleAbs(alpha 1.2, beta -10): one affine byte map, as albumentations' RandomBrightnessContrast.
    ['brightness/contrast', () => brightnessContrastAdjust(image, 1.2, -10 / 255)],
    // torchvision's brightness then contrast (a luma-mean pass and two maps): more work than OpenCV's op, no target.
    ['torchvision brightness then contrast', () => adjustBrightnessContrast(image, 1.2, 0.8)],
    ['HSV round trip', () => hsvGains(image, [1.01, 0.8, 1.2])],
    ['Gaussian noise', () => gaussianNoise(image, rng, 10)],
  ];
  timedOps = ops;
  const status = wasmStatus();
  if (!status.active) console.log(`!!! WebAssembly SIMD kernels NOT in use: ${status.reason}`);
  // The default path (WebAssembly SIMD where an op has a kernel, copies in and out included) ...
  for (const [name, fn] of ops) add(name, fn);
  // ... and the JavaScript path of the same ops (the fallback where WebAssembly SIMD is missing).
  for (const [name, fn] of ops) {
    add(`${name.replace(' (no antialias)', ', no antialias')} (JS path)`, () => {
      setWasmEnabled(false);
      try {
        return fn();
      } finally {
        setWasmEnabled(true);
      }
    });
  }
  // Calibration: the cheapest full pass there is (one 256-entry lookup per byte), to judge this machine's speed.
  const table = Uint8Array.from({ length: 256 }, (_, v) => 255 - v);
  add('baseline: one LUT pass', () => {
    const out = new Uint8Array(image.data.length);
    for (let i = 0; i < out.length; i++) out[i] = table[image.data[i]!]!;
    return { ...image, data: out };
  });
  // The floor for any op that returns a new image: a fresh 921,600-byte copy (allocate, zero-fill, memcpy).
  add('baseline: slice()', () => ({ ...image, data: image.data.slice() }));
  // The same in a JS loop of 32-bit words.
  const words = new Uint32Array(image.data.buffer, image.data.byteOffset, image.data.length >> 2);
  add('baseline: copy into a new buffer', () => {
    const out = new Uint8Array(image.data.length);
    const dst = new Uint32Array(out.buffer);
    for (let i = 0; i < dst.length; i++) dst[i] = words[i]!;
    return { ...image, data: out };
  });
  return bench;
}

/**
 * Minor page faults per call of each op over 100 calls, after the timed runs. A fresh result array whose memory
 * glibc has just handed back to the system (it trims its heap when the garbage collector frees a batch of results)
 * is faulted in again, a page at a time: about 0.3 ms for 921,600 bytes on this VM, which is what separates an
 * op's median from its minimum. `MALLOC_TRIM_THRESHOLD_` and `MALLOC_MMAP_THRESHOLD_` (glibc) change this for the
 * whole process; the README gives runs with and without.
 */
function pageFaults(): void {
  const usage = (globalThis as { process?: { resourceUsage?: () => { minorPageFault: number } } }).process;
  if (!usage?.resourceUsage) return;
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
  const tuned = ['MALLOC_TRIM_THRESHOLD_', 'MALLOC_MMAP_THRESHOLD_', 'GLIBC_TUNABLES']
    .filter((k) => env[k] !== undefined)
    .map((k) => `${k}=${env[k]}`);
  const parts = timedOps.map(([name, fn]) => {
    const before = usage.resourceUsage!().minorPageFault;
    for (let i = 0; i < 100; i++) sink += fn()?.data[i] ?? 0;
    return `${name} ${((usage.resourceUsage!().minorPageFault - before) / 100).toFixed(0)}`;
  });
  console.log(
    `Minor page faults per call (100 calls, allocator: ${tuned.length ? tuned.join(' ') : 'glibc defaults'}):`,
  );
  console.log(`  ${parts.join(', ')} (a 921,600-byte result spans 225 pages)`);
}

export function report(bench: Bench): void {
  const ref = opencv ?? openCvReference();
  pageFaults();
  console.log(`Ratio = OpenCV time / striate median time. ${ref.label}`);
  for (const name of ['baseline: one LUT pass', 'baseline: slice()', 'baseline: copy into a new buffer']) {
    const base = bench.getTask(name)?.result;
    if (base && 'latency' in base) {
      console.log(
        `${name} (640x480x3 bytes) takes ${base.latency.p50.toFixed(3)} ms (median; min ${base.latency.min.toFixed(3)}) here, now`,
      );
    }
  }
  for (const task of bench.tasks) {
    const r = task.result;
    const jsPath = task.name.endsWith(' (JS path)');
    const op = task.name.replace(/ \(.*\)$/, '').replace(', no antialias', '');
    const peer = op === 'torchvision brightness then contrast' ? 'brightness/contrast' : op;
    const cv = ref.ms[peer];
    const target = TARGET[op];
    if (!r || !('latency' in r) || cv === undefined) continue;
    const ms = r.latency.p50; // the median: robust to other load on a shared machine
    const ratio = cv / ms;
    const cvMin = ref.minMs?.[peer];
    // Minimum against minimum as well: on a loaded machine the medians of the longer ops move the most.
    const minRatio = cvMin === undefined ? '' : `, of minima ${(cvMin / r.latency.min).toFixed(2)}x`;
    console.log(
      `${task.name.padEnd(42)} striate ${ms.toFixed(3)} ms (min ${r.latency.min.toFixed(3)})   OpenCV ${cv.toFixed(3)} ms` +
        `${cvMin === undefined ? '' : ` (min ${cvMin.toFixed(3)})`}   ratio of medians ${ratio.toFixed(2)}x${minRatio} ` +
        (target === undefined
          ? '(no target: more work than the OpenCV op)'
          : jsPath
            ? '(the fallback path; the target is for the default path)'
            : `(target ${target}x: ${ratio >= target ? 'met' : 'not met'})`),
    );
  }
}
