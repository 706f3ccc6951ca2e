/// <reference types="@webgpu/types" />
/**
 * Runs the NMS suppression kernel (`nms-mask-shader.ts`) on a caller's GPUDevice and reads back its two sparse
 * lists. One compute pipeline is cached per device (`releaseMaskPipeline` drops it); every buffer made here is
 * destroyed before the call returns or throws. Not exported from the package.
 */
import { NMS_MASK_WGSL, NMS_TILES_PER_WORKGROUP } from './nms-mask-shader.js';

// GPUBufferUsage / GPUMapMode as numbers: those globals need not exist in Node (the `webgpu` package installs
// them only through its `globals` export).
const MAP_READ = 0x1;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const UNIFORM = 0x40;
const STORAGE = 0x80;

/** Boxes already in processing order (descending score), as the kernel reads them. */
export interface MaskInput {
  /** 4 f32 per box `(x1, y1, x2, y2)`. */
  readonly boxes: Float32Array<ArrayBuffer>;
  /** One f32 area per box (the CPU path's areas, rounded to f32). */
  readonly areas: Float32Array<ArrayBuffer>;
  /** One class per box; all 0 for class-agnostic NMS. */
  readonly classes: Uint32Array<ArrayBuffer>;
  readonly count: number;
  /** IoU above `thrHi` is surely suppressed, below `thrLo` surely not (f32 values). */
  readonly thrHi: number;
  readonly thrLo: number;
  /** Bound on the error of each intersection side from coordinates rounded to f32 (0 for f32 input). */
  readonly absErr: number;
}

/**
 * The kernel's output: entries of 4 u32 `(row, colTile, bits 0..31, bits 32..63)`, where bit k of a row's word for
 * column tile c speaks of the pair (row, 64 c + k) in processing order.
 */
export interface MaskLists {
  /** Pairs surely suppressed (IoU > threshold). */
  readonly sure: Uint32Array;
  /** Pairs the GPU could not decide with its f32 margin: to be settled by the exact CPU test. */
  readonly unsure: Uint32Array;
}

/** Smallest normal f32 times 2^6: products above it are neither flushed nor subnormal. */
const MIN_NORMAL = 2 ** -120;
const ENTRY_BYTES = 16;

const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

