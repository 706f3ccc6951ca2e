/// <reference types="@webgpu/types" />
/**
 * Tests and benchmarks only (not exported): a GPUDevice from the `webgpu` npm package (Dawn; a devDependency),
 * which fails loudly when no adapter is found instead of skipping.
 */
import { create } from 'webgpu';

export interface TestGpu {
  device: GPUDevice;
  adapterInfo: string;
}

// dawn.node tears its instance down when the GPU object is garbage-collected, even with a device alive and work in
// flight (then the process dies in SwiftShader: "futex facility returned an unexpected error code" or SIGSEGV):
// keep every instance and adapter reachable for the life of the process.
const keepAlive: unknown[] = [];

export async function testDevice(): Promise<TestGpu> {
  const gpu = create([]);
  keepAlive.push(gpu);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'no WebGPU adapter: install Debian chromium (apt-get install chromium) for the SwiftShader Vulkan driver, or ' +
        'set VK_ICD_FILENAMES to a Vulkan driver Dawn accepts (see packages/augment/vitest.config.ts)',
    );
  }
  keepAlive.push(adapter);
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const info = adapter.info;
  return { device, adapterInfo: `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.trim() };
}
