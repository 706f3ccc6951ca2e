import type { EpochReport } from '@striate/backend-tfjs';
import { Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, Tensor, type Value } from '@striate/core';

/** LeNet-5 (LeCun et al. 1998: conv 5x5 -> pool -> conv 5x5 -> pool -> 120 -> 84 -> classes), ReLU and max pool. */
export class LeNet5 extends Module {
  features = new Sequential(
    new Conv2d(1, 6, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
  );
  classifier = new Sequential(new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU());
  fc: Linear;

  constructor(numClasses = 10) {
    super();
    this.fc = new Linear(84, numClasses);
  }

  override forward(x: Value): Value {
    return this.fc.forward(this.classifier.forward(this.features.forward(x)));
  }
}

/** The samples of `images`/`labels` whose label passes `keep`, labels mapped by `map`, at most `limit` of them. */
export function subset(
  images: Tensor<'float32'>,
  labels: Tensor<'int64'>,
  keep: (label: number) => boolean,
  map: (label: number) => number = (l) => l,
  limit = Number.POSITIVE_INFINITY,
): { inputs: Tensor<'float32'>; targets: Tensor<'int64'> } {
  const row = images.size / images.shape[0]!;
  const idx: number[] = [];
  for (let i = 0; i < labels.size && idx.length < limit; i++) if (keep(Number(labels.data[i]))) idx.push(i);
  const data = new Float32Array(idx.length * row);
  idx.forEach((s, k) => {
    data.set(images.data.subarray(s * row, (s + 1) * row), k * row);
  });
  return {
    inputs: new Tensor('float32', [idx.length, ...images.shape.slice(1)], data),
    targets: new Tensor(
      'int64',
      [idx.length],
      BigInt64Array.from(idx, (s) => BigInt(map(Number(labels.data[s])))),
    ),
  };
}

/** A one-line progress bar on stderr (the CLI's view of training). */
export function progress(label: string): {
  onBatch: (p: { epoch: number; batch: number; batches: number; loss: number }) => void;
  onEpoch: (r: EpochReport) => void;
} {
  return {
    onBatch: ({ epoch, batch, batches, loss }) => {
      if (!process.stderr.isTTY) return; // a log file (CI) gets one line per epoch, not a redrawn bar
      const width = 30;
      const done = Math.round((batch / batches) * width);
      process.stderr.write(
        `\r${label} epoch ${epoch} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${batch}/${batches} loss ${loss.toFixed(4)}`,
      );
    },
    onEpoch: (r) => {
      const val = r.valAccuracy !== undefined ? ` val acc ${(100 * r.valAccuracy).toFixed(2)}%` : '';
      process.stderr.write(
        `\r${label} epoch ${r.epoch}/${r.epochs}: loss ${r.loss.toFixed(4)} acc ${(100 * (r.accuracy ?? 0)).toFixed(2)}%${val} lr ${r.lr.toExponential(2)} (${(r.ms / 1000).toFixed(1)} s)\n`,
      );
    },
  };
}
