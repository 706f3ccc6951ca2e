/** MobileNetV2 (Sandler et al. 2018) as torchvision.models.mobilenetv2 (width multiplier 1.0, round nearest 8). */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { bn, conv, linear, makeDivisible } from '../internal/build.js';
import { convNormAct, lastOfEachReduction } from '../internal/layers.js';

class InvertedResidual extends Module {
  conv: Sequential;
  readonly useResConnect: boolean;

  constructor(inp: number, oup: number, stride: number, expandRatio: number) {
    super();
    const hidden = Math.round(inp * expandRatio);
    this.useResConnect = stride === 1 && inp === oup;
    const layers: Module[] = [];
    if (expandRatio !== 1) layers.push(convNormAct(inp, hidden, 1, { act: 'relu6' }));
    layers.push(
      convNormAct(hidden, hidden, 3, { stride, groups: hidden, act: 'relu6' }),
      conv(hidden, oup, 1, { bias: false }),
      bn(oup),
    );
    this.conv = new Sequential(...layers);
  }

  override forward(x: Value): Value {
    const y = this.conv.forward(x);
    return this.useResConnect ? F.add(x, y) : y;
  }
}

const SETTINGS: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

export class MobileNetV2 extends Backbone {
  features = new Sequential();
  avgpool = new AdaptiveAvgPool2d(1);
  classifier;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #taps: number[];
  readonly #lastChannel: number;
  readonly #dropRate: number;

  constructor(numClasses: number, inChannels: number, dropRate: number, widthMult = 1) {
    super();
    let inputChannel = makeDivisible(32 * widthMult, 8);
    this.#lastChannel = makeDivisible(1280 * Math.max(1, widthMult), 8);
    this.features.append(convNormAct(inChannels, inputChannel, 3, { stride: 2, act: 'relu6' }));
    const reductions = [2];
    const channels = [inputChannel];
    let reduction = 2;
    for (const [t, c, n, s] of SETTINGS) {
      const out = makeDivisible(c * widthMult, 8);
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? s : 1;
        this.features.append(new InvertedResidual(inputChannel, out, stride, t));
        inputChannel = out;
        reduction *= stride;
        reductions.push(reduction);
        channels.push(out);
      }
    }
    // The final 1x1 conv is the head's (timm's stage ends stop at the last inverted residual).
    this.features.append(convNormAct(inputChannel, this.#lastChannel, 1, { act: 'relu6' }));
    this.#taps = lastOfEachReduction(reductions).filter((i) => i > 0);
    this.featureInfo = this.#taps.map((i) => ({
      numChannels: channels[i]!,
      reduction: reductions[i]!,
      module: `features.${i}`,
    }));
    this.#dropRate = dropRate;
    this.numClasses = numClasses;
    this.classifier = new Sequential(new Dropout(dropRate), linear(this.#lastChannel, numClasses));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, this.#taps, last);
  }

  override forward(x: Value): Value {
    this.checkInputSize(x);
    return this.forwardHead(this.features.forward(x));
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = new Sequential(new Dropout(this.#dropRate), linear(this.#lastChannel, numClasses));
    this.numClasses = numClasses;
  }
}
