export type { OrtBackend, OrtCompiledModel, OrtCompileOptions } from './internal/backend-factory.js';
export { EXECUTION_PROVIDERS, type OrtDevice } from './internal/providers.js';
export { ortNode } from './node/backend.js';
