/// <reference types="@webgpu/types" />
/**
 * NMS on WebGPU for large N, with exactly the keep lists of the CPU `nms` / `batchedNms` (torchvision's
 * semantics: descending score, ties by lower index, IoU `> iouThreshold`, degenerate boxes never suppress).
 *
 * How: boxes are sorted by score on the CPU (the same stable order as `nms`); a compute shader tests every pair
 * (64 x 64 tiles, upper triangle, as torchvision's CUDA kernel) and appends the non-zero 64-bit suppression words
 * to a sparse list; the CPU then runs the greedy pass over that list. The shader computes IoU in f32 and only
 * trusts answers at least a relative 2e-5 away from the threshold; the few pairs closer than that (ties at the
 * threshold included) are listed apart and decided by the CPU path's own pair test, so exactness does not depend
 * on how the GPU rounds.
 *
 * The caller owns the device (a browser's `navigator.gpu`, or Node's `webgpu` package: `create([])`, then
 * `requestAdapter()` and `requestDevice()`); this module has no runtime dependency on either. One compute
 * pipeline is cached per device until `disposeNmsWebGpu(device)`; every GPU buffer is destroyed before a call
 * returns or throws.
 *
 * Falls back to the CPU path (same result) when the kernel cannot be exact for the input: an infinite
 * coordinate, a non-zero coordinate of magnitude outside [2^-30, 2^60], more than 64 x 65,535 boxes, or
 * suppression lists larger than one storage binding of the device. `{ cpuFallback: false }` makes these a
 * RangeError instead.
 */
import { describeValue } from '@striate/core';
import { type BoxesInput, readBoxesArg, readIouThreshold, readVectorArg, type VectorInput } from './internal/args.js';
import { boxAreas, type Coords, gridNms, makePairTest, scoreOrder } from './internal/nms-kernel.js';
import { batchedNms } from './nms.js';
import { releaseMaskPipeline, suppressionLists } from './webgpu/nms-mask-gpu.js';
import { gpuUnsupportedReason, prepareMaskInput } from './webgpu/nms-prepare.js';
import { reduceSuppression } from './webgpu/nms-reduce.js';

export interface NmsWebGpuOptions {
  /**
   * When the input is outside what the kernel decides exactly (see the module notes) or the device's limits are
   * too small: compute the same result on the CPU (true, the default) or throw a RangeError (false).
   */
  readonly cpuFallback?: boolean;
}

function readDevice(device: unknown, name: string): GPUDevice {
  const d = device as Partial<GPUDevice> | null;
  if (
    typeof d !== 'object' ||
    d === null ||
    typeof d.createComputePipeline !== 'function' ||
    typeof d.queue?.submit !== 'function'
  ) {
    throw new TypeError(
      `${name}: expected a GPUDevice (navigator.gpu, or the 'webgpu' package's create([]) -> requestAdapter() -> requestDevice()), got ${describeValue(device)}`,
    );
  }
  return device as GPUDevice;
}

function readOptions(options: unknown, name: string): boolean {
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${name}: expected an options object, got ${describeValue(options)}`);
  }
  const fallback = (options as NmsWebGpuOptions).cpuFallback;
  if (fallback !== undefined && typeof fallback !== 'boolean') {
    throw new TypeError(`${name}.cpuFallback: expected a boolean, got ${describeValue(fallback)}`);
  }
  return fallback ?? true;
}

interface Job {
  readonly name: string;
  readonly device: GPUDevice;
  readonly coords: Coords;
  readonly count: number;
  readonly f32: boolean;
  readonly order: Int32Array;
  readonly threshold: number;
  readonly classIds?: Uint32Array;
  readonly fallback: boolean;
  readonly cpu: () => Int32Array;
}

async function run(job: Job): Promise<Int32Array> {
  const { name, device, coords, count, f32, order, threshold } = job;
  if (order.length === 0) return new Int32Array(0);
  const maxBoxes = 64 * device.limits.maxComputeWorkgroupsPerDimension;
  let reason = gpuUnsupportedReason(coords, order, `${name}: boxes`);
  if (reason === undefined && order.length > maxBoxes) {
    reason = `${name}: ${order.length} boxes with a score; the device dispatches at most 64 x ${device.limits.maxComputeWorkgroupsPerDimension} = ${maxBoxes}`;
  }
  if (reason !== undefined) {
    if (job.fallback) return job.cpu();
    throw new RangeError(`${reason}. Hint: { cpuFallback: true } computes the same result on the CPU`);
  }
  const areas = boxAreas(coords, count, f32);
  const input = prepareMaskInput(coords, f32, areas, order, threshold, job.classIds);
  const lists = await suppressionLists(device, input);
  if (!lists) {
    if (job.fallback) return job.cpu();
    throw new RangeError(
      `${name}: the suppression lists exceed this device's maxStorageBufferBindingSize (${device.limits.maxStorageBufferBindingSize} bytes). Hint: request a device with a larger limit, or { cpuFallback: true }`,
    );
  }
  return reduceSuppression(lists, order, makePairTest(coords, areas, f32, threshold));
}

