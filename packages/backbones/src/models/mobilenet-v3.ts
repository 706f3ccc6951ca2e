/** MobileNetV3 small and large (Howard et al. 2019) as torchvision.models.mobilenetv3. */
import { AdaptiveAvgPool2d, Dropout, functional as F, Hardswish, Module, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { linear, makeDivisible } from '../internal/build.js';
import { convNormAct, lastOfEachReduction, SqueezeExcitation } from '../internal/layers.js';

/** [in, kernel, expanded, out, useSE, activation, stride]. */
type Row = readonly [number, number, number, number, boolean, 'RE' | 'HS', number];

const LARGE: readonly Row[] = [
  [16, 3, 16, 16, false, 'RE', 1],
  [16, 3, 64, 24, false, 'RE', 2],
  [24, 3, 72, 24, false, 'RE', 1],
  [24, 5, 72, 40, true, 'RE', 2],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 5, 120, 40, true, 'RE', 1],
  [40, 3, 240, 80, false, 'HS', 2],
  [80, 3, 200, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 184, 80, false, 'HS', 1],
  [80, 3, 480, 112, true, 'HS', 1],
  [112, 3, 672, 112, true, 'HS', 1],
  [112, 5, 672, 160, true, 'HS', 2],
  [160, 5, 960, 160, true, 'HS', 1],
  [160, 5, 960, 160, true, 'HS', 1],
];

const SMALL: readonly Row[] = [
  [16, 3, 16, 16, true, 'RE', 2],
  [16, 3, 72, 24, false, 'RE', 2],
  [24, 3, 88, 24, false, 'RE', 1],
  [24, 5, 96, 40, true, 'HS', 2],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 120, 48, true, 'HS', 1],
  [48, 5, 144, 48, true, 'HS', 1],
  [48, 5, 288, 96, true, 'HS', 2],
  [96, 5, 576, 96, true, 'HS', 1],
  [96, 5, 576, 96, true, 'HS', 1],
];

const NORM = { eps: 0.001, momentum: 0.01 };

class InvertedResidual extends Module {
  block: Sequential;
  readonly useResConnect: boolean;

  constructor([inC, k, exp, out, se, act, stride]: Row) {
    super();
    this.useResConnect = stride === 1 && inC === out;
    const a = act === 'HS' ? 'hardswish' : 'relu';
    const layers: Module[] = [];
    if (exp !== inC) layers.push(convNormAct(inC, exp, 1, { ...NORM, act: a }));
    layers.push(convNormAct(exp, exp, k, { ...NORM, stride, groups: exp, act: a }));
    if (se) layers.push(new SqueezeExcitation(exp, makeDivisible(Math.floor(exp / 4), 8), 'relu', 'hardsigmoid'));
    layers.push(convNormAct(exp, out, 1, { ...NORM, act: null }));
    this.block = new Sequential(...layers);
  }

  override forward(x: Value): Value {
    const y = this.block.forward(x);
    return this.useResConnect ? F.add(y, x) : y;
  }
}

export class MobileNetV3 extends Backbone {
  features = new Sequential();
  avgpool = new AdaptiveAvgPool2d(1);
  classifier: Sequential;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #taps: number[];
  readonly #lastConv: number;
  readonly #lastChannel: number;
  readonly #dropRate: number;

  constructor(arch: 'small' | 'large', numClasses: number, inChannels: number, dropRate: number) {
    super();
    const rows = arch === 'small' ? SMALL : LARGE;
    this.#lastChannel = arch === 'small' ? 1024 : 1280;
    this.features.append(convNormAct(inChannels, rows[0]![0], 3, { ...NORM, stride: 2, act: 'hardswish' }));
    const reductions = [2];
    const channels = [rows[0]![0]];
    for (const row of rows) {
      this.features.append(new InvertedResidual(row));
      reductions.push(reductions[reductions.length - 1]! * row[6]);
      channels.push(row[3]);
    }
    const lastIn = rows[rows.length - 1]![3];
    this.#lastConv = 6 * lastIn;
    this.features.append(convNormAct(lastIn, this.#lastConv, 1, { ...NORM, act: 'hardswish' }));
    reductions.push(reductions[reductions.length - 1]!);
    channels.push(this.#lastConv);
    this.#taps = lastOfEachReduction(reductions);
    this.featureInfo = this.#taps.map((i) => ({
      numChannels: channels[i]!,
      reduction: reductions[i]!,
      module: `features.${i}`,
    }));
    this.#dropRate = dropRate;
    this.numClasses = numClasses;
    this.classifier = this.#head(numClasses);
  }

  #head(numClasses: number): Sequential {
    return new Sequential(
      linear(this.#lastConv, this.#lastChannel),
      new Hardswish(),
      new Dropout(this.#dropRate),
      linear(this.#lastChannel, numClasses),
    );
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, this.#taps, last);
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = this.#head(numClasses);
    this.numClasses = numClasses;
  }
}
