export type { OrtBackend, OrtCompiledModel, OrtCompileOptions } from './internal/backend-factory.js';
export { OrtDeviceTensor, type OrtOutputLocation } from './internal/device-tensor.js';
export type { OrtFeeds } from './internal/ort-model.js';
export { EXECUTION_PROVIDERS, type OrtDevice } from './internal/providers.js';
export { ortNode } from './node/backend.js';
