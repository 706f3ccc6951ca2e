/**
 * onnxruntime-web as the page configures it before `ortWeb` (from `@striate/backend-ort/web`) creates a session:
 * the wasm and its Emscripten glue from this build (never a CDN), and as many threads as cross-origin isolation
 * allows. `ortWeb` imports `onnxruntime-web/webgpu` itself; this is the same module instance, so its `env` is shared.
 */

export interface OrtSetup {
  /** wasm threads (1 unless the page is cross-origin isolated: COOP/COEP headers). */
  threads: number;
  crossOriginIsolated: boolean;
  wasmUrl: string;
}

let done: OrtSetup | undefined;

export async function setupOrtWeb(): Promise<OrtSetup> {
  if (done) return done;
  const ort = await import('onnxruntime-web/webgpu');
  const base = new URL('ort/', document.baseURI);
  const mjs = new URL('ort-wasm-simd-threaded.asyncify.mjs', base).href;
  const wasm = new URL('ort-wasm-simd-threaded.asyncify.wasm', base).href;
  // Both given: the external .mjs is imported (it also starts the wasm threads' workers) instead of the copy inside
  // the bundle, which would start workers from whatever chunk Vite put it in.
  ort.env.wasm.wasmPaths = { mjs, wasm };
  const isolated = globalThis.crossOriginIsolated === true;
  const threads = isolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  ort.env.wasm.numThreads = threads;
  done = { threads, crossOriginIsolated: isolated, wasmUrl: wasm };
  return done;
}
