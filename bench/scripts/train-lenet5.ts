/**
 * Trains the LeNet-5 checkpoint the bench scores on MNIST (bench/fixtures/sample/models/lenet5/lenet5-mnist.safetensors):
 * @striate/backbones' `createModel('lenet5')` (the Module the matrix times, 32x32 input), with the recipe of
 * packages/backend-tfjs/examples/mnist-lenet5.ts (seed 0, Adam 2e-3, cosine, batch 32, 6 epochs, tfjs wasm) on the
 * first 8,000 images of the t10k file; the last 2,000 are held out (src/data/mnist.ts). That example trains its own
 * ReLU/max-pool LeNet-5 on 28x28, whose state dict does not fit backbones' tanh/average-pool model, hence this script:
 *
 *   pnpm --filter @striate/bench exec tsx --conditions=@striate/source scripts/train-lenet5.ts [--epochs N]
 *
 * Reads STRIATE_DATA (default ../shared/data)/mnist-test.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createModel } from '@striate/backbones';
import { evaluateAccuracy, saveCheckpoint, train } from '@striate/backend-tfjs';
import { manualSeed, Tensor } from '@striate/core';
import { MNIST_FULL, MNIST_TRAIN_END, mnistBatch, readMnist } from '../src/data/mnist.js';

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '6' } } });
const bench = resolve(import.meta.dirname, '..');
const dataDir = process.env.STRIATE_DATA ?? resolve(bench, '..', '..', 'shared', 'data');
const set = readMnist(join(dataDir, 'mnist-test'));
if (set.offset !== 0 || set.count < MNIST_FULL.to) {
  throw new Error(
    `${dataDir}/mnist-test: expected the official t10k file (10,000 images from index 0), got ${set.count} from ${set.offset}`,
  );
}
const int64 = (l: Uint8Array): Tensor<'int64'> =>
  new Tensor(
    'int64',
    [l.length],
    BigInt64Array.from(l, (v) => BigInt(v)),
  );
const tr = mnistBatch(set, 0, MNIST_TRAIN_END);
const held = mnistBatch(set, MNIST_FULL.from, MNIST_FULL.to);

manualSeed(0);
const model = createModel('lenet5', { seed: 0 });
console.log(`LeNet-5 (@striate/backbones): ${model.numParameters()} parameters; training on wasm`);
const start = performance.now();
await train(
  model,
  { inputs: tr.input, targets: int64(tr.labels) },
  {
    device: 'wasm',
    epochs: Number(values.epochs),
    batchSize: 32,
    loss: 'cross-entropy',
    optimizer: { type: 'adam', lr: 2e-3 },
    schedule: { type: 'cosine' },
    seed: 0,
    onEpoch: (r) =>
      console.log(`epoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(4)} (${(r.ms / 1000).toFixed(1)} s)`),
  },
);
const acc = await evaluateAccuracy(model, held.input, int64(held.labels), { device: 'wasm' });
console.log(
  `held-out accuracy (t10k 8000-9999): ${(100 * acc).toFixed(2)}% after ${((performance.now() - start) / 1000).toFixed(0)} s`,
);
const outDir = join(bench, 'fixtures', 'sample', 'models', 'lenet5');
mkdirSync(outDir, { recursive: true });
await saveCheckpoint(model, join(outDir, 'lenet5-mnist.safetensors'), {
  model: 'lenet5',
  data: 'MNIST t10k [0, 8000)',
  heldOutTop1: acc.toFixed(4),
});
if (acc < 0.97) {
  console.error('below the 97% target');
  process.exitCode = 1;
}
