/** The JSON report's schema (documented in bench/README.md). */
import type { MachineInfo } from '../harness/machine.js';
import type { LatencySummary } from '../harness/stats.js';

export const REPORT_SCHEMA = 'striate-bench/1';

export interface DeviceStatus {
  backend: string;
  device: string;
  available: boolean;
  reason?: string;
  /** Time to probe this backend's devices (all of them together), ms. */
  probeMs?: number;
}

/** The raw onnxruntime-node session on the same ONNX bytes, measured right after the striate case. */
export interface PeerResult {
  name: string;
  coldStartMs: number;
  latency: LatencySummary;
  /** striate p50 / peer p50 (1.0 = no overhead). */
  overheadRatio: number;
}

/** COCO bbox accuracy of a detector case on the first `images` images of a dataset (same weights, every backend). */
export interface AccuracyResult {
  dataset: string;
  images: number;
  /** pycocotools' AP@[.50:.95] and AP@.50. */
  mAP: number;
  mAP50: number;
  /** mAP minus ort-node/cpu's mAP for the same model (near zero; a large one is a bug). */
  diffFromOrtCpu?: number;
}

export interface CaseResult {
  model: string;
  /** `module`: built with @striate/backbones, random weights; `onnx`: the real trained .onnx file. */
  modelSource: 'module' | 'onnx';
  backend: string;
  device: string;
  batch: number;
  status: 'ok' | 'error';
  /** Why the case failed (status 'error'): the error's name and message. */
  error?: string;
  coldStartMs?: number;
  firstRunMs?: number;
  latency?: LatencySummary;
  imagesPerSecond?: number;
  /** Peak process RSS during the case minus RSS before it, MiB. */
  peakRssDeltaMiB?: number;
  /** What actually ran, as the compiled model reports it. */
  providers?: string[];
  /** True when any provider is not the device asked for (e.g. a CPU fallback on webgpu). */
  fallback?: boolean;
  peer?: PeerResult;
  accuracy?: AccuracyResult;
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  /** The command line that produced the report. */
  command: string;
  quick: boolean;
  machine: MachineInfo;
  devices: DeviceStatus[];
  cases: CaseResult[];
  /** Wall time of the whole run, s. */
  totalSeconds: number;
}
