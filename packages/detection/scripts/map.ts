/**
 * Accuracy of the shared pretrained detectors through ORT (CPU) with the decoders of this package.
 *
 *   pnpm --filter @striate/detection run map -- --model fastestdet       # COCO mAP on coco128-val (evaluateCoco)
 *   pnpm --filter @striate/detection run map -- --model ultraface-rfb    # WIDER FACE AP on widerface-val200
 *   pnpm --filter @striate/detection run map -- --model ultraface-slim
 *   pnpm --filter @striate/detection run map -- --model blazeface
 *
 * Options: --score T (candidate threshold; default 0.01 for FastestDet, 0.02 for the face models), --iou T (NMS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { dataDir, modelsDir } from '../../../test-utils/fixtures.js';
import { evaluateCoco } from '../src/coco/coco-eval.js';
import { evaluateWiderFace } from '../src/coco/widerface.js';
import { type CocoResult, cocoCategoryIdsByYoloIndex, toCocoResults } from '../src/decoders/coco-results.js';
import type { DecoderConfig } from '../src/decoders/config.js';
import { createDecoder, detect } from '../src/decoders/decoder.js';
import {
  BLAZEFACE_BACK_256_CONFIG,
  FASTESTDET_CONFIG,
  ULTRAFACE_RFB_320_CONFIG,
  ULTRAFACE_SLIM_320_CONFIG,
} from '../src/decoders/presets.js';
import { loadRgbImage } from './load-image.js';

const MODELS: Record<string, { file: string; config: DecoderConfig; score: number }> = {
  fastestdet: { file: 'fastestdet/FastestDet.onnx', config: FASTESTDET_CONFIG, score: 0.01 },
  'ultraface-rfb': {
    file: 'ultraface/version-RFB-320_without_postprocessing.onnx',
    config: ULTRAFACE_RFB_320_CONFIG,
    score: 0.02,
  },
  'ultraface-slim': {
    file: 'ultraface/version-slim-320_without_postprocessing.onnx',
    config: ULTRAFACE_SLIM_320_CONFIG,
    score: 0.02,
  },
  blazeface: {
    file: 'blazeface/face_detection_back_256x256_barracuda.onnx',
    config: BLAZEFACE_BACK_256_CONFIG,
    score: 0.02,
  },
};

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

const name = arg('model') ?? 'fastestdet';
const entry = MODELS[name];
if (!entry) throw new Error(`--model: expected one of ${Object.keys(MODELS).join(', ')}, got ${name}`);
const score = Number(arg('score') ?? entry.score);
const iou = Number(arg('iou') ?? (entry.config.type === 'fastestdet' ? 0.45 : entry.config.postprocess.iouThreshold));
const decoder = createDecoder(entry.config);
const model = await ortNode.compileOnnx(new Uint8Array(readFileSync(join(modelsDir(), entry.file))), { device: 'cpu' });
const t0 = performance.now();
try {
  if (entry.config.type === 'fastestdet') {
    const root = join(dataDir(), 'coco128-val');
    const gt = JSON.parse(readFileSync(join(root, 'instances_val2017.json'), 'utf8'));
    const categoryIds = cocoCategoryIdsByYoloIndex(gt);
    const dt: CocoResult[] = [];
    for (const im of gt.images as { id: number; file_name: string }[]) {
      const image = await loadRgbImage(join(root, 'images', im.file_name));
      const dets = await detect(model, decoder, image, {
        scoreThreshold: score,
        iouThreshold: iou,
        maxDetections: 100,
      });
      dt.push(...toCocoResults(dets, im.id, categoryIds));
    }
    const { stats } = evaluateCoco({ gt, dt, iouType: 'bbox' });
    console.log(
      `${name} on coco128-val (${gt.images.length} images, ${dt.length} detections, score >= ${score}, NMS ${iou})`,
    );
    console.log(`mAP@[.5:.95] ${stats[0]!.toFixed(4)}  mAP50 ${stats[1]!.toFixed(4)}  mAP75 ${stats[2]!.toFixed(4)}`);
  } else {
    const root = join(dataDir(), 'widerface-val200');
    const gt = JSON.parse(readFileSync(join(root, 'wider_val200_gt.json'), 'utf8'));
    const files = new Set(readdirSync(join(root, 'images')));
    const predictions: Record<string, number[][]> = {};
    for (const im of gt.images as { file: string }[]) {
      if (!files.has(im.file)) throw new Error(`widerface-val200: missing image ${im.file}`);
      const image = await loadRgbImage(join(root, 'images', im.file));
      const dets = await detect(model, decoder, image, {
        scoreThreshold: score,
        iouThreshold: iou,
        maxDetections: 750,
      });
      predictions[im.file] = dets.map((d) => [d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1], d.score]);
    }
    const ap = evaluateWiderFace({ gt, predictions });
    console.log(`${name} on widerface-val200 (${gt.images.length} images at 416x416, score >= ${score}, NMS ${iou})`);
    console.log(
      `WIDER FACE AP (evaluateWiderFace) easy ${ap.easy.toFixed(4)}  medium ${ap.medium.toFixed(4)}  hard ${ap.hard.toFixed(4)}`,
    );
  }
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s on ${model.providers.join(', ')})`);
} finally {
  model.dispose();
}
