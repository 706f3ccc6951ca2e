import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProject } from 'vitest/config';

// WebGPU without a GPU (src/webgpu tests): Dawn from the `webgpu` package accepts the SwiftShader Vulkan driver that
// Debian's chromium package installs. Test workers are forked from this process, so they inherit these variables.
// Set VK_ICD_FILENAMES yourself to use another driver (a real GPU's).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(SWIFTSHADER) && process.env.VK_ICD_FILENAMES === undefined) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}
if (process.env.VK_ICD_FILENAMES !== undefined && process.env.XDG_RUNTIME_DIR === undefined) {
  const dir = join(tmpdir(), 'striate-xdg-runtime');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}
// chromium ships its own Vulkan loader; use it when the system has none (Debian's libvulkan1 not installed).
const systemLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1'].some(existsSync);
if (!systemLoader && existsSync('/usr/lib/chromium/libvulkan.so.1')) {
  process.env.LD_LIBRARY_PATH = ['/usr/lib/chromium', process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: { name: '@striate/augment', include: ['src/**/*.test.ts'], pool: 'forks', testTimeout: 60_000 },
});
