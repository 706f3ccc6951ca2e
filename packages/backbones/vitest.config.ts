import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: { name: '@striate/backbones', include: ['src/**/*.test.ts'] },
});
