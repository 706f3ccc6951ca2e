import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * WebGPU without a GPU, for the test projects that run WebGPU code in Node (Dawn inside onnxruntime-node or the
 * `webgpu` package): Dawn accepts the SwiftShader Vulkan driver that Debian's chromium package installs (it rejects
 * Debian 12's lavapipe). Called from a project's vitest.config.ts: test workers are forked from that process, so
 * they inherit these variables. Set VK_ICD_FILENAMES yourself to use another driver (a real GPU's, or Mesa >= 25
 * lavapipe).
 */
export function useSwiftShaderUnlessConfigured(): void {
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (existsSync(swiftshader) && process.env.VK_ICD_FILENAMES === undefined) {
    process.env.VK_ICD_FILENAMES = swiftshader;
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
}
