/**
 * `window.__striate`: the page's own run function, exposed so a test (or the console) drives exactly what the Run
 * button does and reads the result as plain JSON.
 */
import type { BackendId, ModelId } from './models.js';
import type { DetectionOut, Timings } from './pipeline.js';
import type { WebGpuStatus } from './webgpu.js';

export interface RunSummary {
  model: ModelId;
  backend: BackendId;
  providers: string[];
  threads?: number;
  crossOriginIsolated: boolean;
  width: number;
  height: number;
  timings: Timings;
  detections?: DetectionOut[];
  maskFraction?: number;
  /** The person mask (one byte a pixel, 1 = person, row-major at width x height), base64. */
  maskBase64?: string;
}

export interface StriateHook {
  /** Resolves once the page has probed WebGPU and filled its controls. */
  ready: Promise<WebGpuStatus>;
  /** Runs a model on a sample (URL relative to the page), shows the result, and returns it. */
  run(req: { model: ModelId; backend: BackendId; image: string }): Promise<RunSummary>;
}

declare global {
  interface Window {
    __striate?: StriateHook;
  }
}
