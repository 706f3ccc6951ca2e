/**
 * Builds the embedded sample (bench/fixtures/sample) from the shared data and models, so `pnpm bench` works on a
 * clone without ../shared. It holds exactly the --quick subsets (src/data/subsets.ts, src/data/mnist.ts) whose
 * licenses allow redistribution - coco128-val and MNIST, not WIDER FACE (non-commercial research only) - and the
 * small models; LICENSES.md beside it credits each. models/lenet5 (trained here by scripts/train-lenet5.ts) is kept
 * as it is. Re-run after changing the subsets:
 *
 *   pnpm --filter @striate/bench exec tsx --conditions=@striate/source scripts/make-sample.ts
 *
 * Reads STRIATE_DATA / STRIATE_MODELS (default ../shared/{data,models}); fails if they are missing.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { encodeIdxGz, MNIST_QUICK, readMnist } from '../src/data/mnist.js';
import { COCO_QUICK_FILES, pickFiles } from '../src/data/subsets.js';

const bench = resolve(import.meta.dirname, '..');
const shared = resolve(bench, '..', '..', 'shared');
const dataDir = process.env.STRIATE_DATA ?? join(shared, 'data');
const modelsDir = process.env.STRIATE_MODELS ?? join(shared, 'models');
const out = join(bench, 'fixtures', 'sample');

for (const [name, dir] of [
  ['STRIATE_DATA', dataDir],
  ['STRIATE_MODELS', modelsDir],
] as const) {
  if (!existsSync(dir)) throw new Error(`${name}: folder ${dir} does not exist (the sample is built from it)`);
}
if (dataDir.startsWith(out) || modelsDir.startsWith(out)) throw new Error('the sample cannot be built from itself');

rmSync(join(out, 'data'), { recursive: true, force: true });
for (const dir of ['fastestdet', 'ultraface', 'blazeface', 'selfie-seg']) {
  rmSync(join(out, 'models', dir), { recursive: true, force: true });
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

// coco128-val: the quick images, their annotations (all categories kept) and their semantic masks.
const cocoIn = join(dataDir, 'coco128-val');
const cocoOut = join(out, 'data', 'coco128-val');
const coco = JSON.parse(readFileSync(join(cocoIn, 'instances_val2017.json'), 'utf8')) as {
  images: { id: number; file_name: string }[];
  annotations: { image_id: number }[];
};
const cocoImages = pickFiles(coco.images, (i) => i.file_name, COCO_QUICK_FILES, 'coco128-val');
const ids = new Set(cocoImages.map((i) => i.id));
mkdirSync(cocoOut, { recursive: true });
writeFileSync(
  join(cocoOut, 'instances_val2017.json'),
  JSON.stringify({ ...coco, images: cocoImages, annotations: coco.annotations.filter((a) => ids.has(a.image_id)) }),
);
for (const img of cocoImages) {
  copy(join(cocoIn, 'images', img.file_name), join(cocoOut, 'images', img.file_name));
  const mask = img.file_name.replace(/\.jpg$/, '.png');
  copy(join(cocoIn, 'semantic', mask), join(cocoOut, 'semantic', mask));
}

// WIDER FACE is for non-commercial research only: not in the sample (the bench reports its rows as not available).

// mnist-test: the --quick held-out images, t10k [8000, 9000), as IDX files with OFFSET naming the first index.
const mnist = readMnist(join(dataDir, 'mnist-test'));
if (mnist.offset !== 0) throw new Error(`${dataDir}/mnist-test: expected the official t10k files (no OFFSET)`);
const mnistOut = join(out, 'data', 'mnist-test');
const mnistN = MNIST_QUICK.to - MNIST_QUICK.from;
const px = mnist.rows * mnist.cols;
mkdirSync(mnistOut, { recursive: true });
writeFileSync(
  join(mnistOut, 't10k-images-idx3-ubyte.gz'),
  encodeIdxGz([mnistN, mnist.rows, mnist.cols], mnist.pixels.subarray(MNIST_QUICK.from * px, MNIST_QUICK.to * px)),
);
writeFileSync(
  join(mnistOut, 't10k-labels-idx1-ubyte.gz'),
  encodeIdxGz([mnistN], mnist.labels.subarray(MNIST_QUICK.from, MNIST_QUICK.to)),
);
writeFileSync(join(mnistOut, 'OFFSET'), `${MNIST_QUICK.from}\n`);

// Models (with their license files).
const MODEL_FILES = [
  'fastestdet/FastestDet.onnx',
  'fastestdet/coco.names',
  'fastestdet/LICENSE.md',
  'ultraface/version-RFB-320_without_postprocessing.onnx',
  'ultraface/LICENSE',
  'blazeface/face_detection_back_256x256_barracuda.onnx',
  'blazeface/LICENSE',
  'selfie-seg/selfie.json',
  'selfie-seg/selfie.bin',
  'selfie-seg/LICENSE',
];
for (const f of MODEL_FILES) copy(join(modelsDir, f), join(out, 'models', f));

let bytes = 0;
const count = (p: string): void => {
  bytes += statSync(p).size;
};
for (const img of cocoImages) {
  count(join(cocoOut, 'images', img.file_name));
  count(join(cocoOut, 'semantic', img.file_name.replace(/\.jpg$/, '.png')));
}
count(join(cocoOut, 'instances_val2017.json'));
for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'OFFSET']) count(join(mnistOut, f));
for (const f of MODEL_FILES) count(join(out, 'models', f));
count(join(out, 'models', 'lenet5', 'lenet5-mnist.safetensors'));
console.log(
  `sample written to ${out}: ${cocoImages.length} coco128-val images, ${mnistN} MNIST images, ` +
    `${MODEL_FILES.length} model files and the LeNet-5 checkpoint, ${(bytes / 2 ** 20).toFixed(2)} MiB`,
);