/**
 * Greedy NMS on WebGPU: the same kept indices as `nms(boxes, scores, iouThreshold)` (highest score first, ties by
 * lower index), as an Int32Array.
 */
export async function nmsWebGpu(
  device: GPUDevice,
  boxes: BoxesInput,
  scores: VectorInput,
  iouThreshold: number,
  options?: NmsWebGpuOptions,
): Promise<Int32Array> {
  const gpu = readDevice(device, 'nmsWebGpu: device');
  const { coords, count, f32 } = readBoxesArg(boxes, 'nmsWebGpu: boxes');
  const s = readVectorArg(scores, 'nmsWebGpu: scores', count);
  const threshold = readIouThreshold(iouThreshold, 'nmsWebGpu: iouThreshold');
  const fallback = readOptions(options, 'nmsWebGpu: options');
  const order = scoreOrder(s);
  const cpu = () => gridNms(coords, count, f32, order, threshold);
  return run({ name: 'nmsWebGpu', device: gpu, coords, count, f32, order, threshold, fallback, cpu });
}

/**
 * Class-aware NMS on WebGPU: the same kept indices as `batchedNms(boxes, scores, classIds, iouThreshold)`. Boxes
 * of different classes never suppress each other (the kernel compares class ids instead of offsetting
 * coordinates, which would change float32 rounding and so the keep list).
 */
export async function batchedNmsWebGpu(
  device: GPUDevice,
  boxes: BoxesInput,
  scores: VectorInput,
  classIds: VectorInput | readonly number[],
  iouThreshold: number,
  options?: NmsWebGpuOptions,
): Promise<Int32Array> {
  const gpu = readDevice(device, 'batchedNmsWebGpu: device');
  const { coords, count, f32 } = readBoxesArg(boxes, 'batchedNmsWebGpu: boxes');
  const s = readVectorArg(scores, 'batchedNmsWebGpu: scores', count);
  const ids = readVectorArg(classIds, 'batchedNmsWebGpu: classIds', count);
  const threshold = readIouThreshold(iouThreshold, 'batchedNmsWebGpu: iouThreshold');
  const fallback = readOptions(options, 'batchedNmsWebGpu: options');
  const order = scoreOrder(s);
  const dense = new Uint32Array(count);
  const index = new Map<number, number>();
  for (let t = 0; t < order.length; t++) {
    const i = order[t]!;
    const id = ids[i]!;
    if (!Number.isFinite(id)) {
      throw new RangeError(`batchedNmsWebGpu: classIds[${i}]: expected a finite number, got ${describeValue(id)}`);
    }
    let k = index.get(id);
    if (k === undefined) {
      k = index.size;
      index.set(id, k);
    }
    dense[i] = k;
  }
  const cpu = () => batchedNms(boxes, scores, classIds, iouThreshold);
  const job = { name: 'batchedNmsWebGpu', device: gpu, coords, count, f32, order, threshold, fallback, cpu };
  return run({ ...job, classIds: dense });
}

/** Drops the compute pipeline cached for `device` (call before destroying a device you keep references to). */
export function disposeNmsWebGpu(device: GPUDevice): void {
  releaseMaskPipeline(device);
}
