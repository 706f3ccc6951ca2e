import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

// Two builds, because the package's `#runtime-platform` import resolves by condition and is inlined: the Node entry
// with the Node side (`internal/runtime-node.ts`), the browser entry (`./web`) with the `browser` condition, so
// `dist/web.js` gets `internal/runtime-web.ts` and no Node built-in. They share `dist/`, so it is emptied once here
// instead of by each build (`clean` in both would race).
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const common = { format: ['esm'], dts: true, sourcemap: true, clean: false, target: 'es2022' } as const;

export default defineConfig([
  { ...common, entry: { index: 'src/index.ts' }, platform: 'node' },
  {
    ...common,
    entry: { web: 'src/web.ts' },
    platform: 'browser',
    esbuildOptions(options) {
      options.conditions = ['browser', 'import', 'module', 'default'];
    },
  },
]);
