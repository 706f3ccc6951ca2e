/**
 * The WebGPU batch path against the CPU path at batch 32, measured in the same run: 32 real 640x480 COCO photos
 * (STRIATE_DATA's coco128-val, four photos repeated) through flip, bilinear affine, colour jitter, HSV jitter,
 * Gaussian noise and resize to 224x224, then toTensor. The CPU peer is `cpuPipeline(steps)` (the same transforms,
 * same seeds) plus `toTensor` per image on this one thread. The GPU rows wait for the GPU to finish (the float32
 * NCHW tensor left in a GPUBuffer, as a model would take it), and, in the second row, read it back.
 *
 * Without a GPU the adapter is SwiftShader (Vulkan on the CPU, Debian's chromium): the GPU rows then measure a CPU
 * emulation, not a GPU. Run it with the driver variables that vitest.config.ts sets for the tests:
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp/xdg \
 *   LD_LIBRARY_PATH=/usr/lib/chromium pnpm bench webgpu
 * (on a machine with a GPU and its Vulkan driver, leave them unset).
 */
import { Rng } from '@striate/core';
import { Bench } from 'tinybench';
import { loadCocoPhoto } from '../../scripts/coco-photos.js';
import type { ImageU8 } from '../sample.js';
import { toTensor } from '../to-tensor.js';
import { WebGpuAugmenter } from './augmenter.js';
import { testDevice } from './gpu-device.js';
import { cpuPipeline, type GpuStep } from './steps.js';

const BATCH = 32;
const STEPS: GpuStep[] = [
  { op: 'hflip' },
  { op: 'affine', degrees: 10, translate: [0.05, 0.05], scale: [0.9, 1.1], interpolation: 'bilinear' },
  { op: 'colorJitter', brightness: 0.3, contrast: 0.3, saturation: 0.3 },
  { op: 'hsv' },
  { op: 'noise', std: 8 },
  { op: 'resize', size: [224, 224] },
];

export let sink = 0;
let adapter = '';

export default async function (): Promise<Bench> {
  const { device, adapterInfo } = await testDevice();
  adapter = adapterInfo;
  const photos = await Promise.all(
    ['000000001000.jpg', '000000002153.jpg', '000000001532.jpg', '000000001675.jpg'].map(
      async (f) => (await loadCocoPhoto(f)).image!,
    ),
  );
  const images: ImageU8[] = Array.from({ length: BATCH }, (_, k) => photos[k % photos.length]!);
  const aug = new WebGpuAugmenter(device, { height: 480, width: 640, maxBatch: BATCH, steps: STEPS });
  const cpu = cpuPipeline(STEPS);
  let seed = 0;
  const seeds = () => images.map(() => new Rng(++seed));
  const bench = new Bench({
    name: `augment batch ${BATCH} x 640x480 -> 224x224 float32`,
    warmup: true,
    warmupIterations: 1,
    iterations: 3,
    time: 0,
  });
  bench.add('CPU path (one thread)', () => {
    const rngs = seeds();
    for (let k = 0; k < BATCH; k++) {
      const out = toTensor(cpu.apply({ image: images[k]!, canvasSize: [480, 640] }, rngs[k]!).image!);
      sink += out.data[sink & 1023]!;
    }
  });
  bench.add('WebGPU path (tensor left on the GPU)', async () => {
    const batch = aug.run(images, seeds());
    const t = batch.toTensor();
    await device.queue.onSubmittedWorkDone();
    sink += t.shape[0];
    t.dispose();
    batch.dispose();
  });
  bench.add('WebGPU path + readback', async () => {
    const batch = aug.run(images, seeds());
    const t = batch.toTensor();
    const host = await t.read();
    sink += (host.data as Float32Array)[sink & 1023]!;
    t.dispose();
    batch.dispose();
  });
  return bench;
}

export function report(bench: Bench): void {
  const median = (name: string) => {
    const r = bench.tasks.find((t) => t.name.startsWith(name))?.result;
    return r && 'latency' in r ? r.latency.p50 : Number.NaN; // medians: robust to other load on a shared machine
  };
  const cpu = median('CPU path');
  const gpu = median('WebGPU path (tensor');
  const rb = median('WebGPU path +');
  console.log(`adapter: ${adapter}`);
  console.log(
    `batch ${BATCH}, medians: CPU ${cpu.toFixed(0)} ms, WebGPU ${gpu.toFixed(0)} ms (${rb.toFixed(0)} ms with readback): ` +
      `speed-up CPU/WebGPU = ${(cpu / gpu).toFixed(2)}x (${(cpu / rb).toFixed(2)}x with readback)`,
  );
  if (/swiftshader/i.test(adapter)) {
    console.log('!!! SwiftShader is a CPU emulation of a GPU: these WebGPU numbers say nothing about a real GPU');
  }
}
