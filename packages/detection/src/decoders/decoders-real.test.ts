/**
 * The decoders on the real shared models through ORT (cpu): FastestDet on coco128-val images whose ground truth has
 * one large object, UltraFace and BlazeFace on widerface-val200 images with a few large faces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import type { CompiledModel } from '@striate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir, modelsDir } from '../../../../test-utils/fixtures.js';
import { loadRgbImage } from '../../scripts/load-image.js';
import { cocoCategoryIdsByYoloIndex, toCocoResults } from './coco-results.js';
import type { DecoderConfig } from './config.js';
import { createDecoder, type Detection, decoderFromJson, detect } from './decoder.js';
import {
  BLAZEFACE_BACK_256_CONFIG,
  FASTESTDET_CONFIG,
  ULTRAFACE_RFB_320_CONFIG,
  ULTRAFACE_SLIM_320_CONFIG,
} from './presets.js';

type Xywh = [number, number, number, number];

function iou(a: Xywh, b: Xywh): number {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  return (iw * ih) / (a[2] * a[3] + b[2] * b[3] - iw * ih);
}

const xywh = (d: Detection): Xywh => [d.box[0], d.box[1], d.box[2] - d.box[0], d.box[3] - d.box[1]];

async function compile(file: string): Promise<CompiledModel> {
  return ortNode.compileOnnx(new Uint8Array(readFileSync(join(modelsDir(), file))), { device: 'cpu' });
}

describe('FastestDet on coco128-val (ORT cpu)', () => {
  const root = join(dataDir(), 'coco128-val');
  const gt = JSON.parse(readFileSync(join(root, 'instances_val2017.json'), 'utf8')) as {
    images: { id: number; file_name: string }[];
    annotations: { image_id: number; category_id: number; bbox: Xywh; area: number }[];
  };
  let model: CompiledModel;
  beforeAll(async () => {
    model = await compile('fastestdet/FastestDet.onnx');
  });
  afterAll(async () => {
    await model.dispose();
    expect(ortNode.openSessions()).toBe(0);
  });

  // Images whose ground truth has one large object: bear (23), bus (6), cat (17), zebra (24).
  for (const [imageId, categoryId] of [
    [285, 23],
    [1584, 6],
    [1675, 17],
    [1818, 24],
  ] as const) {
    it(`image ${imageId}: a detection of category ${categoryId} with score >= 0.5 and IoU > 0.5 to its GT box`, async () => {
      const im = gt.images.find((i) => i.id === imageId)!;
      const image = await loadRgbImage(join(root, 'images', im.file_name));
      // Through JSON, as a user would load a decoder configuration.
      const decoder = decoderFromJson(JSON.parse(JSON.stringify(FASTESTDET_CONFIG)));
      const dets = await detect(model, decoder, image, { scoreThreshold: 0.3 });
      const results = toCocoResults(dets, imageId, cocoCategoryIdsByYoloIndex(gt));
      const gts = gt.annotations.filter((a) => a.image_id === imageId && a.category_id === categoryId);
      expect(gts.length).toBeGreaterThan(0);
      const best = Math.max(
        ...results
          .filter((r) => r.category_id === categoryId && r.score >= 0.5)
          .flatMap((r) => gts.map((g) => iou(r.bbox, g.bbox))),
      );
      expect(best).toBeGreaterThan(0.5);
      for (const r of results) {
        expect(r.image_id).toBe(imageId);
        expect(r.bbox[0]).toBeGreaterThanOrEqual(0);
        expect(r.bbox[0] + r.bbox[2]).toBeLessThanOrEqual(image.width);
        expect(r.bbox[1] + r.bbox[3]).toBeLessThanOrEqual(image.height);
      }
    });
  }
});

describe('face detectors on widerface-val200 (ORT cpu)', () => {
  const root = join(dataDir(), 'widerface-val200');
  const gt = JSON.parse(readFileSync(join(root, 'wider_val200_gt.json'), 'utf8')) as {
    images: { file: string; width: number; height: number; boxes: Xywh[] }[];
  };
  // Images with one to three large faces (all at least 30 px wide).
  const files = [
    '0_Parade_Parade_0_545.jpg',
    '0_Parade_Parade_0_429.jpg',
    '1_Handshaking_Handshaking_1_766.jpg',
    '2_Demonstration_Political_Rally_2_219.jpg',
  ];
  // 0_Parade_Parade_0_913 also has a 31x70 px face (squashed), which BlazeFace (back, 256) misses at 0.5.
  const ultraFiles = [...files, '0_Parade_Parade_0_913.jpg'];
  const cases: [string, string, DecoderConfig, number, string[]][] = [
    [
      'UltraFace RFB-320',
      'ultraface/version-RFB-320_without_postprocessing.onnx',
      ULTRAFACE_RFB_320_CONFIG,
      0.5,
      ultraFiles,
    ],
    [
      'UltraFace slim-320',
      'ultraface/version-slim-320_without_postprocessing.onnx',
      ULTRAFACE_SLIM_320_CONFIG,
      0.5,
      ultraFiles,
    ],
    [
      'BlazeFace back-256',
      'blazeface/face_detection_back_256x256_barracuda.onnx',
      BLAZEFACE_BACK_256_CONFIG,
      0.4,
      files,
    ],
  ];
  for (const [label, file, config, minIou, files] of cases) {
    it(`${label}: every face of ${files.length} images matched (IoU > ${minIou}), no extra detection`, async () => {
      const model = await compile(file);
      try {
        const decoder = createDecoder(config);
        for (const f of files) {
          const rec = gt.images.find((i) => i.file === f)!;
          const image = await loadRgbImage(join(root, 'images', f));
          expect([image.width, image.height]).toEqual([rec.width, rec.height]);
          const dets = await detect(model, decoder, image);
          expect(dets.length, f).toBe(rec.boxes.length);
          for (const g of rec.boxes) {
            const best = Math.max(...dets.map((d) => iou(xywh(d), g)));
            expect(best, `${f}: face ${g.map(Math.round).join(',')}`).toBeGreaterThan(minIou);
          }
          if (config.type === 'blazeface') {
            // Six keypoints (eyes, nose, mouth, ears) lying in or near the face box.
            for (const d of dets) {
              expect(d.keypoints).toHaveLength(6);
              const [x1, y1, x2, y2] = d.box;
              const [w, h] = [x2 - x1, y2 - y1];
              for (const [x, y] of d.keypoints!) {
                expect(x).toBeGreaterThan(x1 - 0.25 * w);
                expect(x).toBeLessThan(x2 + 0.25 * w);
                expect(y).toBeGreaterThan(y1 - 0.25 * h);
                expect(y).toBeLessThan(y2 + 0.25 * h);
              }
            }
          }
        }
      } finally {
        await model.dispose();
      }
      expect(ortNode.openSessions()).toBe(0);
    });
  }
});
