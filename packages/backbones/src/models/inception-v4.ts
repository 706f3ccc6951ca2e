/** Inception-v4 (Szegedy et al. 2016) with timm's module names (features.N, last_linear). */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo, runTaps } from '../backbone.js';
import { linear } from '../internal/build.js';
import { avgPool, cat, cna, maxPool, seq } from './timm-blocks.js';

class Mixed3a extends Module {
  maxpool = maxPool();
  conv = cna(64, 96, 3, 2);
  override forward(x: Value): Value {
    return cat([this.maxpool, this.conv], x);
  }
}
class Mixed4a extends Module {
  branch0 = seq(cna(160, 64, 1), cna(64, 96, 3));
  branch1 = seq(cna(160, 64, 1), cna(64, 64, [1, 7], 1, [0, 3]), cna(64, 64, [7, 1], 1, [3, 0]), cna(64, 96, 3));
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1], x);
  }
}
class Mixed5a extends Module {
  conv = cna(192, 192, 3, 2);
  maxpool = maxPool();
  override forward(x: Value): Value {
    return cat([this.conv, this.maxpool], x);
  }
}
class InceptionA extends Module {
  branch0 = cna(384, 96, 1);
  branch1 = seq(cna(384, 64, 1), cna(64, 96, 3, 1, 1));
  branch2 = seq(cna(384, 64, 1), cna(64, 96, 3, 1, 1), cna(96, 96, 3, 1, 1));
  branch3 = seq(avgPool(), cna(384, 96, 1));
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2, this.branch3], x);
  }
}
class ReductionA extends Module {
  branch0 = cna(384, 384, 3, 2);
  branch1 = seq(cna(384, 192, 1), cna(192, 224, 3, 1, 1), cna(224, 256, 3, 2));
  branch2 = maxPool();
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2], x);
  }
}
class InceptionB extends Module {
  branch0 = cna(1024, 384, 1);
  branch1 = seq(cna(1024, 192, 1), cna(192, 224, [1, 7], 1, [0, 3]), cna(224, 256, [7, 1], 1, [3, 0]));
  branch2 = seq(
    cna(1024, 192, 1),
    cna(192, 192, [7, 1], 1, [3, 0]),
    cna(192, 224, [1, 7], 1, [0, 3]),
    cna(224, 224, [7, 1], 1, [3, 0]),
    cna(224, 256, [1, 7], 1, [0, 3]),
  );
  branch3 = seq(avgPool(), cna(1024, 128, 1));
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2, this.branch3], x);
  }
}
class ReductionB extends Module {
  branch0 = seq(cna(1024, 192, 1), cna(192, 192, 3, 2));
  branch1 = seq(
    cna(1024, 256, 1),
    cna(256, 256, [1, 7], 1, [0, 3]),
    cna(256, 320, [7, 1], 1, [3, 0]),
    cna(320, 320, 3, 2),
  );
  branch2 = maxPool();
  override forward(x: Value): Value {
    return cat([this.branch0, this.branch1, this.branch2], x);
  }
}
class InceptionC extends Module {
  branch0 = cna(1536, 256, 1);
  branch1_0 = cna(1536, 384, 1);
  branch1_1a = cna(384, 256, [1, 3], 1, [0, 1]);
  branch1_1b = cna(384, 256, [3, 1], 1, [1, 0]);
  branch2_0 = cna(1536, 384, 1);
  branch2_1 = cna(384, 448, [3, 1], 1, [1, 0]);
  branch2_2 = cna(448, 512, [1, 3], 1, [0, 1]);
  branch2_3a = cna(512, 256, [1, 3], 1, [0, 1]);
  branch2_3b = cna(512, 256, [3, 1], 1, [1, 0]);
  branch3 = seq(avgPool(), cna(1536, 256, 1));
  override forward(x: Value): Value {
    const b1 = this.branch1_0.forward(x);
    const b2 = this.branch2_2.forward(this.branch2_1.forward(this.branch2_0.forward(x)));
    return F.concat(
      [
        this.branch0.forward(x),
        this.branch1_1a.forward(b1),
        this.branch1_1b.forward(b1),
        this.branch2_3a.forward(b2),
        this.branch2_3b.forward(b2),
        this.branch3.forward(x),
      ],
      1,
    );
  }
}

export class InceptionV4 extends Backbone {
  features: Sequential;
  global_pool = new AdaptiveAvgPool2d(1);
  head_drop: Dropout;
  last_linear;
  numClasses: number;
  readonly headNames = ['global_pool', 'head_drop', 'last_linear'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 2, module: 'features.2' },
    { numChannels: 160, reduction: 4, module: 'features.3' },
    { numChannels: 384, reduction: 8, module: 'features.9' },
    { numChannels: 1024, reduction: 16, module: 'features.17' },
    { numChannels: 1536, reduction: 32, module: 'features.21' },
  ];

  constructor(numClasses: number, inChannels: number, dropRate: number) {
    super();
    const ms: Module[] = [
      cna(inChannels, 32, 3, 2),
      cna(32, 32, 3),
      cna(32, 64, 3, 1, 1),
      new Mixed3a(),
      new Mixed4a(),
      new Mixed5a(),
    ];
    for (let i = 0; i < 4; i++) ms.push(new InceptionA());
    ms.push(new ReductionA());
    for (let i = 0; i < 7; i++) ms.push(new InceptionB());
    ms.push(new ReductionB());
    for (let i = 0; i < 3; i++) ms.push(new InceptionC());
    this.features = new Sequential(...ms);
    this.head_drop = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.last_linear = linear(1536, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return runTaps(this.features, x, [2, 3, 9, 17, 21], last);
  }

  forwardHead(x: Value): Value {
    return this.last_linear.forward(this.head_drop.forward(F.flatten(this.global_pool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.last_linear = linear(1536, numClasses);
    this.numClasses = numClasses;
  }
}
