export { BUILTIN_DECODERS, type DetectorMapOptions, detectorMap, loadDecoder } from './accuracy/detector-map.js';
export {
  type CliArgs,
  DETECTOR_NAMES,
  type DetectArgs,
  parseCli,
  SEGMENTER_NAMES,
  type SegmentArgs,
  USAGE,
  UsageError,
} from './cli/args.js';
export { DETECTOR_FILES, type DetectOutput, detectCommand } from './cli/detect-command.js';
export { main } from './cli/main.js';
export { type PersonMask, segmentCommand, selfieMask } from './cli/segment-command.js';
export { describeMachine, type MachineInfo } from './harness/machine.js';
export { type CaseMeasurement, type CaseSpec, measureCase, type TimingOptions } from './harness/measure.js';
export { type LatencySummary, percentile, summarizeLatency, throughput } from './harness/stats.js';
export { BACKENDS, type BackendSpec } from './matrix/backends.js';
export { MODELS, type ModelSize, type ModelSpec } from './matrix/models.js';
export { type RunOptions, runMatrix } from './matrix/run-matrix.js';
export { machineLine, toMarkdown } from './report/markdown.js';
export type { AccuracyResult, BenchReport, CaseResult, DeviceStatus, PeerResult } from './report/schema.js';
export { REPORT_SCHEMA } from './report/schema.js';
export { accuracyChart, barChart, latencyChart } from './report/svg.js';
export { className, detectionLabel, detectionsSvg, writeAnnotatedPng, writeRgbPng } from './visual/annotate.js';
