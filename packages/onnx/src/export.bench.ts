/**
 * `exportOnnx` of a ResNet-50 graph (torchvision's layout, 25.6M parameters, built here with the Module API),
 * against the floor of any writer measured in the same run: copying the same weight bytes once into one buffer.
 *
 * Run: `cd packages/onnx && pnpm exec tsx --conditions=@striate/source ../../scripts/run-benches.ts export`
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
  Sequential,
  type Value,
} from '@striate/core';
import { Bench } from 'tinybench';
import { exportOnnx } from './export.js';

class Bottleneck extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  conv2: Conv2d;
  bn2: BatchNorm2d;
  conv3: Conv2d;
  bn3: BatchNorm2d;
  relu = new ReLU();
  downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride: number) {
    super();
    this.conv1 = new Conv2d(inplanes, planes, 1, { bias: false });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { stride, padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.conv3 = new Conv2d(planes, planes * 4, 1, { bias: false });
    this.bn3 = new BatchNorm2d(planes * 4);
    this.downsample =
      stride !== 1 || inplanes !== planes * 4
        ? new Sequential(new Conv2d(inplanes, planes * 4, 1, { stride, bias: false }), new BatchNorm2d(planes * 4))
        : null;
  }

  override forward(x: Value): Value {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    return this.relu.forward(F.add(out, this.downsample ? this.downsample.forward(x) : x));
  }
}

class ResNet50 extends Module {
  conv1 = new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false });
  bn1 = new BatchNorm2d(64);
  relu = new ReLU();
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  layer1: Sequential;
  layer2: Sequential;
  layer3: Sequential;
  layer4: Sequential;
  avgpool = new AdaptiveAvgPool2d(1);
  flatten = new Flatten();
  fc = new Linear(2048, 1000);

  constructor() {
    super();
    let inplanes = 64;
    const layer = (planes: number, blocks: number, stride: number): Sequential => {
      const list = [new Bottleneck(inplanes, planes, stride)];
      inplanes = planes * 4;
      for (let i = 1; i < blocks; i++) list.push(new Bottleneck(inplanes, planes, 1));
      return new Sequential(...list);
    };
    this.layer1 = layer(64, 3, 1);
    this.layer2 = layer(128, 4, 2);
    this.layer3 = layer(256, 6, 2);
    this.layer4 = layer(512, 3, 2);
  }

  override forward(x: Value): Value {
    let y = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    y = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(y))));
    return this.fc.forward(this.flatten.forward(this.avgpool.forward(y)));
  }
}

const OURS = 'exportOnnx ResNet-50 (striate)';
const PEER = 'copy of the weight bytes (floor)';

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default function (): Bench {
  const model = new ResNet50();
  const params = model.numParameters();
  if (params !== 25_557_032)
    throw new Error(`export.bench: ResNet-50 should have 25,557,032 parameters, got ${params}`);
  const graph = model.toGraph({ inputs: { input: ['N', 3, 224, 224] } });
  const weights = [...graph.initializers.values()].map(
    (t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  );
  const total = weights.reduce((s, w) => s + w.length, 0);
  const bench = new Bench({ name: 'export', warmup: true, warmupIterations: 2, iterations: 10, time: 2000 });
  bench.add(OURS, () => {
    const bytes = exportOnnx(graph);
    sink += bytes[(sink & 0xffff) % bytes.length]!;
  });
  bench.add(PEER, () => {
    const out = new Uint8Array(total);
    let at = 0;
    for (const w of weights) {
      out.set(w, at);
      at += w.length;
    }
    sink += out[(sink & 0xffff) % out.length]!;
  });
  return bench;
}

/** Prints the mean time of each and their ratio (same run, same machine). */
export function report(bench: Bench): void {
  const mean = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.mean : undefined;
  };
  const ours = mean(OURS);
  const peer = mean(PEER);
  if (ours === undefined || peer === undefined) {
    console.log('export: no ratio (a task did not complete)');
    return;
  }
  console.log(
    `exportOnnx ResNet-50: ${ours.toFixed(1)} ms per export; copying its weight bytes once: ${peer.toFixed(1)} ms; ` +
      `ratio = ${(ours / peer).toFixed(2)}x (target: under 1,000 ms)`,
  );
}
