/**
 * Person IoU of a segmentation model whose output is a person probability map (MediaPipe's selfie segmentation)
 * on coco128-val images with a semantic mask (`semantic/*.png`, class 1 = person), as
 * packages/segmentation/scripts/selfie-iou.ts computes it: RGB resized to the model's side (sharp, bilinear,
 * aspect not kept) in [0, 1] -> probability > 0.5 -> nearest resize to the image (`resizeLabels`) -> IoU with
 * `semantic == 1` (`binaryMaskScores`). Pooled IoU = sum of intersections / sum of unions; mean IoU over the
 * images whose union is not empty.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CompiledModel, DataError, Tensor } from '@striate/core';
import { binaryMaskScores, resizeLabels } from '@striate/segmentation';
import sharp from 'sharp';
import { pickFiles } from '../data/subsets.js';

export interface PersonIouOptions {
  /** Only these image files (`.jpg` names; each needs its semantic mask); default every image with a mask. */
  files?: readonly string[];
  /** The model's square input side (default 256). */
  side?: number;
}

export interface PersonIouResult {
  iou: number;
  meanIou: number;
  images: number;
}

async function sample(cocoRoot: string, file: string, side: number) {
  const image = join(cocoRoot, 'images', file);
  const maskFile = join(cocoRoot, 'semantic', file.replace(/\.jpg$/, '.png'));
  if (!existsSync(image)) throw new DataError(`person IoU: image ${image} does not exist (STRIATE_DATA)`);
  if (!existsSync(maskFile)) throw new DataError(`person IoU: semantic mask ${maskFile} does not exist`);
  const { data } = await sharp(image)
    .removeAlpha()
    .resize(side, side, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const input = new Tensor(
    'float32',
    [1, side, side, 3],
    Float32Array.from(data, (v) => v / 255),
  );
  const sem = await sharp(maskFile).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const person = Uint8Array.from(sem.data, (v) => (v === 1 ? 1 : 0));
  return { input, target: new Tensor('uint8', [sem.info.height, sem.info.width], person) };
}

export async function personIou(
  model: CompiledModel,
  cocoRoot: string,
  options: PersonIouOptions = {},
): Promise<PersonIouResult> {
  const side = options.side ?? 256;
  const semDir = join(cocoRoot, 'semantic');
  if (!existsSync(semDir)) throw new DataError(`person IoU: folder ${semDir} does not exist (STRIATE_DATA)`);
  const all = readdirSync(semDir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => f.replace(/\.png$/, '.jpg'));
  const files = pickFiles(all, (f) => f, options.files, semDir);
  const inputName = model.inputNames[0]!;
  const outputName = model.outputNames[0]!;
  let inter = 0;
  let union = 0;
  let sum = 0;
  let counted = 0;
  for (const file of files) {
    const { input, target } = await sample(cocoRoot, file, side);
    const out = await model.run({ [inputName]: input });
    const prob = out[outputName];
    if (!prob || prob.size !== side * side) {
      throw new DataError(`person IoU: expected a ${side}x${side} map from '${outputName}', got [${prob?.shape}]`);
    }
    const mask = new Tensor(
      'uint8',
      [side, side],
      Uint8Array.from(prob.data as Float32Array, (p) => (p > 0.5 ? 1 : 0)),
    );
    const s = binaryMaskScores(resizeLabels(mask, [target.shape[0]!, target.shape[1]!]), target);
    inter += s.intersection;
    union += s.union;
    if (s.union > 0) {
      sum += s.iou;
      counted++;
    }
  }
  if (union === 0) throw new DataError(`person IoU: no person pixel in the ${files.length} images or the predictions`);
  return { iou: inter / union, meanIou: counted > 0 ? sum / counted : 0, images: files.length };
}
