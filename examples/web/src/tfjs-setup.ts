/**
 * TensorFlow.js in the page, through `@striate/backend-tfjs/web` as a user of the library would: the page serves
 * tfjs-backend-wasm's .wasm files from this build (copied by `vite-assets.ts`, never a CDN) and says where with
 * `setTfjsWasmPaths`; WebGPU is the page's own `navigator.gpu`. The single-threaded wasm build is used (the web
 * entry's default, `multiThread: false`): tfjs-backend-wasm 4.22's threaded build starts its workers from a script
 * inlined in its bundle, which fails once Vite has bundled it, although this page is cross-origin isolated.
 */
import { loadTfjsGraphModel, setTfjsWasmPaths, type TfjsGraphModel } from '@striate/backend-tfjs/web';

export type TfjsDevice = 'wasm' | 'webgpu';

let configured = false;

/** Points tfjs-backend-wasm at this build's `tfjs/` folder (once, before the first wasm model). */
export function setupTfjs(): void {
  if (configured) return;
  setTfjsWasmPaths(new URL('tfjs/', document.baseURI).href, { multiThread: false });
  configured = true;
}

/** A TF.js graph model (`model.json` and its weights) from a URL of this build, compiled for one tfjs device. */
export function loadTfjsModel(url: string, device: TfjsDevice): Promise<TfjsGraphModel> {
  setupTfjs();
  return loadTfjsGraphModel(new URL(url, document.baseURI).href, { device });
}
