import { type DType, GraphBuilder, type Tensor } from '@striate/core';
import { exportOnnx } from '@striate/onnx';
import type { OrtRuntime, OrtSession, OrtTensor } from './ort-runtime.js';
import type { OrtDevice } from './providers.js';
import { fromOrtTensor } from './tensor-convert.js';

/** Where a compiled model leaves its outputs: on the CPU (default) or in the device's memory (`gpu-buffer`). */
export type OrtOutputLocation = 'cpu' | 'gpu-buffer';

/** The devices whose outputs can stay in device memory. */
export const DEVICE_OUTPUT_DEVICES: readonly OrtDevice[] = Object.freeze(['webgpu']);

/**
 * Downloads device-resident ORT tensors through an Identity session on the same device whose output is on the CPU.
 * onnxruntime-node 1.30's own `Tensor.getData()` on a WebGPU `gpu-buffer` tensor aborts the process
 * ("terminate called after throwing an instance of 'char const*'"), so it is never called.
 * Sessions are cached per dtype and rank and released when no device tensor is left (`idle()`).
 */
export class DeviceDownloader {
  private readonly sessions = new Map<string, Promise<OrtSession>>();

  constructor(
    private readonly runtime: () => Promise<OrtRuntime>,
    private readonly device: OrtDevice,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  async download(value: OrtTensor, dtype: DType, rank: number, name: string): Promise<Tensor> {
    const key = `${dtype}:${rank}`;
    let session = this.sessions.get(key);
    if (!session) {
      const b = new GraphBuilder('striate_download');
      const x = b.input(
        'x',
        dtype,
        Array.from({ length: rank }, (_, i) => `d${i}`),
      );
      const [y] = b.op('Identity', [x], {}, { name: 'download' });
      b.output(y!, 'y');
      const bytes = exportOnnx(b.build());
      session = this.runtime().then((rt) =>
        rt.InferenceSession.create(bytes, { logSeverityLevel: 3, executionProviders: [this.device] }),
      );
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    const results = await (await session).run({ x: value });
    return fromOrtTensor(results.y as OrtTensor, name);
  }

  /** Releases the cached download sessions. */
  async idle(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (s) => (await s.catch(() => null))?.release()));
  }
}

/** What a device tensor needs from its owner: a downloader and a callback when it is disposed. */
export interface DeviceTensorOwner {
  readonly backendName: string;
  readonly device: OrtDevice;
  download(value: OrtTensor, dtype: DType, rank: number, name: string): Promise<Tensor>;
  disposed(tensor: OrtDeviceTensor): Promise<void>;
}

/**
 * A model output left in device memory (a `gpu-buffer` ORT tensor) by `runOnDevice`. Feed it to another model
 * compiled on the same backend and device (no copy to the CPU in between), `download()` it to a striate Tensor, and
 * `dispose()` it (or `using`) to free the device memory.
 */
export class OrtDeviceTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  private value: OrtTensor | null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly owner: DeviceTensorOwner,
    value: OrtTensor,
    dtype: DType,
    readonly name: string,
  ) {
    this.value = value;
    this.dtype = dtype;
    this.shape = Object.freeze(value.dims.map((d) => Number(d)));
  }

  get rank(): number {
    return this.shape.length;
  }

  get backendName(): string {
    return this.owner.backendName;
  }

  get device(): OrtDevice {
    return this.owner.device;
  }

  get isDisposed(): boolean {
    return this.value === null;
  }

  /** The ORT tensor (location `gpu-buffer`); throws after `dispose()`. */
  ortTensor(argName: string): OrtTensor {
    if (!this.value) throw new Error(`${argName}: the device tensor ${JSON.stringify(this.name)} was disposed`);
    return this.value;
  }

  /** Copies the values to the CPU as a striate Tensor (the device tensor stays valid). */
  async download(): Promise<Tensor> {
    return this.owner.download(this.ortTensor('download()'), this.dtype, this.rank, this.name);
  }

  /** Frees the device memory; idempotent. */
  dispose(): Promise<void> {
    if (!this.released) {
      const value = this.value;
      this.value = null;
      value?.dispose();
      this.released = this.owner.disposed(this);
    }
    return this.released;
  }

  [Symbol.dispose](): void {
    void this.dispose();
  }
}

/**
 * The live device tensors of one backend: each holds a reference to its session (released on `dispose()`), and the
 * download sessions are released when the last device tensor is disposed and no download is in flight.
 */
export class DeviceTensorRegistry {
  private readonly live = new Set<OrtDeviceTensor>();
  private readonly downloaders = new Map<OrtDevice, DeviceDownloader>();
  private pending = 0;

  constructor(private readonly runtime: () => Promise<OrtRuntime>) {}

  /** Device tensors created and not yet disposed. */
  get size(): number {
    return this.live.size;
  }

  /** Download sessions currently open. */
  get downloadSessions(): number {
    let n = 0;
    for (const d of this.downloaders.values()) n += d.size;
    return n;
  }

  wrap(
    backendName: string,
    device: OrtDevice,
    value: OrtTensor,
    dtype: DType,
    name: string,
    release: () => Promise<void>,
  ): OrtDeviceTensor {
    const owner: DeviceTensorOwner = {
      backendName,
      device,
      download: async (v, dt, rank, n) => {
        let downloader = this.downloaders.get(device);
        if (!downloader) {
          downloader = new DeviceDownloader(this.runtime, device);
          this.downloaders.set(device, downloader);
        }
        this.pending++;
        try {
          return await downloader.download(v, dt, rank, n);
        } finally {
          this.pending--;
          await this.idleIfUnused();
        }
      },
      disposed: async (t) => {
        this.live.delete(t);
        await release();
        await this.idleIfUnused();
      },
    };
    const t = new OrtDeviceTensor(owner, value, dtype, name);
    this.live.add(t);
    return t;
  }

  private async idleIfUnused(): Promise<void> {
    if (this.live.size > 0 || this.pending > 0) return;
    await Promise.all([...this.downloaders.values()].map((d) => d.idle()));
  }
}
