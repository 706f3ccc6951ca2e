import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DataError,
  describeValue,
  type LoadStateDictResult,
  type Module,
  readSafetensors,
  writeSafetensors,
} from '@striate/core';

/**
 * Saves a module's state dict (torchvision-style names: `features.0.weight`, `bn.running_mean`) as safetensors,
 * atomically: written to a temporary file beside the target and renamed over it, so a crash never leaves a
 * half-written checkpoint.
 */
export async function saveCheckpoint(module: Module, file: string, metadata?: Record<string, string>): Promise<void> {
  if (typeof file !== 'string' || file.length === 0)
    throw new TypeError(`file: expected a path, got ${describeValue(file)}`);
  const bytes = writeSafetensors(module.stateDict(), metadata);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Loads a safetensors checkpoint into a module (strict: every key must match, shapes too). */
export async function loadCheckpoint(module: Module, file: string): Promise<LoadStateDictResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DataError(`checkpoint ${file}: cannot read: ${(e as Error).message}`, { cause: e });
  }
  return module.loadStateDict(readSafetensors(bytes).tensors);
}
