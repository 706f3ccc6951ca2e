/**
 * SqueezeNet 1.0 and 1.1 (Iandola et al. 2016), as torchvision.models.squeezenet: Fire modules (squeeze 1x1,
 * expand 1x1 and 3x3, concatenated), ceil-mode max pooling, a 1x1 conv classifier and global average pooling.
 * torchvision's fp16 weights for 1.1 load directly (state_dict keys features.N.squeeze.weight, classifier.1.weight).
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
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { conv } from '../internal/build.js';

/** torchvision.models.squeezenet.Fire. */
export class Fire extends Module {
  squeeze;
  squeezeActivation = new ReLU();
  expand1x1;
  expand1x1Activation = new ReLU();
  expand3x3;
  expand3x3Activation = new ReLU();

  constructor(inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number) {
    super();
    this.squeeze = conv(inplanes, squeezePlanes, 1);
    this.expand1x1 = conv(squeezePlanes, expand1x1Planes, 1);
    this.expand3x3 = conv(squeezePlanes, expand3x3Planes, 3, { padding: 1 });
  }

  override forward(x: Value): Value {
    const s = this.squeezeActivation.forward(this.squeeze.forward(x));
    const a = this.expand1x1Activation.forward(this.expand1x1.forward(s));
    const b = this.expand3x3Activation.forward(this.expand3x3.forward(s));
    return F.concat([a, b], 1);
  }
}

const pool = () => new MaxPool2d(3, { stride: 2, ceilMode: true });

export class SqueezeNet extends Backbone {
  features: Sequential;
  classifier: Sequential;
  numClasses: number;
  readonly headNames = ['classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #taps: number[];
  readonly #dropRate: number;

  constructor(version: '1_0' | '1_1', numClasses: number, inChannels: number, dropRate: number) {
    super();
    if (version === '1_0') {
      this.features = new Sequential(
        conv(inChannels, 96, 7, { stride: 2 }),
        new ReLU(),
        pool(),
        new Fire(96, 16, 64, 64),
        new Fire(128, 16, 64, 64),
        new Fire(128, 32, 128, 128),
        pool(),
        new Fire(256, 32, 128, 128),
        new Fire(256, 48, 192, 192),
        new Fire(384, 48, 192, 192),
        new Fire(384, 64, 256, 256),
        pool(),
        new Fire(512, 64, 256, 256),
      );
      this.#taps = [1, 5, 10, 12];
      this.featureInfo = [
        { numChannels: 96, reduction: 2, module: 'features.1' },
        { numChannels: 256, reduction: 4, module: 'features.5' },
        { numChannels: 512, reduction: 8, module: 'features.10' },
        { numChannels: 512, reduction: 16, module: 'features.12' },
      ];
    } else {
      this.features = new Sequential(
        conv(inChannels, 64, 3, { stride: 2 }),
        new ReLU(),
        pool(),
        new Fire(64, 16, 64, 64),
        new Fire(128, 16, 64, 64),
        pool(),
        new Fire(128, 32, 128, 128),
        new Fire(256, 32, 128, 128),
        pool(),
        new Fire(256, 48, 192, 192),
        new Fire(384, 48, 192, 192),
        new Fire(384, 64, 256, 256),
        new Fire(512, 64, 256, 256),
      );
      this.#taps = [1, 4, 7, 12];
      this.featureInfo = [
        { numChannels: 64, reduction: 2, module: 'features.1' },
        { numChannels: 128, reduction: 4, module: 'features.4' },
        { numChannels: 256, reduction: 8, module: 'features.7' },
        { numChannels: 512, reduction: 16, module: 'features.12' },
      ];
    }
    this.#dropRate = dropRate;
    this.numClasses = numClasses;
    this.classifier = this.#head(numClasses);
  }

  #head(numClasses: number): Sequential {
    return new Sequential(new Dropout(this.#dropRate), conv(512, numClasses, 1), new ReLU(), new AdaptiveAvgPool2d(1));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, this.#taps, last);
  }

  forwardHead(x: Value): Value {
    return F.flatten(this.classifier.forward(x), 1);
  }

  resetClassifier(numClasses: number): void {
    this.classifier = this.#head(numClasses);
    this.numClasses = numClasses;
  }
}
