/** What the browser offers for WebGPU, said in words the page shows (and the test prints). */
export interface WebGpuStatus {
  available: boolean;
  /** Why not, when not. */
  reason?: string;
  /** Adapter description when available (e.g. `swiftshader` for Chromium's software Vulkan). */
  adapter?: string;
}

export async function probeWebGpu(): Promise<WebGpuStatus> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    return {
      available: false,
      reason: window.isSecureContext
        ? 'navigator.gpu is missing: this browser has no WebGPU (Chromium: --enable-unsafe-webgpu where it is off)'
        : 'navigator.gpu is missing: WebGPU needs a secure context (https or localhost)',
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { available: false, reason: `navigator.gpu.requestAdapter() threw: ${error}` };
  }
  if (!adapter) {
    return { available: false, reason: 'navigator.gpu.requestAdapter() returned null (no usable GPU adapter)' };
  }
  const info = adapter.info;
  const words = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0);
  return { available: true, adapter: words.join(' ') || 'unnamed adapter' };
}
