import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Lazy access to TensorFlow.js. tfjs is an optional peer: nothing is imported until a device is asked for, so the
 * package imports cleanly where tfjs is absent and `devices()` reports why.
 *
 * tfjs keeps its active backend in one global engine. Every use of the engine in this package goes through
 * `withDevice`, which serialises the work (one at a time, in call order) and calls `tf.setBackend` before it, so two
 * models compiled for different devices never run under the wrong backend.
 */
export type Tf = typeof import('@tensorflow/tfjs-core');

export const TFJS_DEVICES = Object.freeze(['cpu', 'wasm', 'webgpu'] as const);
export type TfjsDevice = (typeof TFJS_DEVICES)[number];

const require = createRequire(import.meta.url);

let tfPromise: Promise<Tf> | null = null;
const devicePromises = new Map<TfjsDevice, Promise<void>>();

/** The tfjs-core module (the same instance the backends register with). */
export function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    return (await import('@tensorflow/tfjs-core')) as Tf;
  })();
  return tfPromise;
}

/** The folder holding the installed tfjs-backend-wasm's .wasm files (never a CDN). */
export function wasmDistDir(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${path.join(path.dirname(pkg), 'dist')}${path.sep}`;
}

interface NavigatorLike {
  gpu?: unknown;
}

/** Gives Node a `navigator.gpu` from the `webgpu` package (Dawn) when the platform has none. */
async function installNodeWebGpu(): Promise<void> {
  const g = globalThis as { navigator?: NavigatorLike };
  if (g.navigator?.gpu) return;
  const dawn = (await import('webgpu')) as { create(args: string[]): unknown; globals: Record<string, unknown> };
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  if (!g.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  }
  (g.navigator as NavigatorLike).gpu = dawn.create([]);
}

async function registerDevice(tf: Tf, device: TfjsDevice): Promise<void> {
  if (device === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else if (device === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDistDir());
  } else {
    await installNodeWebGpu();
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) {
      throw new Error(
        'navigator.gpu.requestAdapter() returned null (no WebGPU adapter; in Node without a GPU set ' +
          'VK_ICD_FILENAMES to a Vulkan driver Dawn accepts, e.g. /usr/lib/chromium/vk_swiftshader_icd.json, ' +
          'with libvulkan.so.1 on the library path and XDG_RUNTIME_DIR writable)',
      );
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
