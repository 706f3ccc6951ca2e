/** The models the page offers, where their files are in the build, and which backends can run them. */
import {
  BLAZEFACE_BACK_256_CONFIG,
  type DecoderConfig,
  FASTESTDET_CONFIG,
  ULTRAFACE_RFB_320_CONFIG,
} from '@striate/detection';

export type BackendId = 'ort-wasm' | 'ort-webgpu' | 'tfjs-wasm' | 'tfjs-webgpu';
export const BACKENDS: readonly BackendId[] = ['ort-wasm', 'ort-webgpu', 'tfjs-wasm', 'tfjs-webgpu'];

export const BACKEND_LABELS: Readonly<Record<BackendId, string>> = {
  'ort-wasm': 'ONNX Runtime Web · wasm',
  'ort-webgpu': 'ONNX Runtime Web · WebGPU',
  'tfjs-wasm': 'TensorFlow.js · wasm',
  'tfjs-webgpu': 'TensorFlow.js · WebGPU',
};

interface ModelBase {
  label: string;
  /** Which backends have a file for this model (ONNX files run on ORT, TF.js graph models on tfjs). */
  backends: readonly BackendId[];
}

export interface DetectorSpec extends ModelBase {
  task: 'detect';
  /** `.onnx` file for ORT, TF.js `model.json` for tfjs, relative to the page. */
  files: Partial<Record<'ort' | 'tfjs', string>>;
  decoder: DecoderConfig;
  /** Class names file (one a line), or fixed names. */
  labels: string | readonly string[];
}

export interface SegmenterSpec extends ModelBase {
  task: 'segment';
  files: { tfjs: string };
  /** Square input size (NHWC RGB in [0, 1]). */
  size: number;
}

export type ModelSpec = DetectorSpec | SegmenterSpec;
export type ModelId = 'fastestdet' | 'ultraface' | 'blazeface' | 'selfie';

export const MODELS: Readonly<Record<ModelId, ModelSpec>> = {
  fastestdet: {
    task: 'detect',
    label: 'FastestDet (COCO, 80 classes)',
    backends: ['ort-wasm', 'ort-webgpu'],
    files: { ort: 'models/fastestdet/FastestDet.onnx' },
    decoder: FASTESTDET_CONFIG,
    labels: 'models/fastestdet/coco.names',
  },
  ultraface: {
    task: 'detect',
    label: 'UltraFace RFB-320 (faces)',
    backends: ['ort-wasm', 'ort-webgpu'],
    files: { ort: 'models/ultraface/version-RFB-320_without_postprocessing.onnx' },
    decoder: ULTRAFACE_RFB_320_CONFIG,
    labels: ['face'],
  },
  blazeface: {
    task: 'detect',
    label: 'BlazeFace back 256 (faces, keypoints)',
    backends: ['ort-wasm', 'ort-webgpu'],
    files: { ort: 'models/blazeface/face_detection_back_256x256_barracuda.onnx' },
    decoder: BLAZEFACE_BACK_256_CONFIG,
    labels: ['face'],
  },
  selfie: {
    task: 'segment',
    label: 'Selfie segmentation (person mask)',
    backends: ['tfjs-wasm', 'tfjs-webgpu'],
    files: { tfjs: 'models/selfie-seg/selfie.json' },
    size: 256,
  },
};

export function isModelId(v: string): v is ModelId {
  return Object.hasOwn(MODELS, v);
}

export function isBackendId(v: string): v is BackendId {
  return (BACKENDS as readonly string[]).includes(v);
}
