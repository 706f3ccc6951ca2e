export { tfjsBackend } from './backend.js';
export { TfjsCompiledModel } from './compiled-model.js';
export { fileSystemIOHandler } from './fs-io-handler.js';
export { loadTfjsGraphModel, TfjsGraphModel } from './graph-model.js';
export { TFJS_DEVICES, type TfjsDevice } from './internal/runtime.js';
export { MISSING_OPS } from './op-table.js';
export { loadCheckpoint, saveCheckpoint } from './train/checkpoint.js';
export { evaluateAccuracy } from './train/evaluate.js';
export type { OptimizerOptions } from './train/optimizers.js';
export type { LrSchedule } from './train/schedules.js';
export {
  type EpochReport,
  type LossName,
  type ParamGroup,
  type TrainData,
  TrainingDivergedError,
  type TrainOptions,
  type TrainResult,
  train,
} from './train/train.js';
