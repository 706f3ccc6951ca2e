import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError, Tensor } from '@striate/core';

async function idx(file: string, magic: number): Promise<{ dims: number[]; body: Uint8Array }> {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(await readFile(file));
  } catch (e) {
    throw new DataError(`${file}: cannot read a gzip IDX file: ${(e as Error).message}`, { cause: e });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== magic) {
    throw new DataError(
      `${file}: byte 0: expected IDX magic 0x${magic.toString(16)}, got 0x${bytes.length >= 4 ? view.getUint32(0).toString(16) : '(short file)'}`,
    );
  }
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const body = bytes.subarray(4 + 4 * rank);
  if (body.length !== dims.reduce((a, b) => a * b, 1)) {
    throw new DataError(`${file}: byte ${4 + 4 * rank}: expected ${dims.join('x')} values, got ${body.length} bytes`);
  }
  return { dims, body };
}

/**
 * MNIST from the official IDX files (`t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`) in `dir`: images
 * [N, 1, 28, 28] float32 normalised as torchvision's usual (x / 255 - 0.1307) / 0.3081, labels int64 [N].
 */
export async function readMnist(
  dir: string,
  prefix = 't10k',
): Promise<{ images: Tensor<'float32'>; labels: Tensor<'int64'> }> {
  const img = await idx(path.join(dir, `${prefix}-images-idx3-ubyte.gz`), 0x00000803);
  const lab = await idx(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`), 0x00000801);
  const n = img.dims[0]!;
  if (lab.dims[0] !== n) throw new DataError(`${dir}: ${n} images but ${lab.dims[0]} labels`);
  const data = new Float32Array(img.body.length);
  for (let i = 0; i < data.length; i++) data[i] = (img.body[i]! / 255 - 0.1307) / 0.3081;
  return {
    images: new Tensor('float32', [n, 1, img.dims[1]!, img.dims[2]!], data),
    labels: new Tensor(
      'int64',
      [n],
      BigInt64Array.from(lab.body, (v) => BigInt(v)),
    ),
  };
}

/** Rows `from`..`to` of a batch-first tensor (a copy). */
export function sliceRows<T extends Tensor>(t: T, from: number, to: number): T {
  const row = t.size / t.shape[0]!;
  return new Tensor(t.dtype, [to - from, ...t.shape.slice(1)], t.data.slice(from * row, to * row) as T['data']) as T;
}
