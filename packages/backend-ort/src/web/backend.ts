import { createOrtBackend, type OrtBackend } from '../internal/backend-factory.js';
import type { ValueSpec } from '../internal/feeds.js';
import type { OrtRuntime, OrtSessionOptions } from '../internal/ort-runtime.js';
import { EXECUTION_PROVIDERS, type OrtDevice } from '../internal/providers.js';
import type { OpenSession } from '../internal/session-cache.js';
import { sessionSpecs } from '../internal/specs.js';

async function loadOnnxruntimeWeb(): Promise<OrtRuntime> {
  try {
    // The WebGPU build carries both execution providers: wasm (CPU) and webgpu.
    const ort = await import('onnxruntime-web/webgpu');
    // Its bundled build cannot start wasm threads under Node ("Dynamic require of node:os"): one thread there,
    // unless the caller chose a number.
    const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
    if (isNode && !ort.env.wasm.numThreads) ort.env.wasm.numThreads = 1;
    return ort as unknown as OrtRuntime;
  } catch (error) {
    throw new Error(
      'ortWeb: cannot load onnxruntime-web (an optional peer dependency of @striate/backend-ort): ' +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
}

/** What `providers` says on the web: the EP asked for and accepted, and that per-node placement is not observed. */
export const WEB_PLACEMENT_NOTE = 'placement per node not observable in onnxruntime-web';

let creating: Promise<void> = Promise.resolve();

async function openWebSession(
  runtime: OrtRuntime,
  bytes: Uint8Array,
  options: {
    device: OrtDevice;
    io?: { inputs: readonly ValueSpec[]; outputs: readonly ValueSpec[] };
    sessionOptions?: OrtSessionOptions;
  },
): Promise<OpenSession> {
  // onnxruntime-web initialises its wasm module in the first create() and refuses a second one meanwhile.
  const created = creating.then(() =>
    runtime.InferenceSession.create(bytes, {
      ...options.sessionOptions,
      executionProviders: [EXECUTION_PROVIDERS[options.device].ep],
    }),
  );
  creating = created.then(
    () => undefined,
    () => undefined,
  );
  const session = await created;
  try {
    const io = options.io ?? sessionSpecs(session);
    // onnxruntime-web creates the session only if the one listed EP initialises (no silent switch of EP), but it
    // writes its profile and its node-placement log inside the wasm module, out of reach: say exactly that.
    return { session, ...io, providers: [`${options.device} (${WEB_PLACEMENT_NOTE})`] };
  } catch (error) {
    await session.release();
    throw error;
  }
}

/**
 * ONNX Runtime Web (`onnxruntime-web`): devices `wasm` (default) and `webgpu` (`navigator.gpu`). The session is
 * created with exactly the requested execution provider, so a missing WebGPU fails instead of switching to wasm;
 * per-node fallback inside a session is not observable here, and `providers` says so.
 */
export const ortWeb: OrtBackend = createOrtBackend({
  name: 'ort-web',
  devices: ['wasm', 'webgpu'],
  defaultDevice: 'wasm',
  loadRuntime: loadOnnxruntimeWeb,
  open: openWebSession,
  hint(device) {
    return device === 'webgpu' ? 'needs navigator.gpu (a WebGPU browser, or the `webgpu` package in Node)' : '';
  },
});
