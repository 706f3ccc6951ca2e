/** MNASNet 1.0 (Tan et al. 2018) as torchvision.models.mnasnet (BatchNorm momentum 1 - 0.9997). */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { bn as bnBase, conv, linear } from '../internal/build.js';

const bn = (c: number) => bnBase(c, { momentum: 1 - 0.9997 });

class MnasInvertedResidual extends Module {
  layers: Sequential;
  readonly applyResidual: boolean;
  constructor(inC: number, outC: number, k: number, stride: number, expansion: number) {
    super();
    const mid = inC * expansion;
    this.applyResidual = inC === outC && stride === 1;
    this.layers = new Sequential(
      conv(inC, mid, 1, { bias: false }),
      bn(mid),
      new ReLU(),
      conv(mid, mid, k, { padding: Math.floor(k / 2), stride, groups: mid, bias: false }),
      bn(mid),
      new ReLU(),
      conv(mid, outC, 1, { bias: false }),
      bn(outC),
    );
  }
  override forward(x: Value): Value {
    const y = this.layers.forward(x);
    return this.applyResidual ? F.add(y, x) : y;
  }
}

function stack(inC: number, outC: number, k: number, stride: number, exp: number, repeats: number): Sequential {
  const s = new Sequential(new MnasInvertedResidual(inC, outC, k, stride, exp));
  for (let i = 1; i < repeats; i++) s.append(new MnasInvertedResidual(outC, outC, k, 1, exp));
  return s;
}

/** torchvision's _round_to_multiple_of(val * alpha, 8) with round-up bias 0.9. */
function depths(alpha: number): number[] {
  return [32, 16, 24, 40, 80, 96, 192, 320].map((d) => {
    const v = d * alpha;
    const n = Math.max(8, Math.floor(v + 4) - (Math.floor(v + 4) % 8));
    return n >= 0.9 * v ? n : n + 8;
  });
}

export class MNASNet extends Backbone {
  layers: Sequential;
  avgpool = new AdaptiveAvgPool2d(1);
  classifier: Sequential;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #dropRate: number;

  constructor(alpha: number, numClasses: number, inChannels: number, dropRate: number) {
    super();
    const d = depths(alpha) as [number, number, number, number, number, number, number, number];
    this.layers = new Sequential(
      conv(inChannels, d[0], 3, { padding: 1, stride: 2, bias: false }),
      bn(d[0]),
      new ReLU(),
      conv(d[0], d[0], 3, { padding: 1, groups: d[0], bias: false }),
      bn(d[0]),
      new ReLU(),
      conv(d[0], d[1], 1, { bias: false }),
      bn(d[1]),
      stack(d[1], d[2], 3, 2, 3, 3),
      stack(d[2], d[3], 5, 2, 3, 3),
      stack(d[3], d[4], 5, 2, 6, 3),
      stack(d[4], d[5], 3, 1, 6, 2),
      stack(d[5], d[6], 5, 2, 6, 4),
      stack(d[6], d[7], 3, 1, 6, 1),
      conv(d[7], 1280, 1, { bias: false }),
      bn(1280),
      new ReLU(),
    );
    this.featureInfo = [
      { numChannels: d[1], reduction: 2, module: 'layers.7' },
      { numChannels: d[2], reduction: 4, module: 'layers.8' },
      { numChannels: d[3], reduction: 8, module: 'layers.9' },
      { numChannels: d[5], reduction: 16, module: 'layers.11' },
      { numChannels: d[7], reduction: 32, module: 'layers.13' },
    ];
    this.#dropRate = dropRate;
    this.numClasses = numClasses;
    this.classifier = new Sequential(new Dropout(dropRate), linear(1280, numClasses));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.layers, x, [7, 8, 9, 11, 13], last);
  }

  override forward(x: Value): Value {
    this.checkInputSize(x);
    return this.forwardHead(this.layers.forward(x));
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = new Sequential(new Dropout(this.#dropRate), linear(1280, numClasses));
    this.numClasses = numClasses;
  }
}
