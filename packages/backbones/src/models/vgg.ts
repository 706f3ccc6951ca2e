/** VGG (Simonyan & Zisserman 2014), configurations A/B/D/E with and without BatchNorm, as torchvision.models.vgg. */
import { Dropout, functional as F, MaxPool2d, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { AdaptiveAvgPool } from '../internal/adaptive-pool.js';
import { bn, conv, linear } from '../internal/build.js';

type Cfg = readonly (number | 'M')[];

export const VGG_CFGS: Readonly<Record<'A' | 'B' | 'D' | 'E', Cfg>> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

export class VGG extends Backbone {
  features = new Sequential();
  avgpool = new AdaptiveAvgPool(7);
  classifier;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #taps: number[] = [];

  constructor(cfg: Cfg, batchNorm: boolean, numClasses: number, inChannels: number, dropRate: number) {
    super();
    let c = inChannels;
    const info: FeatureInfo[] = [];
    for (const v of cfg) {
      if (v === 'M') {
        this.features.append(new MaxPool2d(2, { stride: 2 }));
        const i = this.features.length - 1;
        this.#taps.push(i);
        info.push({ numChannels: c, reduction: 2 ** (info.length + 1), module: `features.${i}` });
      } else {
        this.features.append(conv(c, v, 3, { padding: 1 }));
        if (batchNorm) this.features.append(bn(v));
        this.features.append(new ReLU());
        c = v;
      }
    }
    this.featureInfo = info;
    this.numClasses = numClasses;
    this.classifier = new Sequential(
      linear(512 * 7 * 7, 4096),
      new ReLU(),
      new Dropout(dropRate),
      linear(4096, 4096),
      new ReLU(),
      new Dropout(dropRate),
      linear(4096, numClasses),
    );
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, this.#taps, last);
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = new Sequential(...[...this.classifier].slice(0, 6), linear(4096, numClasses));
    this.numClasses = numClasses;
  }
}
