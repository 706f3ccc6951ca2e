/** Compiles an .onnx file on a backend of the matrix: `compileOnnx` where the backend has it, else via importOnnx. */
import { existsSync, readFileSync } from 'node:fs';
import type { CompiledModel } from '@striate/core';
import { importOnnx } from '@striate/onnx';
import { type BackendSpec, findBackend } from '../matrix/backends.js';
import { UsageError } from './args.js';

export async function compileOnnxFile(
  path: string,
  backendName: string,
  deviceName: string | undefined,
): Promise<{ model: CompiledModel; spec: BackendSpec; device: string }> {
  const spec = findBackend(backendName);
  const device = deviceName ?? spec.devices[0]!;
  if (!spec.devices.includes(device)) {
    throw new UsageError(`--device: ${backendName} has devices ${spec.devices.join(', ')}, got '${device}'`);
  }
  if (!existsSync(path)) throw new UsageError(`--model: file ${path} does not exist`);
  const bytes = new Uint8Array(readFileSync(path));
  const backend = spec.backend as typeof spec.backend & { compileOnnx?: (b: Uint8Array, o: object) => Promise<never> };
  const model = backend.compileOnnx
    ? await backend.compileOnnx(bytes, { device })
    : await spec.backend.compile(importOnnx(bytes), { device });
  return { model, spec, device };
}
