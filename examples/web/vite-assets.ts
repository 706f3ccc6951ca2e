/**
 * A Vite plugin that puts the demo's runtime files into the page: the models from `STRIATE_MODELS` (default
 * `../shared/models` beside the repository; not committed) and the wasm files of onnxruntime-web and
 * tfjs-backend-wasm from node_modules. `vite build` emits them as assets; `vite` / `vite preview` serve them. Nothing
 * is fetched from a CDN. A missing file is a build error naming the file and the variable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Model files the page offers, relative to the models folder; served under `models/`. */
export const MODEL_FILES = [
  'fastestdet/FastestDet.onnx',
  'fastestdet/coco.names',
  'ultraface/version-RFB-320_without_postprocessing.onnx',
  'blazeface/face_detection_back_256x256_barracuda.onnx',
  'selfie-seg/selfie.json',
  'selfie-seg/selfie.bin',
] as const;

/** onnxruntime-web 1.30's WebGPU build (`onnxruntime-web/webgpu`) loads the asyncify variant for wasm and webgpu. */
const ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] as const;
const TFJS_WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

export function modelsDir(): string {
  const dir = process.env.STRIATE_MODELS ?? resolve(here, '../../../shared/models');
  if (!existsSync(dir)) {
    throw new Error(
      `STRIATE_MODELS: folder ${dir} does not exist. Put the shared models there or set STRIATE_MODELS to them.`,
    );
  }
  return dir;
}

/** Every file the page needs at run time: URL path (relative to the base) -> file on disk. */
export function runtimeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const models = modelsDir();
  for (const f of MODEL_FILES) files.set(`models/${f}`, join(models, f));
  // onnxruntime-web's exports map has no ./package.json: its folder is this package's dependency link.
  const ortDist = join(here, 'node_modules', 'onnxruntime-web', 'dist');
  for (const f of ORT_FILES) files.set(`ort/${f}`, join(ortDist, f));
  const tfjsDist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const f of TFJS_WASM_FILES) files.set(`tfjs/${f}`, join(tfjsDist, f));
  for (const [url, file] of files) {
    if (!existsSync(file)) throw new Error(`striate web demo: ${url}: file ${file} does not exist`);
  }
  return files;
}

const MIME: Record<string, string> = {
  mjs: 'text/javascript',
  wasm: 'application/wasm',
  json: 'application/json',
  onnx: 'application/octet-stream',
  bin: 'application/octet-stream',
  names: 'text/plain',
};

/** `headers`: what the dev server sends with every response (COOP/COEP), sent with these files too. */
export function striateAssets(headers: Readonly<Record<string, string>> = {}): Plugin {
  let files: Map<string, string>;
  return {
    name: 'striate-web-assets',
    configResolved() {
      files = runtimeFiles();
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]!).replace(/^\/+/, '');
        const file = files.get(path);
        if (!file) return next();
        res.setHeader('Content-Type', MIME[path.split('.').pop()!] ?? 'application/octet-stream');
        // This middleware answers before Vite's own, which adds `server.headers`: a worker script (ORT's .mjs) without
        // COEP is refused in a cross-origin-isolated page (net::ERR_BLOCKED_BY_RESPONSE).
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of files) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}
