import type { Graph } from './graph.js';
import type { Tensor } from './tensor.js';

/** What a backend can use on this machine. An unavailable device says why (the runtime's own error). */
export interface DeviceInfo {
  readonly device: string;
  readonly available: boolean;
  readonly reason?: string;
}

export interface CompileOptions {
  /** A device name from `devices()`; each backend documents its default. */
  readonly device?: string;
}

/** A graph compiled for one device. Owns its resources until `dispose()` (or `using`). */
export interface CompiledModel extends Disposable {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** What actually ran, e.g. `['webgpu']`, or `['webgpu', 'cpu (fallback: 3 nodes)']`. Never a guess. */
  readonly providers: readonly string[];
  run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>>;
  dispose(): void;
}

/** A backend is a plain object the caller imports and passes in; nothing registers itself globally. */
export interface Backend {
  readonly name: string;
  devices(): Promise<readonly DeviceInfo[]>;
  compile(graph: Graph, options?: CompileOptions): Promise<CompiledModel>;
}
