/** LeNet-5 (1998) and AlexNet (torchvision's single-GPU variant, from "One weird trick"). */
import { AvgPool2d, Dropout, functional as F, MaxPool2d, ReLU, Sequential, Tanh, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { AdaptiveAvgPool } from '../internal/adaptive-pool.js';
import { conv, linear } from '../internal/build.js';

/**
 * LeNet-5 as laid out in LeCun et al. 1998 (C1 conv 5x5 -> 6, S2 2x2 subsampling, C3 conv 5x5 -> 16, S4, C5 conv
 * 5x5 -> 120, F6 120 -> 84, output 84 -> classes) on 32x32 inputs, with tanh, with the common simplifications:
 * C3 fully connected to S2, average pooling without trainable coefficients, and a linear output layer in place of
 * the RBF units. That gives the widely reproduced count of 61,706 parameters for 10 classes.
 */
export class LeNet5 extends Backbone {
  features;
  classifier;
  numClasses: number;
  readonly headNames = ['classifier'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 6, reduction: 2, module: 'features.2' },
    { numChannels: 16, reduction: 4, module: 'features.5' },
    { numChannels: 120, reduction: 28, module: 'features.7' },
  ];

  constructor(numClasses: number, inChannels: number) {
    super();
    this.features = new Sequential(
      conv(inChannels, 6, 5),
      new Tanh(),
      new AvgPool2d(2),
      conv(6, 16, 5),
      new Tanh(),
      new AvgPool2d(2),
      conv(16, 120, 5),
      new Tanh(),
    );
    this.numClasses = numClasses;
    this.classifier = new Sequential(linear(120, 84), new Tanh(), linear(84, numClasses));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, [2, 5, 7], last);
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(x, 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = new Sequential(...[...this.classifier].slice(0, 2), linear(84, numClasses));
    this.numClasses = numClasses;
  }
}

/** torchvision.models.AlexNet. */
export class AlexNet extends Backbone {
  features;
  avgpool = new AdaptiveAvgPool(6);
  classifier;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 4, module: 'features.1' },
    { numChannels: 192, reduction: 8, module: 'features.4' },
    { numChannels: 256, reduction: 16, module: 'features.11' },
    { numChannels: 256, reduction: 32, module: 'features.12' },
  ];
  constructor(numClasses: number, inChannels: number, dropRate: number) {
    super();
    this.features = new Sequential(
      conv(inChannels, 64, 11, { stride: 4, padding: 2 }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
      conv(64, 192, 5, { padding: 2 }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
      conv(192, 384, 3, { padding: 1 }),
      new ReLU(),
      conv(384, 256, 3, { padding: 1 }),
      new ReLU(),
      conv(256, 256, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(3, { stride: 2 }),
    );
    this.numClasses = numClasses;
    this.classifier = new Sequential(
      new Dropout(dropRate),
      linear(256 * 6 * 6, 4096),
      new ReLU(),
      new Dropout(dropRate),
      linear(4096, 4096),
      new ReLU(),
      linear(4096, numClasses),
    );
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, [1, 4, 11, 12], last);
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = new Sequential(...[...this.classifier].slice(0, 6), linear(4096, numClasses));
    this.numClasses = numClasses;
  }
}
