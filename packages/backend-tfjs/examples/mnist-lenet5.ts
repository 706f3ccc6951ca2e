/**
 * LeNet-5 trained from scratch on MNIST (the official t10k file: the first 8,000 images to train, the last 2,000
 * held out) with tfjs on wasm. Run from packages/backend-tfjs:
 *   pnpm exec tsx --conditions=@striate/source examples/mnist-lenet5.ts [--device cpu|wasm] [--epochs N] [--out file]
 */
import { parseArgs } from 'node:util';
import { evaluateAccuracy, saveCheckpoint, type TfjsDevice, train } from '@striate/backend-tfjs';
import { manualSeed } from '@striate/core';
import { dataDir } from '../../../test-utils/fixtures.js';
import { readMnist, sliceRows } from '../src/train/mnist.js';
import { LeNet5, progress } from './lenet5.js';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'wasm' },
    epochs: { type: 'string', default: '6' },
    out: { type: 'string' },
  },
});
const device = values.device as TfjsDevice;
const { images, labels } = await readMnist(`${dataDir()}/mnist-test`);
const trainSet = { inputs: sliceRows(images, 0, 8000), targets: sliceRows(labels, 0, 8000) };
const heldOut = { inputs: sliceRows(images, 8000, 10000), targets: sliceRows(labels, 8000, 10000) };

manualSeed(0);
const model = new LeNet5(10);
console.log(`LeNet-5: ${model.numParameters()} parameters; training on ${device}`);
const start = performance.now();
await train(model, trainSet, {
  device,
  epochs: Number(values.epochs),
  batchSize: 32,
  loss: 'cross-entropy',
  optimizer: { type: 'adam', lr: 2e-3 },
  schedule: { type: 'cosine' },
  seed: 0,
  ...progress('mnist'),
});
const acc = await evaluateAccuracy(model, heldOut.inputs, heldOut.targets, { device });
console.log(
  `held-out accuracy (last 2,000 images): ${(100 * acc).toFixed(2)}% after ${((performance.now() - start) / 1000).toFixed(0)} s`,
);
if (values.out) await saveCheckpoint(model, values.out, { accuracy: acc.toFixed(4) });
if (acc < 0.97) {
  console.error('below the 97% target');
  process.exitCode = 1;
}
