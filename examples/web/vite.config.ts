import { defineConfig } from 'vite';
import { striateAssets } from './vite-assets.js';

/** Cross-origin isolation: onnxruntime-web needs SharedArrayBuffer to run wasm with more than one thread. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

export default defineConfig({
  // Relative asset URLs: the built page works from any folder.
  base: './',
  // The workspace packages from their TypeScript sources (as the tests use them); no prior `pnpm build` needed.
  // `onnxruntime-web-use-extern-wasm`: onnxruntime-web's build that loads its .mjs/.wasm from `env.wasm.wasmPaths`
  // (copied by striateAssets) instead of carrying them inside the bundle.
  resolve: {
    conditions: ['@striate/source', 'onnxruntime-web-use-extern-wasm', 'module', 'browser', 'development|production'],
  },
  plugins: [striateAssets(ISOLATION_HEADERS)],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // onnxruntime-web locates its wasm through import.meta.url; pre-bundling would move it. The page sets the paths.
  // tfjs is imported lazily: listed so that the dev server pre-bundles it up front instead of reloading the page
  // when the first tfjs backend is picked.
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-converter',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
