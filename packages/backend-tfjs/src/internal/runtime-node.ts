import { createRequire } from 'node:module';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';

/**
 * The Node side of the runtime (resolved through the package's `#runtime-platform` import when the `browser`
 * condition is not set): tfjs-backend-wasm's .wasm files from the installed package, WebGPU from the `webgpu`
 * package (Dawn), and model paths read from the file system. `runtime-web.ts` is its browser twin; both export the
 * same names.
 */
export const PLATFORM: 'node' | 'browser' = 'node';

const require = createRequire(import.meta.url);

/** The folder holding the installed tfjs-backend-wasm's .wasm files (never a CDN). */
export function defaultWasmPaths(): string {
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${path.join(path.dirname(pkg), 'dist')}${path.sep}`;
}

interface NavigatorLike {
  gpu?: unknown;
}

/** Gives Node a `navigator.gpu` from the `webgpu` package (Dawn) when the platform has none. */
export async function provideWebGpu(): Promise<void> {
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

/** What `requestAdapter()` returning null means here. */
export const NO_ADAPTER_HINT =
  'in Node without a GPU set VK_ICD_FILENAMES to a Vulkan driver Dawn accepts, e.g. ' +
  '/usr/lib/chromium/vk_swiftshader_icd.json, with libvulkan.so.1 on the library path and XDG_RUNTIME_DIR writable';

/** A model given as a string is a path to `model.json` on the file system. */
export async function modelSource(source: string): Promise<io.IOHandler> {
  const { fileSystemIOHandler } = await import('../fs-io-handler.js');
  return fileSystemIOHandler(source);
}
