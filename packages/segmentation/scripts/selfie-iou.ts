/**
 * Person IoU of the MediaPipe selfie-segmentation network (TF.js graph model, ../shared/models/selfie-seg) on the
 * coco128-val images that have a semantic mask (semantic/*.png, class 1 = person), on each tfjs device.
 *
 * Per image: RGB resized to 256x256 (sharp, bilinear, aspect not kept) in [0, 1] -> probability map -> > 0.5 ->
 * nearest resize to the image size (`resizeLabels`) -> IoU with `semantic == 1` (`binaryMaskScores`).
 * Pooled IoU = sum of intersections / sum of unions; mean IoU = mean over the images whose union is not empty.
 *
 *   pnpm --filter @striate/segmentation run selfie-iou            # every available device
 *   pnpm --filter @striate/segmentation run selfie-iou -- wasm    # named devices
 *   SELFIE_LIMIT=10 pnpm ...                                      # the first 10 images only
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadTfjsGraphModel, tfjsBackend } from '@striate/backend-tfjs';
import { Tensor } from '@striate/core';
import sharp from 'sharp';
import { binaryMaskScores, resizeLabels } from '../src/index.js';

const shared = path.resolve(import.meta.dirname, '../../../../shared');
const dataDir = path.join(process.env.STRIATE_DATA ?? path.join(shared, 'data'), 'coco128-val');
const modelJson = path.join(process.env.STRIATE_MODELS ?? path.join(shared, 'models'), 'selfie-seg', 'selfie.json');

async function loadImage(id: string) {
  const file = path.join(dataDir, 'images', `${id}.jpg`);
  const { data } = await sharp(file)
    .removeAlpha()
    .resize(256, 256, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = new Tensor(
    'float32',
    [1, 256, 256, 3],
    Float32Array.from(data, (v) => v / 255),
  );
  const sem = await sharp(path.join(dataDir, 'semantic', `${id}.png`))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const person = Uint8Array.from(sem.data, (v) => (v === 1 ? 1 : 0));
  return { input, target: new Tensor('uint8', [sem.info.height, sem.info.width], person) };
}

async function main(): Promise<void> {
  const ids = readdirSync(path.join(dataDir, 'semantic'))
    .filter((f) => f.endsWith('.png'))
    .map((f) => f.slice(0, -4))
    .sort()
    .slice(0, Number(process.env.SELFIE_LIMIT ?? Number.POSITIVE_INFINITY));
  const available = (await tfjsBackend.devices()).filter((d) => d.available).map((d) => d.device);
  const devices = process.argv.slice(2).filter((a) => a !== '--');
  const chosen = devices.length > 0 ? devices : available;
  const samples = await Promise.all(ids.map(loadImage));
  console.log(`${ids.length} images (coco128-val with semantic masks); devices available: ${available.join(', ')}`);
  for (const device of chosen) {
    const model = await loadTfjsGraphModel(modelJson, { device });
    try {
      let inter = 0;
      let union = 0;
      let sum = 0;
      let counted = 0;
      const t0 = performance.now();
      for (const { input, target } of samples) {
        const out = await model.run({ [model.inputNames[0]!]: input });
        const prob = out[model.outputNames[0]!]!.data as Float32Array;
        const mask = new Tensor(
          'uint8',
          [256, 256],
          Uint8Array.from(prob, (p) => (p > 0.5 ? 1 : 0)),
        );
        const pred = resizeLabels(mask, [target.shape[0]!, target.shape[1]!]);
        const s = binaryMaskScores(pred, target);
        inter += s.intersection;
        union += s.union;
        if (s.union > 0) {
          sum += s.iou;
          counted++;
        }
      }
      const ms = (performance.now() - t0) / samples.length;
      console.log(
        `${device}: person IoU pooled ${(inter / union).toFixed(4)}, mean per image ${(sum / counted).toFixed(4)} ` +
          `(${counted} images with a non-empty union), ${ms.toFixed(1)} ms/image`,
      );
    } finally {
      model.dispose();
    }
  }
}

await main();
