/**
 * Test helpers: onnxruntime-node (a devDependency only: the package itself depends on no runtime), and
 * comparisons of outputs. A missing runtime is an error, never a skip.
 */
import { type Graph, referenceBackend, Tensor } from '@striate/core';
import * as ortNode from 'onnxruntime-node';

interface OrtTensor {
  readonly data: ArrayLike<number | bigint>;
  readonly dims: readonly number[];
  readonly type: string;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OrtModule {
  Tensor: new (type: string, data: ArrayBufferView, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(bytes: Uint8Array, options?: object): Promise<OrtSession> };
}

export const ort = ortNode as unknown as OrtModule;

/** Runs ONNX bytes once on ORT CPU; the session is released before returning. */
export async function runOrt(
  bytes: Uint8Array,
  feeds: Readonly<Record<string, Tensor>>,
): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  try {
    const ortFeeds: Record<string, OrtTensor> = {};
    for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor(t.dtype, t.data, t.shape);
    const out = await session.run(ortFeeds);
    const result: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(out)) {
      if (v.type !== 'float32') throw new Error(`runOrt: output ${k} is ${v.type}; the tests compare float32 outputs`);
      result[k] = new Tensor('float32', [...v.dims], Float32Array.from(v.data as ArrayLike<number>));
    }
    return result;
  } finally {
    await session.release();
  }
}

/** Runs a graph once on the reference backend. */
export async function runReference(
  graph: Graph,
  feeds: Readonly<Record<string, Tensor>>,
): Promise<Record<string, Tensor>> {
  const compiled = await referenceBackend.compile(graph);
  try {
    return await compiled.run(feeds);
  } finally {
    compiled.dispose();
  }
}

/** max |a - b| / max(1, max |b|): the difference relative to the output's scale. */
export function relDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`relDiff: shapes differ [${a.shape}] vs [${b.shape}]`);
  const x = a.toFloat32().data;
  const y = b.toFloat32().data;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    if (d > diff) diff = d;
    if (Math.abs(y[i]!) > scale) scale = Math.abs(y[i]!);
  }
  return diff / scale;
}
