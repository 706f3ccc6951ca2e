import { defineProject } from 'vitest/config';

// The browser test builds the page, serves it and drives Debian's Chromium: one slow file, in its own process.
// The Node side (the reference detections) uses the workspace packages from their sources.
export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: {
    name: 'web',
    include: ['e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
