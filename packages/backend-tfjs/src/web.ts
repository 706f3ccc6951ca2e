/**
 * `@striate/backend-tfjs/web`: the browser entry. The same backend, compiled models, graph models and training as
 * the Node entry, with no Node built-in reachable from here (the `browser` condition of the package's
 * `#runtime-platform` import selects `internal/runtime-web.ts`). What differs from Node:
 * - 'wasm': the page serves tfjs-backend-wasm's .wasm files and says where with `setTfjsWasmPaths` first;
 * - 'webgpu': the page's own `navigator.gpu`;
 * - `loadTfjsGraphModel(url)`: a string is the URL of `model.json` (or pass a tfjs IOHandler);
 * - no file-system checkpoints (`saveCheckpoint`/`loadCheckpoint`): `writeSafetensors(module.stateDict())` and
 *   `module.loadStateDict(readSafetensors(bytes).tensors)` from `@striate/core` give the same bytes.
 */
export { tfjsBackend } from './backend.js';
export { TfjsCompiledModel } from './compiled-model.js';
export { loadTfjsGraphModel, TfjsGraphModel, type TfjsModelSource } from './graph-model.js';
export {
  setTfjsWasmPaths,
  TFJS_DEVICES,
  TFJS_WASM_FILES,
  type TfjsDevice,
  type TfjsWasmFile,
  type TfjsWasmOptions,
  type TfjsWasmPaths,
} from './internal/runtime.js';
export { MISSING_OPS } from './op-table.js';
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
