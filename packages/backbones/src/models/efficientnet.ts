/**
 * EfficientNet B0-B7 (Tan & Le 2019) as torchvision.models.efficientnet: the B0 stages scaled by a width and a
 * depth multiplier per variant (channels rounded with _make_divisible(c * width, 8), layers ceil(n * depth)).
 */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { linear, makeDivisible } from '../internal/build.js';
import { convNormAct, SqueezeExcitation } from '../internal/layers.js';

/** B0's stages: [expandRatio, kernel, stride, inChannels, outChannels, layers]. */
export const B0_STAGES: readonly (readonly [number, number, number, number, number, number])[] = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
];

/**
 * Compound scaling per variant: [width, depth, resolution, dropout]. The paper's rule is depth alpha^phi, width
 * beta^phi, resolution gamma^phi with alpha 1.2, beta 1.1, gamma 1.15; the released models (and torchvision)
 * use these rounded coefficients.
 */
export const EFFICIENTNET_SCALING: Readonly<Record<string, readonly [number, number, number, number]>> = {
  b0: [1.0, 1.0, 224, 0.2],
  b1: [1.0, 1.1, 240, 0.2],
  b2: [1.1, 1.2, 260, 0.3],
  b3: [1.2, 1.4, 300, 0.3],
  b4: [1.4, 1.8, 380, 0.4],
  b5: [1.6, 2.2, 456, 0.4],
  b6: [1.8, 2.6, 528, 0.5],
  b7: [2.0, 3.1, 600, 0.5],
};

class MBConv extends Module {
  block: Sequential;
  readonly useResConnect: boolean;

  constructor(expand: number, k: number, stride: number, inC: number, outC: number, eps: number) {
    super();
    this.useResConnect = stride === 1 && inC === outC;
    const expanded = makeDivisible(inC * expand, 8);
    const layers: Module[] = [];
    if (expanded !== inC) layers.push(convNormAct(inC, expanded, 1, { act: 'silu', eps }));
    layers.push(convNormAct(expanded, expanded, k, { stride, groups: expanded, act: 'silu', eps }));
    layers.push(new SqueezeExcitation(expanded, Math.max(1, Math.floor(inC / 4)), 'silu', 'sigmoid'));
    layers.push(convNormAct(expanded, outC, 1, { act: null, eps }));
    this.block = new Sequential(...layers);
  }

  override forward(x: Value): Value {
    // Stochastic depth is the identity at inference.
    const y = this.block.forward(x);
    return this.useResConnect ? F.add(y, x) : y;
  }
}

export class EfficientNet extends Backbone {
  features = new Sequential();
  avgpool = new AdaptiveAvgPool2d(1);
  classifier: Sequential;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #lastChannel: number;
  readonly #dropRate: number;

  constructor(variant: string, numClasses: number, inChannels: number, dropRate: number | undefined) {
    super();
    const scaling = EFFICIENTNET_SCALING[variant];
    if (!scaling) throw new RangeError(`EfficientNet: variant: expected b0..b7, got '${variant}'`);
    const [width, depth, , dropout] = scaling;
    // torchvision builds B5-B7 with BatchNorm eps 1e-3 (the TF checkpoints' value), B0-B4 with 1e-5.
    const eps = ['b5', 'b6', 'b7'].includes(variant) ? 1e-3 : 1e-5;
    const ch = (c: number) => makeDivisible(c * width, 8);
    const stages = B0_STAGES.map(([e, k, s, i, o, n]) => [e, k, s, ch(i), ch(o), Math.ceil(n * depth)] as const);
    this.features.append(convNormAct(inChannels, stages[0]![3], 3, { stride: 2, act: 'silu', eps }));
    const info: FeatureInfo[] = [];
    let reduction = 2;
    for (const [e, k, s, inC, outC, n] of stages) {
      const stage = new Sequential();
      for (let i = 0; i < n; i++) stage.append(new MBConv(e, k, i === 0 ? s : 1, i === 0 ? inC : outC, outC, eps));
      this.features.append(stage);
      reduction *= s;
      const idx = this.features.length - 1;
      const entry = { numChannels: outC, reduction, module: `features.${idx}` };
      if (info.length > 0 && info[info.length - 1]!.reduction === reduction) info[info.length - 1] = entry;
      else info.push(entry);
    }
    this.featureInfo = info;
    const lastIn = stages[stages.length - 1]![4];
    this.#lastChannel = 4 * lastIn;
    this.features.append(convNormAct(lastIn, this.#lastChannel, 1, { act: 'silu', eps }));
    this.#dropRate = dropRate ?? dropout;
    this.numClasses = numClasses;
    this.classifier = new Sequential(new Dropout(this.#dropRate), linear(this.#lastChannel, numClasses));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(
      this.features,
      x,
      this.featureInfo.map((f) => Number(f.module.split('.')[1])),
      last,
    );
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
