/** The models of the benchmark matrix: backbones built with the Module API, and the real ONNX detectors. */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModel } from '@striate/backbones';
import { type Graph, readSafetensors, Tensor } from '@striate/core';
import { exportOnnx, importOnnx } from '@striate/onnx';
import { sampleDir, sharedDir } from '../shared-dirs.js';

/**
 * micro: LeNet-5, runs everywhere; tiny: the ~1 MB detectors (SwiftShader, tfjs-wasm); small: MobileNetV2 and
 * EfficientNet-B0; large: ResNet-50.
 */
export type ModelSize = 'micro' | 'tiny' | 'small' | 'large';

export interface ModelSpec {
  name: string;
  size: ModelSize;
  /**
   * `module`: built with @striate/backbones (seeded random weights, or a checkpoint: LeNet-5); `onnx`: a real trained .onnx file; `tfjs-graph`: a real
   * trained TF.js graph model (runs on the tfjs backend only, loaded with `loadTfjsGraphModel`).
   */
  source: 'module' | 'onnx' | 'tfjs-graph';
  /** Only these backends run the model (default: every backend whose sizes include it). */
  backends?: readonly string[];
  /** NCHW or NHWC input shape with batch 1 (the batch axis is the first). */
  inputName: string;
  inputShape: readonly number[];
  /** Whether the model accepts a batch above 1 (the real ONNX files are fixed at batch 1). */
  batchable: boolean;
  /**
   * The graph (for the striate backends) and the ONNX bytes (for compileOnnx and the raw ORT peer). A `tfjs-graph`
   * model has neither: `load()` throws, and `modelJson()` gives its model.json.
   */
  load(): { graph: Graph; onnx: Uint8Array };
  /** The model.json of a `tfjs-graph` model. */
  modelJson?(): string;
}

/** Where the real models are: `STRIATE_MODELS`, or `../shared/models` beside the repository. */
export function modelsDir(): string {
  return sharedDir('STRIATE_MODELS', 'models');
}

/**
 * The trained LeNet-5 weights (scripts/train-lenet5.ts: MNIST t10k [0, 8000)), part of the repository (Apache-2.0,
 * trained here), so they are read from the embedded sample whatever STRIATE_MODELS says.
 */
export function lenet5Checkpoint(): string {
  return join(sampleDir('models'), 'lenet5', 'lenet5-mnist.safetensors');
}

function backbone(name: string, size: ModelSize, shape: readonly number[], checkpoint?: () => string): ModelSpec {
  let cached: { graph: Graph; onnx: Uint8Array } | undefined;
  return {
    name,
    size,
    source: 'module',
    inputName: 'input',
    inputShape: shape,
    batchable: true,
    load() {
      if (!cached) {
        const model = createModel(name, { seed: 0 });
        if (checkpoint) {
          const file = checkpoint();
          if (!existsSync(file)) {
            throw new Error(`${name}: checkpoint ${file} does not exist (scripts/train-lenet5.ts writes it)`);
          }
          model.loadStateDict(readSafetensors(new Uint8Array(readFileSync(file))).tensors);
        }
        model.training = false;
        const graph = model.toGraph({ inputs: { input: ['N', ...shape.slice(1)] } });
        cached = { graph, onnx: exportOnnx(graph) };
      }
      return cached;
    },
  };
}

function onnxFile(name: string, file: string, inputName: string, shape: readonly number[], size: ModelSize): ModelSpec {
  let cached: { graph: Graph; onnx: Uint8Array } | undefined;
  return {
    name,
    size,
    source: 'onnx',
    inputName,
    inputShape: shape,
    batchable: false,
    load() {
      if (!cached) {
        const path = join(modelsDir(), file);
        if (!existsSync(path)) {
          throw new Error(
            `${name}: model file ${path} does not exist (set STRIATE_MODELS to the shared models folder)`,
          );
        }
        const onnx = new Uint8Array(readFileSync(path));
        cached = { graph: importOnnx(onnx), onnx };
      }
      return cached;
    },
  };
}

function tfjsGraphFile(name: string, file: string, inputName: string, shape: readonly number[]): ModelSpec {
  const path = (): string => {
    const p = join(modelsDir(), file);
    if (!existsSync(p)) {
      throw new Error(`${name}: model file ${p} does not exist (set STRIATE_MODELS to the shared models folder)`);
    }
    return p;
  };
  return {
    name,
    size: 'tiny',
    source: 'tfjs-graph',
    backends: ['tfjs'],
    inputName,
    inputShape: shape,
    batchable: false,
    load() {
      throw new Error(`${name}: a TF.js graph model has no striate graph or ONNX bytes; compile it from modelJson()`);
    },
    modelJson: path,
  };
}

export const MODELS: readonly ModelSpec[] = [
  backbone('lenet5', 'micro', [1, 1, 32, 32], lenet5Checkpoint),
  backbone('mobilenet_v2', 'small', [1, 3, 224, 224]),
  backbone('efficientnet_b0', 'small', [1, 3, 224, 224]),
  backbone('resnet50', 'large', [1, 3, 224, 224]),
  onnxFile('fastestdet', 'fastestdet/FastestDet.onnx', '', [1, 3, 352, 352], 'tiny'),
  onnxFile('ultraface-rfb320', 'ultraface/version-RFB-320_without_postprocessing.onnx', '', [1, 3, 240, 320], 'tiny'),
  onnxFile('blazeface', 'blazeface/face_detection_back_256x256_barracuda.onnx', '', [1, 256, 256, 3], 'tiny'),
  tfjsGraphFile('selfie-seg', 'selfie-seg/selfie.json', 'input_1', [1, 256, 256, 3]),
];

export function findModel(name: string): ModelSpec {
  const m = MODELS.find((x) => x.name === name);
  if (!m) {
    throw new RangeError(`--models: unknown model '${name}'; expected one of ${MODELS.map((x) => x.name).join(', ')}`);
  }
  return m;
}

/**
 * A deterministic input of `batch` images in [-1, 1] for `spec`, named `spec.inputName` or else as the graph's first
 * input.
 */
export function makeFeeds(spec: ModelSpec, batch: number): Record<string, Tensor> {
  const shape = [batch, ...spec.inputShape.slice(1)];
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  const name = spec.inputName || spec.load().graph.inputs[0]?.name;
  if (!name) throw new Error(`${spec.name}: the graph has no input`);
  return { [name]: new Tensor('float32', shape, data) };
}
