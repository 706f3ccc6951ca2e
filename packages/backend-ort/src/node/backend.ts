import { createOrtBackend, type OrtBackend } from '../internal/backend-factory.js';
import type { OrtRuntime } from '../internal/ort-runtime.js';
import { openVerifiedSession } from './open-session.js';

async function loadOnnxruntimeNode(): Promise<OrtRuntime> {
  try {
    return (await import('onnxruntime-node')) as unknown as OrtRuntime;
  } catch (error) {
    throw new Error(
      'ortNode: cannot load onnxruntime-node (an optional peer dependency of @striate/backend-ort); install it ' +
        `with ONNXRUNTIME_NODE_INSTALL=skip: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * ONNX Runtime for Node (`onnxruntime-node`): devices `cpu` (default), `webgpu` (Dawn, bundled in the linux-x64
 * package; needs a Vulkan driver Dawn accepts) and `cuda` (only where ORT's CUDA provider libraries are installed).
 * `devices()` creates and runs a one-node session on each and reports the runtime's error for those that fail.
 */
export const ortNode: OrtBackend = createOrtBackend({
  name: 'ort-node',
  devices: ['cpu', 'webgpu', 'cuda'],
  defaultDevice: 'cpu',
  deviceOutputs: ['webgpu'],
  loadRuntime: loadOnnxruntimeNode,
  open: openVerifiedSession,
  hint(device) {
    if (device === 'webgpu') {
      return (
        'without a GPU, set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and XDG_RUNTIME_DIR, ' +
        'and LD_LIBRARY_PATH=/usr/lib/chromium when libvulkan.so.1 is not installed'
      );
    }
    if (device === 'cuda') return "onnxruntime-node's CUDA provider libraries are not installed here";
    return '';
  },
});
