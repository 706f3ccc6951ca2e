import type { CompiledModel, DType, Tensor } from '@striate/core';
import { type DeviceTensorRegistry, OrtDeviceTensor, type OrtOutputLocation } from './device-tensor.js';
import { checkFeeds } from './feeds.js';
import type { OrtRuntime, OrtTensor } from './ort-runtime.js';
import type { OrtDevice } from './providers.js';
import type { OpenSession, SessionCache } from './session-cache.js';
import { fromOrtTensor, toOrtTensor } from './tensor-convert.js';

/** Feeds of an ORT model: striate Tensors, or device tensors from a model on the same backend and device. */
export type OrtFeeds = Readonly<Record<string, Tensor | OrtDeviceTensor>>;

/** Where a model runs, where its outputs go, and who tracks its device tensors. */
export interface OrtModelPlacement {
  readonly device: OrtDevice;
  readonly outputLocation: OrtOutputLocation;
  readonly registry: DeviceTensorRegistry;
}

/** A compiled model over a cached ORT session; `dispose()` drops this handle's reference to the session. */
export class OrtModel implements CompiledModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly providers: readonly string[];
  readonly device: OrtDevice;
  readonly outputLocation: OrtOutputLocation;
  private open: OpenSession | null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly backendName: string,
    private readonly runtime: OrtRuntime,
    private readonly cache: SessionCache,
    private readonly source: object,
    private readonly key: string,
    open: OpenSession,
    private readonly placement: OrtModelPlacement,
  ) {
    this.open = open;
    this.device = placement.device;
    this.outputLocation = placement.outputLocation;
    this.inputNames = Object.freeze(open.inputs.map((v) => v.name));
    this.outputNames = Object.freeze(open.outputs.map((v) => v.name));
    this.providers = Object.freeze([...open.providers]);
  }

  private async runOrt(feeds: OrtFeeds): Promise<{ open: OpenSession; results: Record<string, OrtTensor> }> {
    const open = this.open;
    if (!open) throw new Error(`${this.backendName}: run() called on a model after dispose()`);
    checkFeeds(open.inputs, feeds);
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const name of this.inputNames) {
      const t = feeds[name]!;
      const arg = `feeds.${name}`;
      if (t instanceof OrtDeviceTensor) {
        if (t.backendName !== this.backendName || t.device !== this.device) {
          throw new TypeError(
            `${arg}: a device tensor of ${t.backendName} on ${t.device} cannot feed a model of ${this.backendName} ` +
              `on ${this.device}; download() it first`,
          );
        }
        ortFeeds[name] = t.ortTensor(arg);
      } else {
        ortFeeds[name] = toOrtTensor(this.runtime, t, arg);
      }
    }
    const results = (await open.session.run(ortFeeds)) as Record<string, OrtTensor>;
    for (const name of this.outputNames) {
      if (!results[name])
        throw new Error(`${this.backendName}: onnxruntime returned no output ${JSON.stringify(name)}`);
    }
    return { open, results };
  }

  async run(feeds: OrtFeeds): Promise<Record<string, Tensor>> {
    if (this.outputLocation === 'gpu-buffer') {
      const onDevice = await this.runOnDevice(feeds);
      try {
        const out: Record<string, Tensor> = {};
        for (const name of this.outputNames) out[name] = await onDevice[name]!.download();
        return out;
      } finally {
        await Promise.all(Object.values(onDevice).map((t) => t.dispose()));
      }
    }
    const { results } = await this.runOrt(feeds);
    const out: Record<string, Tensor> = {};
    for (const name of this.outputNames) out[name] = fromOrtTensor(results[name]!, name);
    return out;
  }

  /**
   * Runs and leaves the outputs in device memory (models compiled with `outputLocation: 'gpu-buffer'`). Each output
   * is an `OrtDeviceTensor` that holds the session open until it is disposed.
   */
  async runOnDevice(feeds: OrtFeeds): Promise<Record<string, OrtDeviceTensor>> {
    if (this.outputLocation !== 'gpu-buffer') {
      throw new Error(
        `${this.backendName}: runOnDevice() needs a model compiled with { outputLocation: 'gpu-buffer' }; this one ` +
          `leaves its outputs on the CPU (use run())`,
      );
    }
    const { open, results } = await this.runOrt(feeds);
    const out: Record<string, OrtDeviceTensor> = {};
    for (const [i, name] of this.outputNames.entries()) {
      const value = results[name]!;
      if (value.location !== 'gpu-buffer') {
        for (const t of Object.values(out)) await t.dispose();
        throw new Error(
          `${this.backendName}: output ${JSON.stringify(name)} came back at location ${value.location}, not ` +
            'gpu-buffer; onnxruntime did not keep it on the device',
        );
      }
      this.cache.retain(this.source, this.key);
      out[name] = this.placement.registry.wrap(
        this.backendName,
        this.device,
        value,
        open.outputs[i]!.dtype as DType,
        name,
        () => this.cache.release(this.source, this.key),
      );
    }
    return out;
  }

  /** Drops this handle; resolves when the shared session (if this was its last handle) is released. */
  dispose(): Promise<void> {
    if (!this.released) {
      this.open = null;
      this.released = this.cache.release(this.source, this.key);
    }
    return this.released;
  }

  [Symbol.dispose](): void {
    void this.dispose();
  }
}
