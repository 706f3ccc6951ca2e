export { addDiffs, type FloorsFile, floorsPath, readFloors, runChecks } from './accuracy/checks.js';
export { BUILTIN_DECODERS, type DetectorMapOptions, detectorMap, loadDecoder } from './accuracy/detector-map.js';
export { type NmsCandidates, nmsCandidates, nmsStage, offsetByClass } from './accuracy/nms-stage.js';
export { type PersonIouOptions, type PersonIouResult, personIou } from './accuracy/person-iou.js';
export { ACCURACY_TASKS, type AccuracyTask } from './accuracy/tasks.js';
export { type WiderFaceApOptions, widerFaceAp } from './accuracy/widerface-ap.js';
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
export { ChecksFailedError } from './cli/commands.js';
export { DETECTOR_FILES, type DetectOutput, detectCommand } from './cli/detect-command.js';
export { main } from './cli/main.js';
export { type PersonMask, segmentCommand, selfieMask } from './cli/segment-command.js';
export { COCO_QUICK_FILES, pickFiles, WIDER_QUICK_FILES } from './data/subsets.js';
export { describeMachine, type MachineInfo } from './harness/machine.js';
export { type CaseMeasurement, type CaseSpec, measureCase, type TimingOptions } from './harness/measure.js';
export { type LatencySummary, percentile, summarizeLatency, throughput } from './harness/stats.js';
export { BACKENDS, type BackendSpec } from './matrix/backends.js';
export { MODELS, type ModelSize, type ModelSpec } from './matrix/models.js';
export { type RunOptions, runMatrix } from './matrix/run-matrix.js';
export { checkCounts, dataLine, formatAccuracy, formatDiff, machineLine, toMarkdown } from './report/markdown.js';
export type {
  AccuracyMetric,
  AccuracyResult,
  BenchReport,
  CaseResult,
  CheckResult,
  DeviceStatus,
  NmsPeerResult,
  NmsStageResult,
  PeerResult,
} from './report/schema.js';
export { REPORT_SCHEMA } from './report/schema.js';
export { accuracyChart, barChart, latencyChart } from './report/svg.js';
export { type FolderSource, resolveShared, resolveSharedFrom, sampleDir } from './shared-dirs.js';
export { className, detectionLabel, detectionsSvg, writeAnnotatedPng, writeRgbPng } from './visual/annotate.js';
