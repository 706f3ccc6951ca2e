/**
 * striate's overhead over onnxruntime-node: ResNet-18 (built here with core's Module API), batch 1, CPU. The same
 * ONNX bytes run through `ortNode.compile(graph)` (Tensor in, feeds checked, Tensor out) and through an
 * `InferenceSession` created directly from `exportOnnx(graph)`. The report prints the median-latency ratio.
 *
 * Run: `cd packages/backend-ort && pnpm exec tsx --conditions=@striate/source ../../scripts/run-benches.ts overhead`
 */
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Conv2d,
  functional as F,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Rng,
  Sequential,
  Tensor,
  type Value,
} from '@striate/core';
import { exportOnnx } from '@striate/onnx';
import * as ort from 'onnxruntime-node';
import { Bench } from 'tinybench';
import { ortNode } from './index.js';

const OURS = 'ResNet-18 b1 cpu: ortNode.compile(graph).run';
const PEER = 'ResNet-18 b1 cpu: onnxruntime-node InferenceSession.run';

/** torchvision's BasicBlock: two 3x3 convs with batch norm, identity or 1x1-conv shortcut. */
class BasicBlock extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  relu = new ReLU();
  downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride: number) {
    super();
    this.conv1 = new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.downsample =
      stride !== 1 || inPlanes !== planes
        ? new Sequential(new Conv2d(inPlanes, planes, 1, { stride, bias: false }), new BatchNorm2d(planes))
        : null;
  }

  override forward(x: Value): Value {
    const out = this.bn2.forward(this.conv2.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x)))));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.relu.forward(F.add(out, identity));
  }
}

class ResNet18 extends Module {
  conv1 = new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new BatchNorm2d(64);
  relu = new ReLU();
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  layer1 = new Sequential(new BasicBlock(64, 64, 1), new BasicBlock(64, 64, 1));
  layer2 = new Sequential(new BasicBlock(64, 128, 2), new BasicBlock(128, 128, 1));
  layer3 = new Sequential(new BasicBlock(128, 256, 2), new BasicBlock(256, 256, 1));
  layer4 = new Sequential(new BasicBlock(256, 512, 2), new BasicBlock(512, 512, 1));
  avgpool = new AdaptiveAvgPool2d(1);
  flatten = new Flatten();
  fc = new Linear(512, 1000);

  override forward(x: Value): Value {
    let y = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    for (const layer of [this.layer1, this.layer2, this.layer3, this.layer4]) y = layer.forward(y);
    return this.fc.forward(this.flatten.forward(this.avgpool.forward(y)));
  }
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

/** The two ways to run the same ResNet-18 bytes, checked to agree; `close()` releases both sessions. */
export async function prepare(): Promise<{
  ours: () => Promise<number>;
  peer: () => Promise<number>;
  close: () => Promise<void>;
}> {
  const graph = new ResNet18().eval().toGraph({ inputs: { input: [1, 3, 224, 224] } });
  const exportStart = performance.now();
  const bytes = exportOnnx(graph);
  console.log(`exportOnnx(ResNet-18): ${(performance.now() - exportStart).toFixed(0)} ms, ${bytes.length} bytes`);
  const model = await ortNode.compile(graph, { device: 'cpu' });
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  const inputName = model.inputNames[0]!;
  const outputName = model.outputNames[0]!;
  const data = new Rng(1).uniformArray(3 * 224 * 224);
  const x = new Tensor('float32', [1, 3, 224, 224], data);
  const xOrt = new ort.Tensor('float32', data, [1, 3, 224, 224]);
  const ours = async () => (await model.run({ [inputName]: x }))[outputName]!.data as Float32Array;
  const peer = async () =>
    (await session.run({ [session.inputNames[0]!]: xOrt }))[session.outputNames[0]!]!.data as Float32Array;

  // Both paths must agree before their speed is worth comparing.
  const a = await ours();
  const b = await peer();
  for (let i = 0; i < b.length; i++) {
    if (a[i] !== b[i]) throw new Error(`overhead.bench: outputs differ at ${i}: ${a[i]} vs ${b[i]}`);
  }
  // Warm both sessions alike (ORT's arena and thread pool settle over the first runs), alternating.
  for (let i = 0; i < 10; i++) {
    await ours();
    await peer();
  }
  return {
    ours: async () => (await ours())[sink & 511]!,
    peer: async () => (await peer())[sink & 511]!,
    close: async () => {
      await model.dispose();
      await session.release();
    },
  };
}

export default async function (): Promise<Bench> {
  const { ours, peer, close } = await prepare();
  const bench = new Bench({ name: 'ort overhead', warmup: true, warmupIterations: 5, iterations: 60, time: 0 });
  bench.add(OURS, async () => {
    sink += await ours();
  });
  bench.add(PEER, async () => {
    sink += await peer();
  });
  bench.addEventListener('complete', () => void close());
  return bench;
}

/** Prints striate's median latency over onnxruntime-node's (same run, same machine, same ONNX bytes). */
export function report(bench: Bench): void {
  const median = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.p50 : undefined;
  };
  const ours = median(OURS);
  const peer = median(PEER);
  if (ours === undefined || peer === undefined) {
    console.log('ort overhead: no ratio (a task did not complete)');
    return;
  }
  const overhead = (ours / peer - 1) * 100;
  console.log(
    `ResNet-18 b1 cpu median: striate ${ours.toFixed(2)} ms, onnxruntime-node ${peer.toFixed(2)} ms; ` +
      `overhead ${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)}% (target <= 3%)`,
  );
}
