/// <reference types="@webgpu/types" />
/**
 * `nmsWebGpu` (whole call: sort, upload, kernel, readback, greedy pass) beside the CPU `nms` on the same seeded
 * boxes, in the same run, at 1k and 10k boxes (the two distributions of `nms.bench.ts`). Keep lists are checked to
 * be identical before timing. 100k is not run: the kernel tests N^2 / 2 pairs, which takes about 6 s at 10k on
 * SwiftShader here, so ~10 minutes per call at 100k.
 *
 * The device comes from Node's `webgpu` package (Dawn). Without a GPU that is SwiftShader, a CPU emulation of a
 * Vulkan GPU: the ratio then says how slow the emulation is, nothing about a real GPU.
 *
 * Run (from packages/detection; the loader path must be set before Node starts):
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *   XDG_RUNTIME_DIR=/tmp/xdg pnpm bench nms-webgpu
 */
import { Bench } from 'tinybench';
import { create } from 'webgpu';
import { randomBoxes } from './internal/test-data.js';
import { nms } from './nms.js';
import { disposeNmsWebGpu, nmsWebGpu } from './nms-webgpu.js';

const SIZES = [1000, 10000] as const;
const IOU = 0.5;

type Kind = 'sparse' | 'dense';
const data = (kind: Kind, n: number) =>
  kind === 'sparse' ? randomBoxes(n, 1, 20 * Math.sqrt(n), 4, 40) : randomBoxes(n, 1, 640, 8, 200);

const gpuTask = (kind: Kind, n: number) => `nms ${kind} ${n} (nmsWebGpu)`;
const cpuTask = (kind: Kind, n: number) => `nms ${kind} ${n} (CPU nms)`;

// dawn.node frees its instance when the GPU object is collected: keep it referenced while the device lives.
let gpu: GPU | undefined;
let device: GPUDevice | undefined;
let adapterName = '';
const kept = new Map<string, number>();

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default async function (): Promise<Bench> {
  gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'nms-webgpu.bench: no WebGPU adapter. Run with LD_LIBRARY_PATH=/usr/lib/chromium (when the system has no ' +
        'libvulkan.so.1), VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (or a GPU driver ICD) and ' +
        'XDG_RUNTIME_DIR=<a writable folder>.',
    );
  }
  adapterName = `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim();
  const dev = await adapter.requestDevice();
  device = dev;
  const bench = new Bench({ name: 'nms-webgpu', iterations: 3, time: 200, warmupIterations: 1, warmupTime: 0 });
  for (const kind of ['sparse', 'dense'] as const) {
    for (const n of SIZES) {
      const { boxes, scores } = data(kind, n);
      const a = await nmsWebGpu(dev, boxes, scores, IOU);
      const b = nms(boxes, scores, IOU);
      if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
        throw new Error(`nms-webgpu.bench: keep lists differ for ${kind} ${n} (${a.length} vs ${b.length} kept)`);
      }
      kept.set(`${kind} ${n}`, a.length);
      bench.add(gpuTask(kind, n), async () => {
        sink += (await nmsWebGpu(dev, boxes, scores, IOU)).length;
      });
      bench.add(cpuTask(kind, n), () => {
        sink += nms(boxes, scores, IOU).length;
      });
    }
  }
  return bench;
}

/** Prints, per size, mean times and the ratio WebGPU / CPU (same run); then releases the device. */
export function report(bench: Bench): void {
  const ms = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.mean : undefined;
  };
  console.log(`adapter: ${adapterName || '(no info)'}`);
  for (const kind of ['sparse', 'dense'] as const) {
    for (const n of SIZES) {
      const g = ms(gpuTask(kind, n));
      const c = ms(cpuTask(kind, n));
      if (g === undefined || c === undefined) {
        console.log(`nms ${kind} ${n}: no result`);
        continue;
      }
      console.log(
        `nms ${kind} ${n} (${kept.get(`${kind} ${n}`)} kept): nmsWebGpu ${g.toFixed(1)} ms, CPU nms ${c.toFixed(2)} ms, WebGPU / CPU = ${(g / c).toFixed(1)}x`,
      );
    }
  }
  console.log('On SwiftShader (a CPU emulation of a GPU) this ratio says nothing about a real GPU.');
  if (device) {
    disposeNmsWebGpu(device);
    device.destroy();
  }
  device = undefined;
  gpu = undefined;
}
