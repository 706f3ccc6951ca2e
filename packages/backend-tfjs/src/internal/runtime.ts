import { describeValue } from '@striate/core';
import { defaultWasmPaths, NO_ADAPTER_HINT, PLATFORM, provideWebGpu } from '#runtime-platform';

/**
 * Lazy access to TensorFlow.js. tfjs is an optional peer: nothing is imported until a device is asked for, so the
 * package imports cleanly where tfjs is absent and `devices()` reports why.
 *
 * What differs between Node and a browser (where tfjs-backend-wasm's .wasm files are, where `navigator.gpu` comes
 * from, what a model string names) lives in `runtime-node.ts` and `runtime-web.ts`; the package's `imports` map
 * picks one for `#runtime-platform` (the `browser` condition picks the web one), so no Node built-in is reachable
 * from a browser build.
 *
 * tfjs keeps its active backend in one global engine. Every use of the engine in this package goes through
 * `withDevice`, which serialises the work (one at a time, in call order) and calls `tf.setBackend` before it, so two
 * models compiled for different devices never run under the wrong backend.
 */
export type Tf = typeof import('@tensorflow/tfjs-core');

export const TFJS_DEVICES = Object.freeze(['cpu', 'wasm', 'webgpu'] as const);
export type TfjsDevice = (typeof TFJS_DEVICES)[number];

let tfPromise: Promise<Tf> | null = null;
const devicePromises = new Map<TfjsDevice, Promise<void>>();

/** The tfjs-core module (the same instance the backends register with). */
export function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    return (await import('@tensorflow/tfjs-core')) as Tf;
  })();
  return tfPromise;
}

/** The three files tfjs-backend-wasm 4.22 may load; a file map names each one it should find elsewhere. */
export const TFJS_WASM_FILES = Object.freeze([
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const);
export type TfjsWasmFile = (typeof TFJS_WASM_FILES)[number];

/** Where tfjs-backend-wasm's .wasm files are: a folder prefix ending in `/`, or one URL per file. */
export type TfjsWasmPaths = string | Readonly<Partial<Record<TfjsWasmFile, string>>>;

export interface TfjsWasmOptions {
  /**
   * Allow tfjs-backend-wasm's multi-threaded build where the page is cross-origin isolated (default false). Its
   * 4.22 threaded build starts its workers from a script inlined in its own bundle, which fails once a bundler such
   * as Vite has bundled it (the backend never initialises); leave it off unless tfjs is served unbundled.
   */
  readonly multiThread?: boolean;
}

let wasmSetting: { paths: TfjsWasmPaths; multiThread: boolean } | undefined;
/** True once tfjs-backend-wasm was given its paths (they cannot change after that). */
let wasmPathsApplied = false;

/**
 * Says where tfjs-backend-wasm's .wasm files are served (a URL prefix ending in `/`, e.g.
 * `new URL('tfjs/', document.baseURI).href`, or a map from file name to URL). Call it before the first use of the
 * 'wasm' device; in Node it is optional (the installed package's folder is the default).
 */
export function setTfjsWasmPaths(paths: TfjsWasmPaths, options: TfjsWasmOptions = {}): void {
  if (typeof paths === 'string') {
    if (paths.length === 0 || !paths.endsWith('/')) {
      throw new TypeError(
        `paths: expected a URL prefix ending in '/' (a folder holding ${TFJS_WASM_FILES.join(', ')}), got ${describeValue(paths)}`,
      );
    }
  } else if (typeof paths === 'object' && paths !== null && !Array.isArray(paths)) {
    const keys = Object.keys(paths);
    if (keys.length === 0) throw new TypeError(`paths: expected at least one of ${TFJS_WASM_FILES.join(', ')}`);
    for (const key of keys) {
      if (!(TFJS_WASM_FILES as readonly string[]).includes(key)) {
        throw new RangeError(
          `paths: unexpected key ${JSON.stringify(key)}; expected one of ${TFJS_WASM_FILES.join(', ')}`,
        );
      }
      const url = (paths as Record<string, unknown>)[key];
      if (typeof url !== 'string' || url.length === 0)
        throw new TypeError(`paths[${JSON.stringify(key)}]: expected a URL string, got ${describeValue(url)}`);
    }
  } else {
    throw new TypeError(
      `paths: expected a URL prefix string or a map of file name to URL, got ${describeValue(paths)}`,
    );
  }
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  if (options.multiThread !== undefined && typeof options.multiThread !== 'boolean')
    throw new TypeError(`options.multiThread: expected a boolean, got ${describeValue(options.multiThread)}`);
  if (wasmPathsApplied) {
    throw new Error(
      "setTfjsWasmPaths: the 'wasm' device was already initialised; call it before the first use of that device",
    );
  }
  wasmSetting = { paths: typeof paths === 'string' ? paths : { ...paths }, multiThread: options.multiThread ?? false };
}

async function registerWasm(tf: Tf): Promise<void> {
  const paths = wasmSetting?.paths ?? defaultWasmPaths();
  if (paths === undefined) {
    throw new Error(
      `no location for tfjs-backend-wasm's .wasm files in the ${PLATFORM}: serve ${TFJS_WASM_FILES.join(', ')} ` +
        "with the page and call setTfjsWasmPaths('<their URL folder>/') from @striate/backend-tfjs/web first",
    );
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(paths as string | Record<string, string>);
  wasmPathsApplied = true;
  // Without a setting, Node keeps tfjs's own detection (one thread there) and a page gets the single-threaded build.
  if (!(wasmSetting?.multiThread ?? PLATFORM !== 'browser')) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}

async function registerDevice(tf: Tf, device: TfjsDevice): Promise<void> {
  if (device === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else if (device === 'wasm') {
    await registerWasm(tf);
  } else {
    await provideWebGpu();
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) {
      throw new Error(`navigator.gpu.requestAdapter() returned null (no WebGPU adapter; ${NO_ADAPTER_HINT})`);
    }
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!tf.findBackendFactory('webgpu')) {
      throw new Error('@tensorflow/tfjs-backend-webgpu did not register (it saw no navigator.gpu when imported)');
    }
  }
  const ok = await tf.setBackend(device);
  if (!ok) throw new Error(`tf.setBackend('${device}') failed (see the tfjs warning printed above)`);
  await tf.ready();
}

/** Loads and initialises one device once; rejects with the runtime's own error when it cannot. */
export function ensureDevice(device: TfjsDevice): Promise<void> {
  let p = devicePromises.get(device);
  if (!p) {
    p = queue(async () => {
      const tf = await loadTf();
      await registerDevice(tf, device);
    });
    devicePromises.set(device, p);
    // A page that asked for 'wasm' before saying where its files are may call setTfjsWasmPaths and try again.
    p.catch(() => {
      if (device === 'wasm' && !wasmPathsApplied) devicePromises.delete(device);
    });
  }
  return p;
}

let tail: Promise<unknown> = Promise.resolve();

/** Runs `fn` after everything queued before it (the tfjs engine is global state). */
function queue<T>(fn: () => Promise<T>): Promise<T> {
  const result = tail.then(fn, fn);
  tail = result.catch(() => undefined);
  return result;
}

/** Runs `fn` with `device` as tfjs's active backend, serialised with every other use of the engine here. */
export async function withDevice<T>(device: TfjsDevice, fn: (tf: Tf) => T | Promise<T>): Promise<T> {
  await ensureDevice(device);
  return queue(async () => {
    const tf = await loadTf();
    if (tf.getBackend() !== device) {
      const ok = await tf.setBackend(device);
      if (!ok) throw new Error(`tf.setBackend('${device}') failed`);
    }
    return fn(tf);
  });
}