function maskPipeline(device: GPUDevice): GPUComputePipeline {
  let pipeline = pipelines.get(device);
  if (!pipeline) {
    const module = device.createShaderModule({ label: 'striate nms mask', code: NMS_MASK_WGSL });
    pipeline = device.createComputePipeline({
      label: 'striate nms mask',
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    pipelines.set(device, pipeline);
  }
  return pipeline;
}

/** Forgets the pipeline cached for `device`; true if there was one. */
export function releaseMaskPipeline(device: GPUDevice): boolean {
  return pipelines.delete(device);
}

/** How many list entries one storage binding of this device can hold. */
export function maxListEntries(device: GPUDevice): number {
  return Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / ENTRY_BYTES);
}

/**
 * Rejects with the first validation / out-of-memory error raised between push and pop. Both scopes are popped
 * before any await, so concurrent calls on one device never pop each other's scopes.
 */
async function popErrors(device: GPUDevice): Promise<void> {
  const [validation, memory] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
  const error = validation ?? memory;
  if (error)
    throw new Error(`nmsWebGpu: WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${error.message}`);
}

/**
 * Computes the suppression lists. Returns `undefined` when the lists need more entries than one storage binding
 * of this device allows (the caller then falls back or reports it).
 */
export async function suppressionLists(device: GPUDevice, input: MaskInput): Promise<MaskLists | undefined> {
  const n = input.count;
  const colBlocks = Math.ceil(n / 64);
  const limit = maxListEntries(device);
  const worst = n * colBlocks;
  let sureCapacity = Math.min(worst, limit, Math.max(4096, 16 * n));
  let unsureCapacity = Math.min(worst, limit, Math.max(256, n));
  const owned: GPUBuffer[] = [];
  const buffer = (size: number, usage: number, label: string): GPUBuffer => {
    const b = device.createBuffer({ label: `striate nms ${label}`, size: Math.max(16, size), usage });
    owned.push(b);
    return b;
  };
  try {
    const pipeline = maskPipeline(device);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const boxes = buffer(input.boxes.byteLength, STORAGE | COPY_DST, 'boxes');
    const areas = buffer(input.areas.byteLength, STORAGE | COPY_DST, 'areas');
    const classes = buffer(input.classes.byteLength, STORAGE | COPY_DST, 'classes');
    device.queue.writeBuffer(boxes, 0, input.boxes);
    device.queue.writeBuffer(areas, 0, input.areas);
    device.queue.writeBuffer(classes, 0, input.classes);
    await popErrors(device);
    for (let attempt = 0; ; attempt++) {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      const params = buffer(32, UNIFORM | COPY_DST, 'params');
      const header = new ArrayBuffer(32);
      new Uint32Array(header, 0, 4).set([n, colBlocks, sureCapacity, unsureCapacity]);
      new Float32Array(header, 16, 4).set([input.thrHi, input.thrLo, input.absErr, MIN_NORMAL]);
      device.queue.writeBuffer(params, 0, header);
      const counts = buffer(8, STORAGE | COPY_SRC, 'counts'); // new buffers are zero-filled
      const sure = buffer(sureCapacity * ENTRY_BYTES, STORAGE | COPY_SRC, 'sure pairs');
      const unsure = buffer(unsureCapacity * ENTRY_BYTES, STORAGE | COPY_SRC, 'unsure pairs');
      const countsRead = buffer(16, MAP_READ | COPY_DST, 'counts readback');
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [params, boxes, areas, classes, counts, sure, unsure].map((b, binding) => ({
          binding,
          resource: { buffer: b },
        })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(colBlocks / NMS_TILES_PER_WORKGROUP), colBlocks);
      pass.end();
      encoder.copyBufferToBuffer(counts, 0, countsRead, 0, 8);
      device.queue.submit([encoder.finish()]);
      await popErrors(device);
      await countsRead.mapAsync(MAP_READ);
      const [sureCount, unsureCount] = new Uint32Array(countsRead.getMappedRange(0, 8).slice(0));
      countsRead.unmap();
      if (sureCount! > sureCapacity || unsureCount! > unsureCapacity) {
        // The counters kept counting past the capacities: retry once with the exact sizes.
        if (attempt > 0 || sureCount! > limit || unsureCount! > limit) return undefined;
        sureCapacity = Math.max(sureCapacity, sureCount!);
        unsureCapacity = Math.max(unsureCapacity, unsureCount!);
        continue;
      }
      const sureBytes = sureCount! * ENTRY_BYTES;
      const unsureBytes = unsureCount! * ENTRY_BYTES;
      if (sureBytes + unsureBytes === 0) return { sure: new Uint32Array(0), unsure: new Uint32Array(0) };
      const read = buffer(sureBytes + unsureBytes, MAP_READ | COPY_DST, 'pairs readback');
      const copy = device.createCommandEncoder();
      if (sureBytes > 0) copy.copyBufferToBuffer(sure, 0, read, 0, sureBytes);
      if (unsureBytes > 0) copy.copyBufferToBuffer(unsure, 0, read, sureBytes, unsureBytes);
      device.queue.submit([copy.finish()]);
      await read.mapAsync(MAP_READ, 0, sureBytes + unsureBytes);
      const all = new Uint32Array(read.getMappedRange(0, sureBytes + unsureBytes).slice(0));
      read.unmap();
      return { sure: all.subarray(0, sureBytes / 4), unsure: all.subarray(sureBytes / 4) };
    }
  } finally {
    for (const b of owned) b.destroy();
  }
}
