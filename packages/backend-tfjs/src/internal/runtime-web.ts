/**
 * The browser side of the runtime (resolved through the package's `#runtime-platform` import under the `browser`
 * condition, which Vite, webpack and esbuild set for browser builds): no Node built-in is imported from here. The
 * page serves tfjs-backend-wasm's .wasm files itself and says where (`setTfjsWasmPaths`), WebGPU is the page's own
 * `navigator.gpu`, and models are URLs fetched by tfjs-converter. `runtime-node.ts` is its Node twin.
 */
export const PLATFORM: 'node' | 'browser' = 'browser';

/** No default in a page: a bundler moves tfjs-backend-wasm, so its own guess of where the .wasm files are fails. */
export function defaultWasmPaths(): undefined {
  return undefined;
}

/** The page's WebGPU: nothing to install, only a clear error when the browser has none. */
export async function provideWebGpu(): Promise<void> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (!nav?.gpu) {
    throw new Error(
      'navigator.gpu is undefined: this browser offers no WebGPU (it needs a secure context: https or localhost; ' +
        'headless Chromium also needs --enable-unsafe-webgpu)',
    );
  }
}

/** What `requestAdapter()` returning null means here. */
export const NO_ADAPTER_HINT = 'the browser has WebGPU but no adapter for it (GPU blocklisted or disabled)';

/** A model given as a string is the URL of its `model.json`, fetched by tfjs-converter (weights beside it). */
export async function modelSource(source: string): Promise<string> {
  return source;
}
