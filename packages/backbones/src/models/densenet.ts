/** DenseNet-121/161/169/201 (Huang et al. 2016) as torchvision.models.densenet (memory_efficient is training-only). */
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  functional as F,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  type Value,
} from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { bn, conv, linear } from '../internal/build.js';

class DenseLayer extends Module {
  norm1;
  relu1 = new ReLU();
  conv1;
  norm2;
  relu2 = new ReLU();
  conv2;

  constructor(inC: number, growth: number, bnSize: number) {
    super();
    this.norm1 = bn(inC);
    this.conv1 = conv(inC, bnSize * growth, 1, { bias: false });
    this.norm2 = bn(bnSize * growth);
    this.conv2 = conv(bnSize * growth, growth, 3, { padding: 1, bias: false });
  }

  forwardList(inputs: Value[]): Value {
    const x = inputs.length === 1 ? inputs[0]! : F.concat(inputs, 1);
    const b = this.conv1.forward(this.relu1.forward(this.norm1.forward(x)));
    return this.conv2.forward(this.relu2.forward(this.norm2.forward(b)));
  }

  override forward(x: Value): Value {
    return this.forwardList([x]);
  }
}

class DenseBlock extends Module {
  readonly #layers: DenseLayer[] = [];
  constructor(numLayers: number, inC: number, bnSize: number, growth: number) {
    super();
    for (let i = 0; i < numLayers; i++) {
      const layer = new DenseLayer(inC + i * growth, growth, bnSize);
      this.registerModule(`denselayer${i + 1}`, layer);
      this.#layers.push(layer);
    }
  }
  override forward(x: Value): Value {
    const features = [x];
    for (const layer of this.#layers) features.push(layer.forwardList(features));
    return F.concat(features, 1);
  }
}

export class DenseNet extends Backbone {
  features;
  classifier;
  relu = new ReLU();
  avgpool = new AdaptiveAvgPool2d(1);
  numClasses: number;
  readonly headNames = ['classifier', 'relu', 'avgpool'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #numFeatures: number;

  constructor(growth: number, blocks: readonly number[], initFeatures: number, numClasses: number, inChannels: number) {
    super();
    const bnSize = 4;
    const seq = new Map<string, Module>([
      ['conv0', conv(inChannels, initFeatures, 7, { stride: 2, padding: 3, bias: false })],
      ['norm0', bn(initFeatures)],
      ['relu0', new ReLU()],
      ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })],
    ]);
    const info: FeatureInfo[] = [{ numChannels: initFeatures, reduction: 2, module: 'features.relu0' }];
    let nf = initFeatures;
    blocks.forEach((n, i) => {
      seq.set(`denseblock${i + 1}`, new DenseBlock(n, nf, bnSize, growth));
      nf += n * growth;
      if (i !== blocks.length - 1) {
        info.push({ numChannels: nf, reduction: 2 ** (i + 2), module: `features.denseblock${i + 1}` });
        seq.set(
          `transition${i + 1}`,
          new Sequential({
            norm: bn(nf),
            relu: new ReLU(),
            conv: conv(nf, Math.floor(nf / 2), 1, { bias: false }),
            pool: new AvgPool2d(2, { stride: 2 }),
          }),
        );
        nf = Math.floor(nf / 2);
      }
    });
    seq.set('norm5', bn(nf));
    info.push({ numChannels: nf, reduction: 32, module: 'features.norm5' });
    this.features = new Sequential(seq);
    this.featureInfo = info;
    this.#numFeatures = nf;
    this.numClasses = numClasses;
    this.classifier = linear(nf, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const taps = [2, 4, 6, 8, 11].slice(0, this.featureInfo.length - 1);
    taps.push(this.features.length - 1);
    return runTaps(this.features, x, taps, last);
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(this.relu.forward(x)), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = linear(this.#numFeatures, numClasses);
    this.numClasses = numClasses;
  }
}
