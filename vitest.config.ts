import { defineConfig } from 'vitest/config';

// `pnpm test` runs every package's tests on their sources (the `@striate/source` export condition), in one run
// with one summary. Each package also has its own `vitest run` (the turbo `test` task).
export default defineConfig({
  test: {
    projects: ['packages/*', 'bench', 'examples/web'],
  },
});
