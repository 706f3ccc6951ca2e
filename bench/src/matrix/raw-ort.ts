/**
 * The peer: a raw onnxruntime-node session on the same ONNX bytes, no striate code in between. onnxruntime-node is
 * resolved where @striate/backend-ort resolves it (its optional peer), so both run the same binary.
 */
import { createRequire } from 'node:module';
import type { CompiledModel, Tensor } from '@striate/core';
import { Tensor as StriateTensor } from '@striate/core';

interface OrtTensorLike {
  type: string;
  dims: readonly number[];
  data: Float32Array;
}
interface OrtSessionLike {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}
interface OrtNodeLike {
  Tensor: new (type: string, data: Float32Array, dims: readonly number[]) => OrtTensorLike;
  InferenceSession: { create(bytes: Uint8Array, options: object): Promise<OrtSessionLike> };
}

let ortPromise: Promise<OrtNodeLike> | undefined;

export function loadRawOrt(): Promise<OrtNodeLike> {
  ortPromise ??= (async () => {
    const require = createRequire(import.meta.resolve('@striate/backend-ort'));
    const path = require.resolve('onnxruntime-node');
    return (await import(path)) as OrtNodeLike;
  })();
  return ortPromise;
}

/**
 * Opens a raw CPU session and wraps it as a `CompiledModel` so the harness times it the same way. Feeds are
 * wrapped as ORT tensors inside `run` (as any caller must) and the outputs are read back as they come.
 */
export async function compileRawOrt(bytes: Uint8Array): Promise<CompiledModel> {
  const ort = await loadRawOrt();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    providers: ['cpu (raw onnxruntime-node session)'],
    async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
      const ortFeeds: Record<string, OrtTensorLike> = {};
      for (const [k, t] of Object.entries(feeds))
        ortFeeds[k] = new ort.Tensor('float32', t.data as Float32Array, t.shape);
      const out = await session.run(ortFeeds);
      const first = out[session.outputNames[0]!]!;
      return { [session.outputNames[0]!]: new StriateTensor('float32', [...first.dims], first.data) };
    },
    dispose(): Promise<void> {
      return session.release();
    },
    [Symbol.dispose](): void {
      void session.release();
    },
  };
}
