/** Inception-ResNet-v2 (Szegedy et al. 2016) with timm's module names (conv2d_1a, mixed_5b, repeat, classif). */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runStages } from '../backbone.js';
import { conv, linear } from '../internal/build.js';
import { avgPool, cat, cna, maxPool, seq } from './timm-blocks.js';

class Mixed5b extends Module {
  branch0 = cna(192, 96, 1);
  branch1 = seq(cna(192, 48, 1), cna(48, 64, 5, 1, 2));
  branch2 = seq(cna(192, 64, 1), cna(64, 96, 3, 1, 1), cna(96, 96, 3, 1, 1));
  branch3 = seq(avgPool(), cna(192, 64, 1));
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2, this.branch3], x);
  }
}

/** A residual Inception block: x + scale * conv2d(concat(branches)), then ReLU (unless noRelu). */
abstract class ResidualInception extends Module {
  abstract conv2d: Module;
  relu: ReLU | null;
  constructor(
    readonly scale: number,
    noRelu = false,
  ) {
    super();
    this.relu = noRelu ? null : new ReLU();
  }
  abstract branches(): Module[];
  override forward(x: Value): Value {
    const up = this.conv2d.forward(cat(this.branches(), x)) as Value;
    const out = F.add(F.mul(up, this.scale), x);
    return this.relu ? this.relu.forward(out) : out;
  }
}

class Block35 extends ResidualInception {
  branch0 = cna(320, 32, 1);
  branch1 = seq(cna(320, 32, 1), cna(32, 32, 3, 1, 1));
  branch2 = seq(cna(320, 32, 1), cna(32, 48, 3, 1, 1), cna(48, 64, 3, 1, 1));
  conv2d = conv(128, 320, 1);
  branches = () => [this.branch0, this.branch1, this.branch2];
}

class Mixed6a extends Module {
  branch0 = cna(320, 384, 3, 2);
  branch1 = seq(cna(320, 256, 1), cna(256, 256, 3, 1, 1), cna(256, 384, 3, 2));
  branch2 = maxPool();
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2], x);
  }
}

class Block17 extends ResidualInception {
  branch0 = cna(1088, 192, 1);
  branch1 = seq(cna(1088, 128, 1), cna(128, 160, [1, 7], 1, [0, 3]), cna(160, 192, [7, 1], 1, [3, 0]));
  conv2d = conv(384, 1088, 1);
  branches = () => [this.branch0, this.branch1];
}

class Mixed7a extends Module {
  branch0 = seq(cna(1088, 256, 1), cna(256, 384, 3, 2));
  branch1 = seq(cna(1088, 256, 1), cna(256, 288, 3, 2));
  branch2 = seq(cna(1088, 256, 1), cna(256, 288, 3, 1, 1), cna(288, 320, 3, 2));
  branch3 = maxPool();
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2, this.branch3], x);
  }
}

class Block8 extends ResidualInception {
  branch0 = cna(2080, 192, 1);
  branch1 = seq(cna(2080, 192, 1), cna(192, 224, [1, 3], 1, [0, 1]), cna(224, 256, [3, 1], 1, [1, 0]));
  conv2d = conv(448, 2080, 1);
  branches = () => [this.branch0, this.branch1];
}

const repeat = (n: number, make: () => Module) => new Sequential(...Array.from({ length: n }, make));

export class InceptionResNetV2 extends Backbone {
  conv2d_1a;
  conv2d_2a = cna(32, 32, 3);
  conv2d_2b = cna(32, 64, 3, 1, 1);
  maxpool_3a = maxPool();
  conv2d_3b = cna(64, 80, 1);
  conv2d_4a = cna(80, 192, 3);
  maxpool_5a = maxPool();
  mixed_5b = new Mixed5b();
  repeat = repeat(10, () => new Block35(0.17));
  mixed_6a = new Mixed6a();
  repeat_1 = repeat(20, () => new Block17(0.1));
  mixed_7a = new Mixed7a();
  repeat_2 = repeat(9, () => new Block8(0.2));
  block8 = new Block8(1.0, true);
  conv2d_7b = cna(2080, 1536, 1);
  global_pool = new AdaptiveAvgPool2d(1);
  head_drop: Dropout;
  classif;
  numClasses: number;
  readonly headNames = ['global_pool', 'head_drop', 'classif'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 2, module: 'conv2d_2b' },
    { numChannels: 192, reduction: 4, module: 'conv2d_4a' },
    { numChannels: 320, reduction: 8, module: 'repeat' },
    { numChannels: 1088, reduction: 16, module: 'repeat_1' },
    { numChannels: 1536, reduction: 32, module: 'conv2d_7b' },
  ];

  constructor(numClasses: number, inChannels: number, dropRate: number) {
    super();
    this.conv2d_1a = cna(inChannels, 32, 3, 2);
    this.head_drop = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.classif = linear(1536, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const stages: Module[][] = [
      [this.conv2d_1a, this.conv2d_2a, this.conv2d_2b],
      [this.maxpool_3a, this.conv2d_3b, this.conv2d_4a],
      [this.maxpool_5a, this.mixed_5b, this.repeat],
      [this.mixed_6a, this.repeat_1],
      [this.mixed_7a, this.repeat_2, this.block8, this.conv2d_7b],
    ];
    return runStages(x, stages, last);
  }

  forwardHead(x: Value): Value {
    return this.classif.forward(this.head_drop.forward(F.flatten(this.global_pool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.classif = linear(1536, numClasses);
    this.numClasses = numClasses;
  }
}
