import { defineProject } from 'vitest/config';
import { useSwiftShaderUnlessConfigured } from '../../test-utils/webgpu-env.js';

// WebGPU without a GPU (the nms-webgpu tests): see test-utils/webgpu-env.ts.
useSwiftShaderUnlessConfigured();

export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: { name: '@striate/detection', include: ['src/**/*.test.ts'], pool: 'forks', testTimeout: 60_000 },
});
