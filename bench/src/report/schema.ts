/** The JSON report's schema (documented in bench/README.md). */
import type { MachineInfo } from '../harness/machine.js';
import type { LatencySummary } from '../harness/stats.js';

export const REPORT_SCHEMA = 'striate-bench/2';

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

/** What an accuracy task measures: COCO bbox AP, WIDER FACE AP, person IoU of a segmentation, top-1 of a classifier. */
export type AccuracyMetric = 'coco-bbox' | 'widerface-ap' | 'person-iou' | 'top1';

/** Accuracy of one case on the images of a dataset (same weights on every backend). */
export interface AccuracyResult {
  dataset: string;
  metric: AccuracyMetric;
  images: number;
  /**
   * The numbers, by name: coco-bbox `mAP` (AP@[.50:.95]) and `mAP50`; widerface-ap `easy`, `medium`, `hard`;
   * person-iou `iou` (pooled: sum of intersections / sum of unions) and `meanIou` (over images with a union).
   */
  values: Record<string, number>;
  /** The backend/device whose values `diff` is measured against: the reference of the same weights. */
  reference?: string;
  /** values minus the reference's values (near zero; a large one is a bug). */
  diff?: Record<string, number>;
}

/** Timing of one NMS implementation on the candidates of a detector case. */
export interface NmsPeerResult {
  name: string;
  latency: LatencySummary;
  /** peer p50 / striate p50 (above 1: striate is faster). */
  ratio: number;
  /** Whether the peer kept exactly the same boxes in the same order. */
  sameKeep: boolean;
}

/**
 * The NMS stage of a detector case: its real candidates on the first image of the accuracy subset (decoded from this
 * backend's outputs, at the accuracy task's score threshold), striate's NMS against tfjs's `tf.image.nonMaxSuppression`.
 */
export interface NmsStageResult {
  image: string;
  /** Candidates are the decoded boxes scoring at least this (the accuracy task's threshold). */
  scoreThreshold: number;
  candidates: number;
  kept: number;
  iouThreshold: number;
  /** Per-class NMS (`batchedNms`; the tfjs peer gets the boxes offset per class, torchvision's trick). */
  classAware: boolean;
  striate: LatencySummary;
  peers: NmsPeerResult[];
}

/** A check that fails the run: an accuracy floor, agreement between backends, or an NMS peer's keep list. */
export interface CheckResult {
  kind: 'floor' | 'agreement' | 'nms-keep';
  /** e.g. `fastestdet tfjs/wasm coco128-val@8 mAP`. */
  subject: string;
  /** `false` fails the run; `undefined`: not checked (no floor recorded for this subset), said in the report. */
  ok: boolean | undefined;
  detail: string;
}

export interface CaseResult {
  model: string;
  /** `module`: built with @striate/backbones (seeded random weights; LeNet-5: its MNIST checkpoint); `onnx` / `tfjs-graph`: a real trained model file. */
  modelSource: 'module' | 'onnx' | 'tfjs-graph';
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
  /**
   * Why a real model's accuracy was not measured in this case (a --quick time budget, or `not available: ...` when
   * the data may not be redistributed and the embedded sample leaves it out); reported as not checked.
   */
  accuracySkipped?: string;
  nms?: NmsStageResult;
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  /** The command line that produced the report. */
  command: string;
  quick: boolean;
  machine: MachineInfo;
  devices: DeviceStatus[];
  /** Where the data and models came from: an environment variable, ../shared, or the embedded sample. */
  data: {
    source: 'env' | 'shared' | 'sample';
    dataDir: string;
    modelsDir: string;
    modelsSource: 'env' | 'shared' | 'sample';
  };
  cases: CaseResult[];
  /** Accuracy floors, agreement between backends and NMS keep lists; any `ok: false` fails the run. */
  checks: CheckResult[];
  /** Wall time of the whole run, s. */
  totalSeconds: number;
}
