/**
 * A 3x3 convolution 64 -> 64 (+ bias, ReLU) on 1x64x56x56 through this backend on tfjs-wasm (NCHW feeds, transposed
 * at the graph's edges, data copied in and out), against the same work as raw tfjs calls on the same backend with
 * the input already NHWC on the device (the floor this backend's wrapping can reach), measured in the same run.
 *
 * Run: `cd packages/backend-tfjs && pnpm bench conv`
 */
import { GraphBuilder, Rng, Tensor } from '@striate/core';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { tfjsBackend } from './backend.js';

const OURS = 'conv3x3 64->64 56x56 + relu (striate tfjs-wasm, NCHW in/out)';
const PEER = 'conv3x3 64->64 56x56 + relu (raw tfjs-wasm, NHWC on device)';

export default async function conv(): Promise<Bench> {
  const rng = new Rng(1);
  const b = new GraphBuilder('conv');
  const x = b.input('x', 'float32', [1, 64, 56, 56]);
  const w = b.initializer('w', new Tensor('float32', [64, 64, 3, 3], rng.normalArray(64 * 64 * 9, 0, 0.05)));
  const bias = b.initializer('b', new Tensor('float32', [64], rng.normalArray(64)));
  const [c] = b.op('Conv', [x, w, bias], { pads: [1, 1, 1, 1] }, { name: 'conv' });
  const [r] = b.op('Relu', [c!], {}, { name: 'relu' });
  b.output(r!, 'y');
  const model = await tfjsBackend.compile(b.build(), { device: 'wasm' });
  const feeds = { x: new Tensor('float32', [1, 64, 56, 56], rng.normalArray(64 * 56 * 56)) };
  // tfjs is on wasm now (compile switched it); the peer's tensors live there too.
  const xNhwc = tf.tensor4d(rng.normalArray(56 * 56 * 64), [1, 56, 56, 64]);
  const filter = tf.tensor4d(rng.normalArray(9 * 64 * 64, 0, 0.05), [3, 3, 64, 64]);
  const bias1d = tf.tensor1d(rng.normalArray(64));
  let sink = 0;
  const bench = new Bench({ name: 'tfjs backend: conv 3x3 on wasm', iterations: 30, time: 2000, warmupIterations: 5 });
  bench.add(OURS, async () => {
    const out = await model.run(feeds);
    sink += out.y!.data[0] as number;
  });
  bench.add(PEER, async () => {
    const y = tf.tidy(() => tf.relu(tf.add(tf.conv2d(xNhwc, filter, 1, 'same'), bias1d)));
    sink += (await y.data())[0]!;
    y.dispose();
  });
  bench.addEventListener('complete', () => {
    model.dispose();
    tf.dispose([xNhwc, filter, bias1d]);
    if (Number.isNaN(sink)) console.log('sink', sink);
  });
  return bench;
}

export function report(bench: Bench): void {
  const ours = bench.getTask(OURS)?.result;
  const peer = bench.getTask(PEER)?.result;
  if (ours && peer && 'latency' in ours && 'latency' in peer) {
    const o = ours.latency.p50 ?? ours.latency.mean;
    const p = peer.latency.p50 ?? peer.latency.mean;
    console.log(
      `striate / raw tfjs (median latency): ${(o / p).toFixed(2)}x (${o.toFixed(2)} ms vs ${p.toFixed(2)} ms)`,
    );
  }
}
