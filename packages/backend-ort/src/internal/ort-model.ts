import type { CompiledModel, Tensor } from '@striate/core';
import { checkFeeds } from './feeds.js';
import type { OrtRuntime, OrtTensor } from './ort-runtime.js';
import type { OpenSession, SessionCache } from './session-cache.js';
import { fromOrtTensor, toOrtTensor } from './tensor-convert.js';

/** A compiled model over a cached ORT session; `dispose()` drops this handle's reference to the session. */
export class OrtModel implements CompiledModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly providers: readonly string[];
  private open: OpenSession | null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly backendName: string,
    private readonly runtime: OrtRuntime,
    private readonly cache: SessionCache,
    private readonly source: object,
    private readonly key: string,
    open: OpenSession,
  ) {
    this.open = open;
    this.inputNames = Object.freeze(open.inputs.map((v) => v.name));
    this.outputNames = Object.freeze(open.outputs.map((v) => v.name));
    this.providers = Object.freeze([...open.providers]);
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    const open = this.open;
    if (!open) throw new Error(`${this.backendName}: run() called on a model after dispose()`);
    checkFeeds(open.inputs, feeds);
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const name of this.inputNames) ortFeeds[name] = toOrtTensor(this.runtime, feeds[name]!, `feeds.${name}`);
    const results = await open.session.run(ortFeeds);
    const out: Record<string, Tensor> = {};
    for (const name of this.outputNames) {
      const t = results[name];
      if (!t) throw new Error(`${this.backendName}: onnxruntime returned no output ${JSON.stringify(name)}`);
      out[name] = fromOrtTensor(t as OrtTensor, name);
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
