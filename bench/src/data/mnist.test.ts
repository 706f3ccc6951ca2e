import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir } from '../../../test-utils/fixtures.js';
import { sampleDir } from '../shared-dirs.js';
import {
  encodeIdxGz,
  MNIST_MEAN,
  MNIST_QUICK,
  MNIST_STD,
  MNIST_TRAIN_END,
  mnistBatch,
  readMnist,
  top1,
} from './mnist.js';

function tinySet(offset?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
  const pixels = new Uint8Array(3 * 28 * 28);
  pixels[0] = 255; // image 0, pixel (0, 0)
  pixels[2 * 784 + 27 * 28 + 27] = 51; // image 2, pixel (27, 27)
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), encodeIdxGz([3, 28, 28], pixels));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), encodeIdxGz([3], Uint8Array.of(7, 2, 1)));
  if (offset !== undefined) writeFileSync(join(dir, 'OFFSET'), `${offset}\n`);
  return dir;
}

describe('MNIST IDX files', () => {
  it('round-trips, pads 28x28 to 32x32 with the normalised background, and honours OFFSET', () => {
    const dir = tinySet(100);
    try {
      const set = readMnist(dir);
      expect([set.count, set.rows, set.cols, set.offset]).toEqual([3, 28, 28, 100]);
      const { input, labels } = mnistBatch(set, 100, 103);
      expect(input.shape).toEqual([3, 1, 32, 32]);
      expect([...labels]).toEqual([7, 2, 1]);
      const bg = -MNIST_MEAN / MNIST_STD;
      expect(input.data[0]).toBeCloseTo(bg, 6); // padding
      expect(input.data[2 * 32 + 2]).toBeCloseTo((1 - MNIST_MEAN) / MNIST_STD, 6);
      expect(input.data[2 * 1024 + 29 * 32 + 29]).toBeCloseTo((0.2 - MNIST_MEAN) / MNIST_STD, 6);
      expect(() => mnistBatch(set, 0, 2)).toThrow(
        'mnistBatch: expected t10k images [from, to) inside [100, 103), got [0, 2)',
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('fails naming the file and byte on a wrong magic number', () => {
    const dir = tinySet();
    try {
      writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), encodeIdxGz([3, 1], new Uint8Array(3)));
      expect(() => readMnist(dir)).toThrow(
        /t10k-labels-idx1-ubyte\.gz: byte 0: expected IDX magic 0x00000801, got 0x00000802/,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('counts top-1 hits and checks the logits size', () => {
    expect(top1([0, 1, 0, 2, 1, 0, 0, 0, 5], [1, 0, 0], 3)).toBeCloseTo(2 / 3); // rows 0 and 1 hit, row 2 says 2 for a 0
    expect(() => top1([0, 1], [1, 0], 3)).toThrow('top1: logits: expected 2 x 3 = 6 values, got 2');
  });

  it('embeds exactly t10k [8000, 9000) of the shared file in the sample, disjoint from the training images', () => {
    const shared = readMnist(join(dataDir(), 'mnist-test'));
    const sample = readMnist(join(sampleDir('data'), 'mnist-test'));
    expect([sample.offset, sample.count]).toEqual([MNIST_QUICK.from, MNIST_QUICK.to - MNIST_QUICK.from]);
    expect(MNIST_QUICK.from).toBeGreaterThanOrEqual(MNIST_TRAIN_END);
    expect(Buffer.from(sample.pixels).equals(Buffer.from(shared.pixels.subarray(8000 * 784, 9000 * 784)))).toBe(true);
    expect(Buffer.from(sample.labels).equals(Buffer.from(shared.labels.subarray(8000, 9000)))).toBe(true);
  });
});
