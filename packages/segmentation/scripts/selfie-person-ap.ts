/**
 * COCO segm AP (category person) of the MediaPipe selfie-segmentation network on coco128-val, through
 * `evaluateInstanceMasks` (detection's pycocotools-exact evaluator), with the ceiling of each protocol.
 *
 * selfie-seg is a semantic (person / background) network, so its mask has to be turned into instances:
 * - `blob`: the whole foreground is one person instance per image (score = mean probability over it);
 * - `components`: each 4-connected foreground component is an instance (score = its mean probability).
 * Ground truth: the person instances of instances_val2017_segm.json (100 images, polygons). The `ceiling` rows apply
 * the same protocol to the union of the ground-truth person masks (score 1): the best any semantic person
 * segmenter could score that way, since touching or overlapping people merge into one instance.
 *
 * Per image: RGB resized to 256x256 (sharp, bilinear, aspect not kept) in [0, 1] -> probability map -> nearest
 * resize to the image size -> > 0.5, as scripts/selfie-iou.ts.
 *
 *   npx tsx --conditions=@striate/source scripts/selfie-person-ap.ts        # tfjs wasm
 *   npx tsx --conditions=@striate/source scripts/selfie-person-ap.ts cpu    # another tfjs device
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTfjsGraphModel } from '@striate/backend-tfjs';
import { Tensor } from '@striate/core';
import { rleDecode, rleFromSegmentation, rleMerge } from '@striate/detection';
import sharp from 'sharp';
import { evaluateInstanceMasks, type InstanceMaskPrediction } from '../src/index.js';

const shared = path.resolve(import.meta.dirname, '../../../../shared');
const dataDir = path.join(process.env.STRIATE_DATA ?? path.join(shared, 'data'), 'coco128-val');
const modelJson = path.join(process.env.STRIATE_MODELS ?? path.join(shared, 'models'), 'selfie-seg', 'selfie.json');
const PERSON = 1;

interface Coco {
  images: { id: number; file_name: string; height: number; width: number }[];
  annotations: { image_id: number; category_id: number; iscrowd: number; segmentation: unknown }[];
  categories: { id: number; name: string }[];
}

/** 4-connected components of a binary [h, w] mask: one 0/1 mask per component and its pixel indices. */
function components(mask: Uint8Array, h: number, w: number): Int32Array[] {
  const label = new Int32Array(h * w).fill(-1);
  const out: Int32Array[] = [];
  const stack = new Int32Array(h * w);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start] !== -1) continue;
    const id = out.length;
    const pixels: number[] = [];
    let top = 0;
    stack[top++] = start;
    label[start] = id;
    while (top > 0) {
      const p = stack[--top]!;
      pixels.push(p);
      const y = Math.floor(p / w);
      const x = p - y * w;
      const visit = (q: number) => {
        if (mask[q] && label[q] === -1) {
          label[q] = id;
          stack[top++] = q;
        }
      };
      if (x > 0) visit(p - 1);
      if (x < w - 1) visit(p + 1);
      if (y > 0) visit(p - w);
      if (y < h - 1) visit(p + w);
    }
    out.push(Int32Array.from(pixels));
  }
  return out;
}

/** Instances of one image from a foreground mask and a per-pixel score map. */
function instances(
  imageId: number,
  fg: Uint8Array,
  score: Float32Array,
  h: number,
  w: number,
  mode: 'blob' | 'components',
): InstanceMaskPrediction[] {
  const groups = mode === 'blob' ? [Int32Array.from(fg.keys()).filter((i) => fg[i] === 1)] : components(fg, h, w);
  return groups
    .filter((g) => g.length > 0)
    .map((g) => {
      const m = new Uint8Array(h * w);
      let sum = 0;
      for (const p of g) {
        m[p] = 1;
        sum += score[p]!;
      }
      return { imageId, categoryId: PERSON, score: sum / g.length, mask: new Tensor('uint8', [h, w], m) };
    });
}

async function selfieProbability(
  model: Awaited<ReturnType<typeof loadTfjsGraphModel>>,
  file: string,
  h: number,
  w: number,
) {
  const { data } = await sharp(file).removeAlpha().resize(256, 256, { fit: 'fill' }).raw().toBuffer({
    resolveWithObject: true,
  });
  const input = new Tensor(
    'float32',
    [1, 256, 256, 3],
    Float32Array.from(data, (v) => v / 255),
  );
  const out = await model.run({ [model.inputNames[0]!]: input });
  const prob = out[model.outputNames[0]!]!.data as Float32Array;
  // Nearest resize to the image size (PyTorch's floor(dst * in / out), as resizeLabels).
  const full = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const sy = Math.floor((y * 256) / h);
    for (let x = 0; x < w; x++) full[y * w + x] = prob[sy * 256 + Math.floor((x * 256) / w)]!;
  }
  return full;
}

async function main(): Promise<void> {
  const device = process.argv.slice(2).filter((a) => a !== '--')[0] ?? 'wasm';
  const coco = JSON.parse(readFileSync(path.join(dataDir, 'instances_val2017_segm.json'), 'utf8')) as Coco;
  const gt = {
    images: coco.images,
    annotations: coco.annotations.filter((a) => a.category_id === PERSON),
    categories: coco.categories.filter((c) => c.id === PERSON),
  };
  const model = await loadTfjsGraphModel(modelJson, { device });
  const preds: Record<string, InstanceMaskPrediction[]> = {
    blob: [],
    components: [],
    'ceiling blob': [],
    'ceiling components': [],
  };
  try {
    for (const img of coco.images) {
      const { id, height: h, width: w } = img;
      const prob = await selfieProbability(model, path.join(dataDir, 'images', img.file_name), h, w);
      const fg = Uint8Array.from(prob, (p) => (p > 0.5 ? 1 : 0));
      preds.blob!.push(...instances(id, fg, prob, h, w, 'blob'));
      preds.components!.push(...instances(id, fg, prob, h, w, 'components'));
      const rles = gt.annotations
        .filter((a) => a.image_id === id && !a.iscrowd)
        .map((a, i) => rleFromSegmentation(a.segmentation as never, h, w, `image ${id} person ${i}`));
      if (rles.length === 0) continue;
      const union = rleDecode(rleMerge(rles), 'row-major');
      const ones = new Float32Array(h * w).fill(1);
      preds['ceiling blob']!.push(...instances(id, union, ones, h, w, 'blob'));
      preds['ceiling components']!.push(...instances(id, union, ones, h, w, 'components'));
    }
  } finally {
    model.dispose();
  }
  const people = gt.annotations.filter((a) => !a.iscrowd).length;
  const withPeople = new Set(gt.annotations.map((a) => a.image_id)).size;
  console.log(
    `coco128-val segm person: ${coco.images.length} images, ${people} person instances in ${withPeople} images; ` +
      `selfie-seg on tfjs ${device}`,
  );
  console.log('| protocol | instances | AP | AP50 | AP75 | AR@100 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, p] of Object.entries(preds)) {
    const s = evaluateInstanceMasks({ predictions: p, groundTruth: gt }).stats;
    const f = (v: number) => v.toFixed(4);
    console.log(`| ${name} | ${p.length} | ${f(s[0]!)} | ${f(s[1]!)} | ${f(s[2]!)} | ${f(s[8]!)} |`);
  }
}

await main();
