/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014) as torchvision.models.googlenet: Inception modules with 1x1
 * bottlenecks (torchvision's "5x5" branch uses a 3x3 kernel, kept for weight compatibility), BatchNorm after every
 * conv, and optional auxiliary classifiers (aux1, aux2) that only run when traced in training mode.
 */
import {
  AdaptiveAvgPool2d,
  Dropout,
  functional as F,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  type Value,
} from '@striate/core';
import { Backbone, type FeatureInfo } from '../backbone.js';
import { AdaptiveAvgPool } from '../internal/adaptive-pool.js';
import { bn, conv, linear } from '../internal/build.js';

/** Conv (no bias) + BatchNorm (eps 1e-3) + ReLU, as torchvision's BasicConv2d (keys conv.*, bn.*). */
export class BasicConv2d extends Module {
  conv;
  bn;
  relu = new ReLU();
  constructor(
    inC: number,
    outC: number,
    k: number | [number, number],
    o: { stride?: number; padding?: number | [number, number] } = {},
  ) {
    super();
    this.conv = conv(inC, outC, k, { ...o, bias: false });
    this.bn = bn(outC, { eps: 0.001 });
  }
  override forward(x: Value): Value {
    return this.relu.forward(this.bn.forward(this.conv.forward(x)));
  }
}

class Inception extends Module {
  branch1;
  branch2;
  branch3;
  branch4;
  constructor(inC: number, c1: number, c3r: number, c3: number, c5r: number, c5: number, pool: number) {
    super();
    this.branch1 = new BasicConv2d(inC, c1, 1);
    this.branch2 = new Sequential(new BasicConv2d(inC, c3r, 1), new BasicConv2d(c3r, c3, 3, { padding: 1 }));
    this.branch3 = new Sequential(new BasicConv2d(inC, c5r, 1), new BasicConv2d(c5r, c5, 3, { padding: 1 }));
    this.branch4 = new Sequential(
      new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }),
      new BasicConv2d(inC, pool, 1),
    );
  }
  override forward(x: Value): Value {
    return F.concat(
      [this.branch1, this.branch2, this.branch3, this.branch4].map((b) => b.forward(x)),
      1,
    );
  }
}

class InceptionAux extends Module {
  pool = new AdaptiveAvgPool(4);
  conv;
  fc1;
  fc2;
  relu = new ReLU();
  dropout = new Dropout(0.7);
  constructor(inC: number, numClasses: number) {
    super();
    this.conv = new BasicConv2d(inC, 128, 1);
    this.fc1 = linear(2048, 1024);
    this.fc2 = linear(1024, numClasses);
  }
  override forward(x: Value): Value {
    const y = F.flatten(this.conv.forward(this.pool.forward(x)), 1);
    return this.fc2.forward(this.dropout.forward(this.relu.forward(this.fc1.forward(y))));
  }
}

const ceilPool = (k: number) => new MaxPool2d(k, { stride: 2, ceilMode: true });

export class GoogLeNet extends Backbone {
  conv1;
  maxpool1 = ceilPool(3);
  conv2;
  conv3;
  maxpool2 = ceilPool(3);
  inception3a;
  inception3b;
  maxpool3 = ceilPool(3);
  inception4a;
  inception4b;
  inception4c;
  inception4d;
  inception4e;
  maxpool4 = ceilPool(2);
  inception5a;
  inception5b;
  aux1: InceptionAux | null;
  aux2: InceptionAux | null;
  avgpool = new AdaptiveAvgPool2d(1);
  dropout: Dropout;
  fc;
  numClasses: number;
  readonly headNames = ['aux1', 'aux2', 'avgpool', 'dropout', 'fc'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 2, module: 'conv1' },
    { numChannels: 192, reduction: 4, module: 'conv3' },
    { numChannels: 480, reduction: 8, module: 'inception3b' },
    { numChannels: 832, reduction: 16, module: 'inception4e' },
    { numChannels: 1024, reduction: 32, module: 'inception5b' },
  ];

  constructor(numClasses: number, inChannels: number, dropRate: number, auxLogits: boolean) {
    super();
    this.conv1 = new BasicConv2d(inChannels, 64, 7, { stride: 2, padding: 3 });
    this.conv2 = new BasicConv2d(64, 64, 1);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1 });
    this.inception3a = new Inception(192, 64, 96, 128, 16, 32, 32);
    this.inception3b = new Inception(256, 128, 128, 192, 32, 96, 64);
    this.inception4a = new Inception(480, 192, 96, 208, 16, 48, 64);
    this.inception4b = new Inception(512, 160, 112, 224, 24, 64, 64);
    this.inception4c = new Inception(512, 128, 128, 256, 24, 64, 64);
    this.inception4d = new Inception(512, 112, 144, 288, 32, 64, 64);
    this.inception4e = new Inception(528, 256, 160, 320, 32, 128, 128);
    this.inception5a = new Inception(832, 256, 160, 320, 32, 128, 128);
    this.inception5b = new Inception(832, 384, 192, 384, 48, 128, 128);
    this.aux1 = auxLogits ? new InceptionAux(512, numClasses) : null;
    this.aux2 = auxLogits ? new InceptionAux(528, numClasses) : null;
    this.dropout = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.fc = linear(1024, numClasses);
  }

  /** Stage outputs; with `aux` also collects the auxiliary logits (training-mode traces). */
  #run(x: Value, last: number, aux: Value[] | null): Value[] {
    const out = [this.conv1.forward(x)];
    const steps: ((v: Value) => Value)[] = [
      (v) => this.conv3.forward(this.conv2.forward(this.maxpool1.forward(v))),
      (v) => this.inception3b.forward(this.inception3a.forward(this.maxpool2.forward(v))),
      (v) => {
        let y = this.inception4a.forward(this.maxpool3.forward(v));
        if (aux && this.aux1) aux.push(this.aux1.forward(y));
        y = this.inception4d.forward(this.inception4c.forward(this.inception4b.forward(y)));
        if (aux && this.aux2) aux.push(this.aux2.forward(y));
        return this.inception4e.forward(y);
      },
      (v) => this.inception5b.forward(this.inception5a.forward(this.maxpool4.forward(v))),
    ];
    for (const step of steps) {
      if (out.length > last) break;
      out.push(step(out[out.length - 1]!));
    }
    return out;
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return this.#run(x, last, null);
  }

  override forward(x: Value): Value | Value[] {
    this.checkInputSize(x);
    const training = this.tracingTraining(x) && this.aux1 !== null;
    const aux: Value[] = [];
    const feats = this.#run(x, 4, training ? aux : null);
    const logits = this.forwardHead(feats[4]!);
    return training ? [logits, aux[1]!, aux[0]!] : logits;
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(this.dropout.forward(F.flatten(this.avgpool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(1024, numClasses);
    this.numClasses = numClasses;
  }
}
