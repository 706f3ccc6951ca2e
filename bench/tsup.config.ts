import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'striate-bench': 'src/cli/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
