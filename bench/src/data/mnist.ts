/**
 * MNIST for LeNet-5's top-1: the official IDX files (`t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`) and
 * the split the checkpoint was trained on. Only the t10k file is in ../shared/data/mnist-test, so the checkpoint
 * (scripts/train-lenet5.ts, the recipe of packages/backend-tfjs/examples/mnist-lenet5.ts) trains on its first 8,000
 * images and the bench scores the last 2,000, which training never saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataError, Tensor } from '@striate/core';

/** t10k images [0, 8000) train the checkpoint; [8000, 10000) are held out. */
export const MNIST_TRAIN_END = 8000;
/** `--quick` (and the embedded sample): the first 1,000 held-out images, t10k [8000, 9000). */
export const MNIST_QUICK = Object.freeze({ from: 8000, to: 9000 });
/** A full run: every held-out image, t10k [8000, 10000). */
export const MNIST_FULL = Object.freeze({ from: 8000, to: 10000 });

/** torchvision's usual MNIST normalisation, (x / 255 - mean) / std. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

export interface MnistSet {
  /** uint8 pixels, `count` x 28 x 28. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
  /** Index in the t10k file of the first image (0 for the official file; 8000 for the embedded sample). */
  offset: number;
}

function parseIdx(bytes: Uint8Array, magic: number, file: string): { dims: number[]; body: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== magic) {
    throw new DataError(
      `${file}: byte 0: expected IDX magic 0x${magic.toString(16).padStart(8, '0')}, got ${bytes.length >= 4 ? `0x${view.getUint32(0).toString(16).padStart(8, '0')}` : 'a file of fewer than 4 bytes'}`,
    );
  }
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const body = bytes.subarray(4 + 4 * rank);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (body.length !== expected) {
    throw new DataError(
      `${file}: byte ${4 + 4 * rank}: expected ${dims.join('x')} = ${expected} values, got ${body.length}`,
    );
  }
  return { dims, body };
}

function readIdxGz(file: string, magic: number): { dims: number[]; body: Uint8Array } {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(readFileSync(file));
  } catch (e) {
    throw new DataError(`${file}: cannot read a gzip IDX file: ${(e as Error).message}`, { cause: e });
  }
  return parseIdx(bytes, magic, file);
}

/** Encodes an IDX file (big-endian header, uint8 body), gzipped as the official files are. */
export function encodeIdxGz(dims: readonly number[], body: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x800 | dims.length);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  const all = new Uint8Array(header.length + body.length);
  all.set(header);
  all.set(body, header.length);
  // mtime 0 in the gzip header is zlib's default, so the output is byte-identical for the same input.
  return new Uint8Array(gzipSync(all, { level: 9 }));
}

/**
 * Reads `<dir>/t10k-{images-idx3,labels-idx1}-ubyte.gz`. `offset` is the t10k index of the first image: 0 for the
 * official files, else what `<dir>/OFFSET` says (the embedded sample holds t10k [8000, 9000) and says 8000).
 */
export function readMnist(dir: string): MnistSet {
  const img = readIdxGz(join(dir, 't10k-images-idx3-ubyte.gz'), 0x803);
  const lab = readIdxGz(join(dir, 't10k-labels-idx1-ubyte.gz'), 0x801);
  const count = img.dims[0]!;
  if (lab.dims[0] !== count) {
    throw new DataError(
      `${dir}: t10k-labels-idx1-ubyte.gz: expected ${count} labels (one per image), got ${lab.dims[0]}`,
    );
  }
  let offset = 0;
  try {
    offset = Number(readFileSync(join(dir, 'OFFSET'), 'utf8').trim());
  } catch {
    offset = 0; // the official file starts at image 0
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new DataError(
      `${dir}/OFFSET: expected a non-negative integer (the t10k index of the first image), got ${offset}`,
    );
  }
  return { pixels: img.body, labels: lab.body, count, rows: img.dims[1]!, cols: img.dims[2]!, offset };
}

/**
 * t10k images [from, to) of `set` as LeNet-5's input: [n, 1, 32, 32] float32, each 28x28 image centred with 2 pixels
 * of zero padding (as LeCun et al. 1998) and normalised with MNIST_MEAN/MNIST_STD; and their labels.
 */
export function mnistBatch(set: MnistSet, from: number, to: number): { input: Tensor<'float32'>; labels: Uint8Array } {
  const first = from - set.offset;
  if (!Number.isInteger(from) || !Number.isInteger(to) || first < 0 || to - set.offset > set.count || to <= from) {
    throw new RangeError(
      `mnistBatch: expected t10k images [from, to) inside [${set.offset}, ${set.offset + set.count}), got [${from}, ${to})`,
    );
  }
  const n = to - from;
  const { rows, cols } = set;
  const side = 32;
  const pad = (side - rows) / 2;
  const data = new Float32Array(n * side * side).fill(-MNIST_MEAN / MNIST_STD);
  for (let k = 0; k < n; k++) {
    const src = (first + k) * rows * cols;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        data[k * side * side + (y + pad) * side + x + pad] =
          (set.pixels[src + y * cols + x]! / 255 - MNIST_MEAN) / MNIST_STD;
      }
    }
  }
  return { input: new Tensor('float32', [n, 1, side, side], data), labels: set.labels.slice(first, first + n) };
}

/** Top-1 accuracy of `logits` ([n, classes], row-major) against `labels`. */
export function top1(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  const n = labels.length;
  if (logits.length !== n * classes) {
    throw new RangeError(`top1: logits: expected ${n} x ${classes} = ${n * classes} values, got ${logits.length}`);
  }
  let hit = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
    if (best === labels[i]) hit++;
  }
  return n === 0 ? 0 : hit / n;
}
