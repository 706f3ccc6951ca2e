/// <reference types="@webgpu/types" />
/**
 * The WebGPU batch path: a `WebGpuAugmenter` built once for a `GPUDevice` the caller owns, an input size and a list
 * of steps (the GPU twins of CPU transforms, see steps.ts) runs a batch of same-size RGB uint8 images through
 * compute kernels, each sample with its own parameters drawn from its own `Rng` exactly as the CPU transforms draw
 * them. The result stays on the GPU (`GpuImageBatch.pixels`, or a float32 NCHW tensor buffer from `toTensor`) until
 * the caller reads it back. Every GPU object has one owner with a `dispose()`.
 */
import { type Rng, ShapeError, Tensor } from '@striate/core';
import { finite, integer, positive } from '../internal/check.js';
import { noiseOffsets } from '../noise-table.js';
import { assertImage, type ImageU8 } from '../sample.js';
import { checkRng } from '../transform.js';
import * as K from './shaders.js';
import { cpuTransform, drawStepParams, type GpuStep, type StepParams } from './steps.js';
import { hsvDivTables, hsvMultiplierTable, lumaTerms, resizeTaps, xoshiroJumpMatrices } from './tables.js';

// WebGPU enum values (the globals GPUBufferUsage etc. are not defined in every host).
const MAP_READ = 1;
const COPY_SRC = 4;
const COPY_DST = 8;
const UNIFORM = 64;
const STORAGE = 128;
const COMPUTE = 4;

const NOISE_PIXELS = 64; // pixels per noise thread (192 values, 96 draws)

type Kernel =
  | 'unpack'
  | 'pack'
  | 'flip'
  | 'warp'
  | 'resize'
  | 'luma'
  | 'stats'
  | `color:${string}`
  | 'hsv'
  | 'noise'
  | 'tensor';
const SOURCES: Record<Exclude<Kernel, `color:${string}`>, string> = {
  unpack: K.UNPACK,
  pack: K.PACK,
  flip: K.FLIP,
  warp: K.WARP,
  resize: K.RESIZE,
  luma: K.LUMA_SUM,
  stats: K.CONTRAST_STATS,
  hsv: K.HSV,
  noise: K.NOISE,
  tensor: K.TO_TENSOR,
};

/** One kernel launch of the plan: which kernel, its fixed uniforms and buffers, and how many threads. */
interface Launch {
  kernel: Kernel;
  /** [inH, inW, outH, outW, e0..e7] */
  dims: number[];
  stride: number;
  params: GPUBuffer | null;
  table: GPUBuffer | null;
  /** threads per sample (flattened launches), or null for the 2D luma launch */
  perSample: number | null;
  uniform: GPUBuffer;
  swap: boolean;
  /** clear the scratch buffer before this launch */
  clearScratch?: boolean;
  /** only when some sample's drawn op needs it (contrast stats) */
  when?: (params: StepParams[][]) => boolean;
}

interface StepPlan {
  step: GpuStep;
  stride: number;
  params: GPUBuffer | null;
  write: (p: StepParams, out: Uint32Array, f: Float32Array, i32: Int32Array) => void;
}

export interface WebGpuAugmenterOptions {
  /** Input image height and width (every image of a batch has this size). */
  height: number;
  width: number;
  /** The most images one `run` takes (buffers are sized for it). Default 32. */
  maxBatch?: number;
  steps: readonly GpuStep[];
}

