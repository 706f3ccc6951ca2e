export { type ExportOnnxOptions, exportOnnx, MAX_EXPORT_OPSET, MIN_EXPORT_OPSET } from './export.js';
export { IMPORTABLE_OPS, type ImportOnnxOptions, importOnnx, MAX_IMPORT_OPSET, MIN_IMPORT_OPSET } from './import.js';
