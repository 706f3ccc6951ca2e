import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineProject } from 'vitest/config';

// WebGPU in Node without a GPU (see RUNTIME-NOTES.md): when the system has no Vulkan loader but Debian's chromium
// is installed, its SwiftShader driver and loader are used. The dynamic loader reads LD_LIBRARY_PATH only when a
// process starts, so it is set here, for this project's test processes, not in the tests.
const chromium = '/usr/lib/chromium';
const systemVulkan = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
function webgpuEnv(): Record<string, string> {
  if (process.env.VK_ICD_FILENAMES || !existsSync(path.join(chromium, 'vk_swiftshader_icd.json'))) return {};
  if (systemVulkan.some((p) => existsSync(p))) return {};
  const runtimeDir = process.env.XDG_RUNTIME_DIR ?? path.join(tmpdir(), 'striate-xdg');
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  return {
    VK_ICD_FILENAMES: path.join(chromium, 'vk_swiftshader_icd.json'),
    LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, chromium].filter(Boolean).join(':'),
    XDG_RUNTIME_DIR: runtimeDir,
  };
}

export default defineProject({
  resolve: { conditions: ['@striate/source'] },
  ssr: { resolve: { conditions: ['@striate/source'] } },
  test: { name: '@striate/backend-tfjs', include: ['src/**/*.test.ts'], env: webgpuEnv() },
});
