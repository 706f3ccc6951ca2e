import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError, describeValue } from '@striate/core';
import type { io } from '@tensorflow/tfjs-core';
import { loadTf } from './internal/runtime.js';

async function readOrExplain(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new DataError(`${what}: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * A tfjs IOHandler that reads a TF.js model (`model.json` and the weight files its manifest lists, relative to
 * it) from the file system: no network, no fetch. Errors name the file.
 */
export function fileSystemIOHandler(modelJsonPath: string): io.IOHandler {
  if (typeof modelJsonPath !== 'string' || modelJsonPath.length === 0) {
    throw new TypeError(`modelJsonPath: expected a non-empty path string, got ${describeValue(modelJsonPath)}`);
  }
  return {
    async load(): Promise<io.ModelArtifacts> {
      const tf = await loadTf();
      const text = (await readOrExplain(modelJsonPath, 'model.json')).toString('utf8');
      let json: io.ModelJSON;
      try {
        json = JSON.parse(text) as io.ModelJSON;
      } catch (e) {
        throw new DataError(`${modelJsonPath}: not valid JSON: ${(e as Error).message}`, { cause: e });
      }
      if (typeof json !== 'object' || json === null || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new DataError(`${modelJsonPath}: expected a TF.js model.json with modelTopology and weightsManifest`);
      }
      const dir = path.dirname(modelJsonPath);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const bytes = await readOrExplain(path.join(dir, p), `weights of ${modelJsonPath}`);
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
