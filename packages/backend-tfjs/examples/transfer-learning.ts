/**
 * Transfer learning, the lecture's table made runnable. LeNet-5 is trained on digits 0-4 (from the first 8,000
 * MNIST t10k images), its head is replaced by a new 5-class one, and then on only 100 images of digits 5-9:
 *   (a) everything but the new head frozen, (b) all layers fine-tuned with the backbone at 1/10 of the head's rate,
 *   (c) a fresh LeNet-5 trained from scratch.
 * Accuracies are on the held-out digits 5-9 of the last 2,000 images. Run from packages/backend-tfjs:
 *   pnpm exec tsx --conditions=@striate/source examples/transfer-learning.ts [--device cpu|wasm]
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateAccuracy, loadCheckpoint, saveCheckpoint, type TfjsDevice, train } from '@striate/backend-tfjs';
import { Linear, manualSeed } from '@striate/core';
import { dataDir } from '../../../test-utils/fixtures.js';
import { readMnist, sliceRows } from '../src/train/mnist.js';
import { LeNet5, progress, subset } from './lenet5.js';

const { values } = parseArgs({ options: { device: { type: 'string', default: 'wasm' } } });
const device = values.device as TfjsDevice;
const { images, labels } = await readMnist(`${dataDir()}/mnist-test`);
const [trainImages, trainLabels] = [sliceRows(images, 0, 8000), sliceRows(labels, 0, 8000)];
const [testImages, testLabels] = [sliceRows(images, 8000, 10000), sliceRows(labels, 8000, 10000)];
const low = subset(trainImages, trainLabels, (l) => l < 5);
const few = subset(
  trainImages,
  trainLabels,
  (l) => l >= 5,
  (l) => l - 5,
  100,
);
const heldOut = subset(
  testImages,
  testLabels,
  (l) => l >= 5,
  (l) => l - 5,
);
console.log(
  `pretraining set: ${low.inputs.shape[0]} images of digits 0-4; few-shot set: ${few.inputs.shape[0]} of 5-9; held out: ${heldOut.inputs.shape[0]} of 5-9`,
);

manualSeed(0);
const base = new LeNet5(5);
await train(base, low, {
  device,
  epochs: 3,
  batchSize: 32,
  loss: 'cross-entropy',
  optimizer: { type: 'adam', lr: 2e-3 },
  ...progress('digits 0-4'),
});
const dir = await mkdtemp(path.join(tmpdir(), 'striate-transfer-'));
const checkpoint = path.join(dir, 'lenet5-digits-0-4.safetensors');
await saveCheckpoint(base, checkpoint);

/** The pretrained LeNet-5 from the checkpoint with a new, freshly initialised 5-class head. */
async function pretrainedWithNewHead(): Promise<LeNet5> {
  const m = new LeNet5(5);
  await loadCheckpoint(m, checkpoint);
  manualSeed(1);
  m.fc = new Linear(84, 5);
  return m;
}

const fewShot = { device, epochs: 30, batchSize: 20, loss: 'cross-entropy' as const, seed: 1 };
const backbone = ['features.*', 'classifier.*'];
const results: [string, number][] = [];

const frozen = await pretrainedWithNewHead();
await train(frozen, few, {
  ...fewShot,
  optimizer: { type: 'adam', lr: 2e-3 },
  freeze: backbone,
  ...progress('(a) head only'),
});
results.push([
  '(a) frozen backbone, new head trained',
  await evaluateAccuracy(frozen, heldOut.inputs, heldOut.targets, { device }),
]);

const tuned = await pretrainedWithNewHead();
await train(tuned, few, {
  ...fewShot,
  optimizer: { type: 'adam', lr: 2e-3 },
  paramGroups: backbone.map((pattern) => ({ pattern, lrScale: 0.1 })),
  ...progress('(b) fine-tune'),
});
results.push([
  '(b) fine-tuned, backbone at 1/10 rate',
  await evaluateAccuracy(tuned, heldOut.inputs, heldOut.targets, { device }),
]);

manualSeed(1);
const scratch = new LeNet5(5);
await train(scratch, few, { ...fewShot, optimizer: { type: 'adam', lr: 2e-3 }, ...progress('(c) scratch') });
results.push([
  '(c) from scratch on the 100 images',
  await evaluateAccuracy(scratch, heldOut.inputs, heldOut.targets, { device }),
]);

console.log(`\nheld-out accuracy on digits 5-9 (${heldOut.inputs.shape[0]} images), 100 training images:`);
for (const [name, acc] of results) console.log(`  ${name.padEnd(40)} ${(100 * acc).toFixed(2)}%`);

// The accuracies the README states (one seeded run), less two points of slack: CI runs this example and fails below.
const floors = [0.618, 0.869, 0.917];
const short = results.filter(([, acc], i) => acc < floors[i]!);
if (short.length > 0) {
  for (const [name, acc] of short) console.error(`below the README's figure: ${name} ${(100 * acc).toFixed(2)}%`);
  process.exitCode = 1;
}