/** A batch's result on the GPU: packed pixels (`r | g << 8 | b << 16` per u32), owned by this object. */
export class GpuImageBatch {
  private disposed = false;
  constructor(
    private readonly owner: WebGpuAugmenter,
    readonly pixels: GPUBuffer,
    readonly count: number,
    readonly height: number,
    readonly width: number,
    /** The parameters each step drew for each sample (`params[sample][step]`): apply them to boxes on the CPU. */
    readonly params: StepParams[][],
  ) {}
  /** Float32 `[N, 3, H, W]` in [0, 1] (toTensor), then `(x - mean) / std` per channel when given. */
  toTensor(opts: { mean?: readonly number[]; std?: readonly number[] } = {}): GpuTensor {
    this.check('toTensor');
    return this.owner.tensorFrom(this, opts);
  }
  /** Copies the batch back as HWC uint8 images. */
  readImages(): Promise<ImageU8[]> {
    this.check('readImages');
    return this.owner.readImages(this);
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pixels.destroy();
    this.owner.released(this);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  private check(fn: string): void {
    if (this.disposed) throw new Error(`GpuImageBatch.${fn}: the batch was disposed`);
  }
}

/** A float32 NCHW tensor in a GPU buffer (feed it to a model without a readback); owned by this object. */
export class GpuTensor {
  private disposed = false;
  constructor(
    private readonly device: GPUDevice,
    readonly buffer: GPUBuffer,
    readonly shape: [number, number, number, number],
  ) {}
  readonly dtype = 'float32' as const;
  /** Copies the tensor back into a core `Tensor`. */
  async read(): Promise<Tensor<'float32'>> {
    if (this.disposed) throw new Error('GpuTensor.read: the tensor was disposed');
    const bytes = await readBuffer(this.device, this.buffer, this.buffer.size);
    return new Tensor(
      'float32',
      [...this.shape],
      new Float32Array(
        bytes.buffer,
        0,
        this.shape.reduce((a, b) => a * b),
      ),
    );
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.buffer.destroy();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Copies `size` bytes of `buffer` (COPY_SRC usage) to the CPU. */
export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, size: number): Promise<Uint8Array> {
  const staging = device.createBuffer({ size, usage: MAP_READ | COPY_DST });
  try {
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(buffer, 0, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(1);
    return new Uint8Array(staging.getMappedRange(0, size).slice(0));
  } finally {
    staging.destroy();
  }
}

function checkDevice(device: unknown): asserts device is GPUDevice {
  const d = device as GPUDevice | null;
  if (!d || typeof d !== 'object' || typeof d.createComputePipeline !== 'function' || !d.queue) {
    throw new TypeError('WebGpuAugmenter: device: expected a GPUDevice (adapter.requestDevice())');
  }
}

/** Batched augmentation on WebGPU; see the module comment. */
export class WebGpuAugmenter {
  readonly height: number;
  readonly width: number;
  readonly maxBatch: number;
  /** The output `[height, width]` after the steps (resize changes it). */
  readonly outputSize: [number, number];
  private readonly steps: readonly GpuStep[];
  private readonly owned: GPUBuffer[] = [];
  private readonly pipelines = new Map<Kernel, GPUComputePipeline>();
  private readonly layout: GPUBindGroupLayout;
  private readonly pipelineLayout: GPUPipelineLayout;
  private readonly ping: GPUBuffer;
  private readonly pong: GPUBuffer;
  private readonly scratch: GPUBuffer;
  private readonly input: GPUBuffer;
  private readonly unpackUniform: GPUBuffer;
  private readonly plans: StepPlan[] = [];
  private readonly launches: Launch[] = [];
  private readonly live = new Set<GpuImageBatch>();
  private disposed = false;

  constructor(
    private readonly device: GPUDevice,
    opts: WebGpuAugmenterOptions,
  ) {
    const fn = 'WebGpuAugmenter';
    checkDevice(device);
    if (opts === null || typeof opts !== 'object') throw new TypeError(`${fn}: options: expected an object`);
    this.height = integer(opts.height, fn, 'height', 1);
    this.width = integer(opts.width, fn, 'width', 1);
    this.maxBatch = integer(opts.maxBatch ?? 32, fn, 'maxBatch', 1);
    if (!Array.isArray(opts.steps)) throw new TypeError(`${fn}: steps: expected an array of steps`);
    this.steps = opts.steps.map((s) => ({ ...s }));
    for (const s of this.steps) cpuTransform(s); // validates with the CPU classes' messages
    this.layout = device.createBindGroupLayout({
      entries: [
        { binding: 0, visibility: COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: COMPUTE, buffer: { type: 'storage' } },
        { binding: 3, visibility: COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 4, visibility: COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 5, visibility: COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    this.pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [this.layout] });
    // Size the ping-pong buffers for the largest image along the pipeline.
    let [h, w] = [this.height, this.width];
    let maxPixels = h * w;
    for (const s of this.steps) {
      if (s.op === 'resize') {
        const [oh, ow] = s.size;
        maxPixels = Math.max(maxPixels, h * ow, oh * ow);
        [h, w] = [oh, ow];
      }
    }
    this.outputSize = [h, w];
    const pixelBytes = this.maxBatch * maxPixels * 4;
    const limit = device.limits.maxStorageBufferBindingSize;
    if (pixelBytes > limit) {
      throw new RangeError(
        `${fn}: maxBatch: ${this.maxBatch} images of up to ${maxPixels} pixels need ${pixelBytes} bytes per buffer, ` +
          `above this device's maxStorageBufferBindingSize (${limit}); use a smaller maxBatch or request a higher limit`,
      );
    }
    this.ping = this.buffer(pixelBytes, STORAGE | COPY_SRC | COPY_DST);
    this.pong = this.buffer(pixelBytes, STORAGE | COPY_SRC | COPY_DST);
    this.scratch = this.buffer(Math.max(16, this.maxBatch * 8), STORAGE | COPY_DST);
    this.input = this.buffer(Math.ceil((this.maxBatch * this.height * this.width * 3) / 4) * 4, STORAGE | COPY_DST);
    this.unpackUniform = this.buffer(64, UNIFORM | COPY_DST);
    this.plan();
  }

  private buffer(size: number, usage: number, data?: ArrayBufferView): GPUBuffer {
    const b = this.device.createBuffer({
      size: Math.max(16, Math.ceil(size / 4) * 4),
      usage: data ? usage | COPY_DST : usage,
    });
    if (data) this.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    this.owned.push(b);
    return b;
  }

  private pipeline(k: Kernel): GPUComputePipeline {
    let p = this.pipelines.get(k);
    if (!p) {
      const code = k.startsWith('color:')
        ? K.colorSlot([...k.slice(6)].map((b) => b === '1'))
        : SOURCES[k as keyof typeof SOURCES];
      const module = this.device.createShaderModule({ code, label: `striate-augment-${k}` });
      p = this.device.createComputePipeline({ layout: this.pipelineLayout, compute: { module, entryPoint: 'main' } });
      this.pipelines.set(k, p);
    }
    return p;
  }

  private launch(l: Omit<Launch, 'uniform'>): void {
    this.launches.push({ ...l, uniform: this.buffer(64, UNIFORM | COPY_DST) });
  }

  /** Builds the launches and constant tables of the steps. */
  private plan(): void {
    let [h, w] = [this.height, this.width];
    const nb = this.maxBatch;
    const luma = () => this.buffer(768 * 4, STORAGE, lumaTerms());
    for (const step of this.steps) {
      const dimsSame = (e: number[] = []) => [h, w, h, w, ...e];
      switch (step.op) {
        case 'hflip':
        case 'vflip': {
          const params = this.buffer(nb * 4, STORAGE | COPY_DST);
          this.plans.push({
            step,
            stride: 1,
            params,
            write: (p, u) => {
              if (p.op === 'flip') u[0] = p.apply ? (p.horizontal ? 1 : 2) : 0;
            },
          });
          this.launch({
            kernel: 'flip',
            dims: dimsSame(),
            stride: 1,
            params,
            table: null,
            perSample: h * w,
            swap: true,
          });
          break;
        }
        case 'rotate':
        case 'affine': {
          const stride = 11;
          const params = this.buffer(nb * stride * 4, STORAGE | COPY_DST);
          const [ih, iw] = [h, w];
          this.plans.push({
            step,
            stride,
            params,
            write: (p, u, f) => {
              if (p.op !== 'warp') return;
              const [a, b, c, d, e, ff] = p.inverse;
              f.set([a, b, c + (iw - 1) * 0.5, d, e, ff + (ih - 1) * 0.5]);
              u[6] = p.interpolation === 'bilinear' ? 1 : 0;
              u[7] = p.fill ? 1 : 0;
              if (p.fill) f.set(p.fill, 8);
            },
          });
          this.launch({ kernel: 'warp', dims: dimsSame(), stride, params, table: null, perSample: h * w, swap: true });
          break;
        }
        case 'resize': {
          const [oh, ow] = step.size;
          this.plans.push({ step, stride: 0, params: null, write: () => {} });
          if (oh === h && ow === w) break;
          const aa = step.antialias ?? true;
          const tx = resizeTaps(w, ow, aa);
          const ty = resizeTaps(h, oh, aa);
          const table = (t: ReturnType<typeof resizeTaps>) => {
            const arr = new Int32Array(t.start.length * 2 + t.weights.length);
            arr.set(t.start);
            arr.set(t.count, t.start.length);
            arr.set(t.weights, t.start.length * 2);
            return this.buffer(arr.byteLength, STORAGE, arr);
          };
          this.launch({
            kernel: 'resize',
            dims: [h, w, oh, ow, 1, tx.maxK],
            stride: 0,
            params: null,
            table: table(tx),
            perSample: h * ow,
            swap: true,
          });
          this.launch({
            kernel: 'resize',
            dims: [h, ow, oh, ow, 0, ty.maxK],
            stride: 0,
            params: null,
            table: table(ty),
            perSample: oh * ow,
            swap: true,
          });
          [h, w] = [oh, ow];
          break;
        }
        case 'colorJitter': {
          const stride = 6 + 1024;
          const params = this.buffer(nb * stride * 4, STORAGE | COPY_DST);
          const terms = luma();
          const f32 = Math.fround;
          const enabled = [step.brightness, step.contrast, step.saturation, step.hue]
            .map((v) => (v === undefined ? 0 : 1))
            .join('');
          this.plans.push({
            step,
            stride,
            params,
            write: (p, u, f) => {
              if (p.op !== 'colorJitter') return;
              p.order.forEach((k, slot) => {
                u[slot] = p.factors[k] === undefined ? 4 : k;
              });
              const [br, co, sa, hu] = p.factors;
              f[4] = hu ?? 0;
              if (br !== undefined) {
                const fb = f32(br);
                for (let v = 0; v < 256; v++) {
                  const x = f32(v * fb);
                  u[6 + v] = x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
                }
              }
              if (co !== undefined) {
                const fc = f32(co);
                f[5] = f32(1 - fc);
                for (let v = 0; v < 256; v++) f[6 + 256 + v] = f32(v * fc);
              }
              if (sa !== undefined) {
                const fs = f32(sa);
                for (let v = 0; v < 256; v++) {
                  f[6 + 512 + v] = f32(v * fs);
                  f[6 + 768 + v] = f32(v * f32(1 - fs));
                }
              }
            },
          });
          for (let slot = 0; slot < 4; slot++) {
            const usesContrast = (all: StepParams[][], at: number) =>
              all.some((ps) => {
                const p = ps[at];
                return p?.op === 'colorJitter' && p.factors[p.order[slot]!] !== undefined && p.order[slot] === 1;
              });
            const at = this.plans.length - 1;
            const when = (all: StepParams[][]) => usesContrast(all, at);
            this.launch({
              kernel: 'luma',
              dims: dimsSame(),
              stride,
              params,
              table: terms,
              perSample: null,
              swap: false,
              clearScratch: true,
              when,
            });
            this.launch({
              kernel: 'stats',
              dims: dimsSame([5]),
              stride,
              params,
              table: null,
              perSample: 1,
              swap: false,
              when,
            });
            this.launch({
              kernel: `color:${enabled}`,
              dims: dimsSame([slot]),
              stride,
              params,
              table: terms,
              perSample: h * w,
              swap: true,
              // Skipped when no sample has an enabled op at this position.
              when: (all) =>
                all.some((ps) => {
                  const p = ps[at];
                  return p?.op === 'colorJitter' && p.factors[p.order[slot]!] !== undefined;
                }),
            });
          }
          break;
        }
        case 'hsv': {
          const stride = 768;
          const params = this.buffer(nb * stride * 4, STORAGE | COPY_DST);
          const div = hsvDivTables();
          const mult = hsvMultiplierTable();
          const t = new Uint32Array(512 + mult.length);
          t.set(new Uint32Array(div.buffer));
          t.set(mult, 512);
          const table = this.buffer(t.byteLength, STORAGE, t);
          this.plans.push({
            step,
            stride,
            params,
            write: (p, u) => {
              if (p.op !== 'hsv') return;
              const [gh, gs, gv] = p.gains;
              for (let x = 0; x < 256; x++) {
                u[x] = Math.trunc((((x * gh) % 180) + 180) % 180);
                u[256 + x] = Math.trunc(Math.min(Math.max(x * gs, 0), 255));
                u[512 + x] = Math.trunc(Math.min(Math.max(x * gv, 0), 255));
              }
            },
          });
          this.launch({ kernel: 'hsv', dims: dimsSame(), stride, params, table, perSample: h * w, swap: true });
          break;
        }
        case 'noise': {
          const stride = 4 + 65536;
          const params = this.buffer(nb * stride * 4, STORAGE | COPY_DST);
          const chunks = Math.ceil((h * w) / NOISE_PIXELS);
          const levels = Math.max(1, Math.ceil(Math.log2(chunks)));
          const jumps = xoshiroJumpMatrices((NOISE_PIXELS * 3) / 2, levels);
          const table = this.buffer(jumps.byteLength, STORAGE, jumps);
          const offsets = new Int16Array(65536);
          this.plans.push({
            step,
            stride,
            params,
            write: (p, u, _f, i32) => {
              if (p.op !== 'noise') return;
              u.set(p.seeds.map((s) => s >>> 0));
              // noise.ts: out = clamp(v + offset, 0, 255), the same offsets as the CPU path.
              i32.set(noiseOffsets(p.std, p.mean, offsets), 4);
            },
          });
          this.launch({
            kernel: 'noise',
            dims: dimsSame([chunks, levels]),
            stride,
            params,
            table,
            perSample: chunks,
            swap: true,
          });
          break;
        }
      }
    }
  }

  /**
   * Augments `images` (same size, RGB uint8), sample i with parameters drawn from `rngs[i]` exactly as
   * `cpuPipeline(steps).apply(sample, rngs[i])` draws them. Returns the batch on the GPU.
   */
  run(images: readonly ImageU8[], rngs: readonly Rng[]): GpuImageBatch {
    const fn = 'WebGpuAugmenter.run';
    if (this.disposed) throw new Error(`${fn}: the augmenter was disposed`);
    if (!Array.isArray(images) || images.length === 0 || images.length > this.maxBatch) {
      throw new RangeError(`${fn}: images: expected 1 to ${this.maxBatch} images, got ${images?.length}`);
    }
    if (!Array.isArray(rngs) || rngs.length !== images.length) {
      throw new RangeError(`${fn}: rngs: expected one Rng per image (${images.length}), got ${rngs?.length}`);
    }
    const n = images.length;
    const { height: H, width: W } = this;
    images.forEach((im, k) => {
      assertImage(im, `${fn}: images[${k}]`);
      if (im.channels !== 3) throw new ShapeError(`${fn}: images[${k}].channels: expected 3 (RGB), got ${im.channels}`);
      if (im.height !== H || im.width !== W) {
        throw new ShapeError(
          `${fn}: images[${k}]: expected ${H}x${W} (the augmenter's size), got ${im.height}x${im.width}`,
        );
      }
      checkRng(rngs[k], `${fn}: rngs[${k}]`);
    });
    // Draw every sample's parameters, step by step, as compose(...).apply would.
    const params: StepParams[][] = images.map(() => []);
    for (let k = 0; k < n; k++) {
      let canvas: [number, number] = [H, W];
      for (const s of this.steps) {
        const p = drawStepParams(s, rngs[k]!, canvas);
        params[k]!.push(p);
        if (p.op === 'resize') canvas = p.size;
      }
    }
    const q = this.device.queue;
    const bytes = H * W * 3;
    if (bytes % 4 === 0) {
      for (let k = 0; k < n; k++) {
        const im = images[k]!;
        q.writeBuffer(this.input, k * bytes, im.data.buffer, im.data.byteOffset, bytes);
      }
    } else {
      const all = new Uint8Array(Math.ceil((n * bytes) / 4) * 4);
      for (let k = 0; k < n; k++) all.set(images[k]!.data, k * bytes);
      q.writeBuffer(this.input, 0, all.buffer, 0, all.byteLength);
    }
    this.plans.forEach((plan, si) => {
      if (!plan.params) return;
      const words = new Uint32Array(n * plan.stride);
      const f = new Float32Array(words.buffer);
      const i32 = new Int32Array(words.buffer);
      for (let k = 0; k < n; k++) {
        const o = k * plan.stride;
        plan.write(params[k]![si]!, words.subarray(o), f.subarray(o), i32.subarray(o));
      }
      q.writeBuffer(plan.params, 0, words.buffer, 0, words.byteLength);
    });
    const enc = this.device.createCommandEncoder();
    let cur = this.ping;
    let next = this.pong;
    this.dispatch(enc, 'unpack', [H, W, H, W], n, H * W, this.input, cur, null, null, 0);
    for (const l of this.launches) {
      if (l.when && !l.when(params)) continue;
      if (l.clearScratch) enc.clearBuffer(this.scratch);
      const uni = this.uniformWords(l.dims, n, l.perSample ?? 0, l.stride);
      q.writeBuffer(l.uniform, 0, uni.buffer, 0, 64);
      const pass = enc.beginComputePass();
      pass.setPipeline(this.pipeline(l.kernel));
      pass.setBindGroup(0, this.bindGroup(l.uniform, cur, next, l.params, l.table));
      if (l.perSample === null) pass.dispatchWorkgroups(Math.ceil((l.dims[0]! * l.dims[1]!) / 1024), n);
      else {
        const [x, y] = this.grid(n * l.perSample);
        pass.dispatchWorkgroups(x, y);
      }
      pass.end();
      if (l.swap) [cur, next] = [next, cur];
    }
    const [oh, ow] = this.outputSize;
    const out = this.device.createBuffer({ size: Math.max(16, n * oh * ow * 4), usage: STORAGE | COPY_SRC | COPY_DST });
    enc.copyBufferToBuffer(cur, 0, out, 0, n * oh * ow * 4);
    q.submit([enc.finish()]);
    const batch = new GpuImageBatch(this, out, n, oh, ow, params);
    this.live.add(batch);
    return batch;
  }

  private grid(threads: number): [number, number] {
    const groups = Math.max(1, Math.ceil(threads / 64));
    const x = Math.min(groups, 32768);
    return [x, Math.ceil(groups / x)];
  }

  private uniformWords(dims: readonly number[], n: number, perSample: number, stride: number): Uint32Array {
    const u = new Uint32Array(16);
    const [x] = this.grid(n * perSample);
    u.set([n * perSample, x * 64, n, stride]);
    u.set(dims, 4);
    return u;
  }

  private bindGroup(
    uniform: GPUBuffer,
    src: GPUBuffer,
    dst: GPUBuffer,
    params: GPUBuffer | null,
    table: GPUBuffer | null,
  ) {
    return this.device.createBindGroup({
      layout: this.layout,
      entries: [
        { binding: 0, resource: { buffer: uniform } },
        { binding: 1, resource: { buffer: src } },
        { binding: 2, resource: { buffer: dst } },
        { binding: 3, resource: { buffer: params ?? this.scratchRead() } },
        { binding: 4, resource: { buffer: table ?? this.scratchRead() } },
        { binding: 5, resource: { buffer: this.scratch } },
      ],
    });
  }

  private dummy: GPUBuffer | undefined;
  private scratchRead(): GPUBuffer {
    this.dummy ??= this.buffer(16, STORAGE);
    return this.dummy;
  }

  /** A launch outside the plan (unpack, pack, toTensor), with `uniform` (default: the unpack launch's). */
  private dispatch(
    enc: GPUCommandEncoder,
    kernel: Kernel,
    dims: number[],
    n: number,
    perSample: number,
    src: GPUBuffer,
    dst: GPUBuffer,
    params: GPUBuffer | null,
    table: GPUBuffer | null,
    stride: number,
    uniform?: GPUBuffer,
  ): void {
    const uni = uniform ?? this.unpackUniform;
    this.device.queue.writeBuffer(uni, 0, this.uniformWords(dims, n, perSample, stride).buffer, 0, 64);
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline(kernel));
    pass.setBindGroup(0, this.bindGroup(uni, src, dst, params, table));
    const [x, y] = this.grid(n * perSample);
    pass.dispatchWorkgroups(x, y);
    pass.end();
  }

  /** @internal */
  tensorFrom(batch: GpuImageBatch, opts: { mean?: readonly number[]; std?: readonly number[] }): GpuTensor {
    const fn = 'GpuImageBatch.toTensor';
    const { count: n, height: h, width: w } = batch;
    const norm = opts.mean !== undefined || opts.std !== undefined;
    const p = new Float32Array(6);
    if (norm) {
      const mean = opts.mean ?? [0, 0, 0];
      const std = opts.std ?? [1, 1, 1];
      if (!Array.isArray(mean) || mean.length !== 3)
        throw new RangeError(`${fn}: mean: expected 3 values, got ${mean?.length}`);
      if (!Array.isArray(std) || std.length !== 3)
        throw new RangeError(`${fn}: std: expected 3 values, got ${std?.length}`);
      mean.forEach((v, k) => {
        p[k] = finite(v, fn, `mean[${k}]`);
      });
      std.forEach((v, k) => {
        p[3 + k] = positive(v, fn, `std[${k}]`);
      });
    }
    const params = this.device.createBuffer({ size: 32, usage: STORAGE | COPY_DST });
    const uni = this.device.createBuffer({ size: 64, usage: UNIFORM | COPY_DST });
    this.device.queue.writeBuffer(params, 0, p.buffer, 0, 24);
    const out = this.device.createBuffer({
      size: Math.max(16, n * 3 * h * w * 4),
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
    const enc = this.device.createCommandEncoder();
    this.dispatch(enc, 'tensor', [h, w, h, w, norm ? 1 : 0], n, h * w, batch.pixels, out, params, null, 0, uni);
    this.device.queue.submit([enc.finish()]);
    params.destroy();
    uni.destroy();
    return new GpuTensor(this.device, out, [n, 3, h, w]);
  }

  /** @internal */
  async readImages(batch: GpuImageBatch): Promise<ImageU8[]> {
    const { count: n, height: h, width: w } = batch;
    const total = n * h * w * 3;
    const words = Math.ceil(total / 4);
    const packed = this.device.createBuffer({ size: Math.max(16, words * 4), usage: STORAGE | COPY_SRC });
    const uni = this.device.createBuffer({ size: 64, usage: UNIFORM | COPY_DST });
    try {
      const enc = this.device.createCommandEncoder();
      // PACK runs over output words: perSample = words, n = 1.
      this.dispatch(enc, 'pack', [h, w, h, w, total], 1, words, batch.pixels, packed, null, null, 0, uni);
      this.device.queue.submit([enc.finish()]);
      const bytes = await readBuffer(this.device, packed, words * 4);
      return Array.from({ length: n }, (_, k) => ({
        data: bytes.slice(k * h * w * 3, (k + 1) * h * w * 3),
        height: h,
        width: w,
        channels: 3,
      }));
    } finally {
      packed.destroy();
      uni.destroy();
    }
  }

  /** @internal */
  released(batch: GpuImageBatch): void {
    this.live.delete(batch);
  }

  /** Destroys the augmenter's buffers and every batch it returned that is still alive (not the device). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [...this.live]) b.dispose();
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
    this.pipelines.clear();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
}
