/** The backends of the matrix, which devices of each run here, and which models each runs. */
import { ortNode } from '@striate/backend-ort';
import { ortWeb } from '@striate/backend-ort/web';
import { loadTfjsGraphModel, tfjsBackend } from '@striate/backend-tfjs';
import { type Backend, type CompiledModel, referenceBackend } from '@striate/core';
import type { ModelSize, ModelSpec } from './models.js';

export interface BackendSpec {
  /** The name used on the command line and in reports. */
  name: string;
  backend: Backend;
  /** Devices to try, in order; each is checked with `backend.devices()` first. */
  devices: readonly string[];
  /** Model sizes this backend/device runs, in --quick and in a full run. */
  sizes(device: string, quick: boolean): readonly ModelSize[];
  compile(model: ModelSpec, device: string): Promise<CompiledModel>;
}

const ALL: readonly ModelSize[] = ['micro', 'tiny', 'small', 'large'];

function viaGraph(backend: Backend): (model: ModelSpec, device: string) => Promise<CompiledModel> {
  return (model, device) => backend.compile(model.load().graph, { device });
}

/**
 * In this order on purpose: onnxruntime-web last. Once its 27 MB wasm module is loaded, the next compile of any
 * runtime waited ~100-180 s here (2 cores) while V8 optimised it; last, that wait falls on its own probe.
 */
export const BACKENDS: readonly BackendSpec[] = [
  {
    name: 'ort-node',
    backend: ortNode,
    devices: ['cpu', 'webgpu', 'cuda'],
    // WebGPU without a GPU is SwiftShader (correct and slow): tiny models only in --quick.
    sizes: (device, quick) => (device === 'webgpu' && quick ? ['micro', 'tiny'] : ALL),
    // Real .onnx files go through compileOnnx (their bytes as they are); Module graphs through compile.
    compile: (model, device) =>
      model.source === 'onnx'
        ? ortNode.compileOnnx(model.load().onnx, { device })
        : ortNode.compile(model.load().graph, { device }),
  },
  {
    name: 'tfjs',
    backend: tfjsBackend,
    devices: ['wasm', 'cpu', 'webgpu'],
    // tfjs-cpu is plain JavaScript (BlazeFace: ~3.7 s a run here): LeNet-5 only in --quick.
    sizes: (device, quick) => {
      if (device === 'cpu') return quick ? ['micro'] : ['micro', 'tiny'];
      return quick ? ['micro', 'tiny'] : ['micro', 'tiny', 'small'];
    },
    // A TF.js graph model (the selfie segmenter) loads as it is; everything else through the striate graph.
    compile: (model, device) =>
      model.source === 'tfjs-graph'
        ? loadTfjsGraphModel(model.modelJson!(), { device })
        : tfjsBackend.compile(model.load().graph, { device }),
  },
  {
    name: 'reference',
    backend: referenceBackend,
    devices: ['cpu'],
    // Plain TypeScript kernels (the oracle, not a fast path): FastestDet takes ~1.2 s a run here.
    sizes: (_device, quick) => (quick ? ['micro'] : ['micro', 'tiny']),
    compile: viaGraph(referenceBackend),
  },
  {
    name: 'ort-web',
    backend: ortWeb,
    devices: ['wasm'],
    sizes: (_device, quick) => (quick ? ['micro', 'tiny', 'small'] : ALL),
    compile: (model, device) =>
      model.source === 'onnx'
        ? ortWeb.compileOnnx(model.load().onnx, { device })
        : ortWeb.compile(model.load().graph, { device }),
  },
];

export function findBackend(name: string): BackendSpec {
  const b = BACKENDS.find((x) => x.name === name);
  if (!b) {
    throw new RangeError(
      `--backends: unknown backend '${name}'; expected one of ${BACKENDS.map((x) => x.name).join(', ')}`,
    );
  }
  return b;
}
