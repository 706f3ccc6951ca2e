/**
 * The Node side of the comparison: the same bundled JPEG decoded with sharp, the same `.onnx` file on
 * onnxruntime-node's CPU provider (`ortNode`), the same decoder and `detect()` of `@striate/detection`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { loadTfjsGraphModel } from '@striate/backend-tfjs';
import { Tensor } from '@striate/core';
import { createDecoder, type DecoderConfig, type Detection, detect, resizeBilinear } from '@striate/detection';
import { resizeLabels } from '@striate/segmentation';
import { modelsDir } from '../vite-assets.js';
import { loadRgbImage } from './load-image.js';

export interface NodeDetections {
  detections: Detection[];
  providers: string[];
  width: number;
  height: number;
  ms: number;
}

export async function detectInNode(
  imagePath: string,
  modelFile: string,
  config: DecoderConfig,
): Promise<NodeDetections> {
  const image = await loadRgbImage(imagePath);
  const model = await ortNode.compileOnnx(new Uint8Array(readFileSync(join(modelsDir(), modelFile))), {
    device: 'cpu',
  });
  try {
    const t0 = performance.now();
    const detections = await detect(model, createDecoder(config), image);
    return {
      detections,
      providers: [...model.providers],
      width: image.width,
      height: image.height,
      ms: performance.now() - t0,
    };
  } finally {
    await model.dispose();
  }
}

/**
 * The selfie segmenter in Node: the same TF.js graph model through `@striate/backend-tfjs` (tfjs-backend-wasm), the
 * same preprocessing as the page (sharp decode, `resizeBilinear` to 256x256, RGB / 255, NHWC), mask = p > 0.5,
 * nearest resize to the image (`resizeLabels`).
 */
export async function segmentInNode(imagePath: string): Promise<{ mask: Uint8Array; width: number; height: number }> {
  const image = await loadRgbImage(imagePath);
  const n = 256;
  const input = resizeBilinear(image, n, n).map((v) => v / 255);
  const model = await loadTfjsGraphModel(join(modelsDir(), 'selfie-seg', 'selfie.json'), { device: 'wasm' });
  try {
    const out = await model.run({ [model.inputNames[0]!]: new Tensor('float32', [1, n, n, 3], input) });
    const prob = out[model.outputNames[0]!]!.data as Float32Array;
    const small = new Tensor(
      'int32',
      [n, n],
      Int32Array.from(prob, (p) => (p > 0.5 ? 1 : 0)),
    );
    const mask = resizeLabels(small, [image.height, image.width]);
    return { mask: Uint8Array.from(mask.data as Int32Array), width: image.width, height: image.height };
  } finally {
    model.dispose();
  }
}
