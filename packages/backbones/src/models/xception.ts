/** Xception (Chollet 2016) as timm's legacy_xception (Cadene's port): depthwise separable convolutions throughout. */
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
import { Backbone, type FeatureInfo, runStages } from '../backbone.js';
import { bn, conv, linear } from '../internal/build.js';

/** Depthwise 3x3 (conv1) then pointwise 1x1 (pointwise), both without bias. */
class SeparableConv2d extends Module {
  conv1;
  pointwise;
  constructor(inC: number, outC: number, k = 3, stride = 1, padding = 1) {
    super();
    this.conv1 = conv(inC, inC, k, { stride, padding, groups: inC, bias: false });
    this.pointwise = conv(inC, outC, 1, { bias: false });
  }
  override forward(x: Value): Value {
    return this.pointwise.forward(this.conv1.forward(x));
  }
}

class Block extends Module {
  skip;
  skipbn;
  rep: Sequential;
  constructor(inC: number, outC: number, reps: number, stride = 1, startWithRelu = true, growFirst = true) {
    super();
    const proj = outC !== inC || stride !== 1;
    this.skip = proj ? conv(inC, outC, 1, { stride, bias: false }) : null;
    this.skipbn = proj ? bn(outC) : null;
    const rep: Module[] = [];
    for (let i = 0; i < reps; i++) {
      const a = growFirst ? (i === 0 ? inC : outC) : inC;
      const b = growFirst ? outC : i < reps - 1 ? inC : outC;
      rep.push(new ReLU(), new SeparableConv2d(a, b), bn(b));
    }
    if (!startWithRelu) rep.shift();
    if (stride !== 1) rep.push(new MaxPool2d(3, { stride, padding: 1 }));
    this.rep = new Sequential(...rep);
  }
  override forward(x: Value): Value {
    const skip = this.skip && this.skipbn ? this.skipbn.forward(this.skip.forward(x)) : x;
    return F.add(this.rep.forward(x), skip);
  }
}

export class Xception extends Backbone {
  conv1;
  bn1 = bn(32);
  act1 = new ReLU();
  conv2 = conv(32, 64, 3, { bias: false });
  bn2 = bn(64);
  act2 = new ReLU();
  block1 = new Block(64, 128, 2, 2, false);
  block2 = new Block(128, 256, 2, 2);
  block3 = new Block(256, 728, 2, 2);
  block4 = new Block(728, 728, 3);
  block5 = new Block(728, 728, 3);
  block6 = new Block(728, 728, 3);
  block7 = new Block(728, 728, 3);
  block8 = new Block(728, 728, 3);
  block9 = new Block(728, 728, 3);
  block10 = new Block(728, 728, 3);
  block11 = new Block(728, 728, 3);
  block12 = new Block(728, 1024, 2, 2, true, false);
  conv3 = new SeparableConv2d(1024, 1536);
  bn3 = bn(1536);
  act3 = new ReLU();
  conv4 = new SeparableConv2d(1536, 2048);
  bn4 = bn(2048);
  act4 = new ReLU();
  global_pool = new AdaptiveAvgPool2d(1);
  head_drop: Dropout;
  fc;
  numClasses: number;
  readonly headNames = ['global_pool', 'head_drop', 'fc'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 2, module: 'act2' },
    { numChannels: 128, reduction: 4, module: 'block1' },
    { numChannels: 256, reduction: 8, module: 'block2' },
    { numChannels: 728, reduction: 16, module: 'block11' },
    { numChannels: 2048, reduction: 32, module: 'act4' },
  ];

  constructor(numClasses: number, inChannels: number, dropRate: number) {
    super();
    this.conv1 = conv(inChannels, 32, 3, { stride: 2, bias: false });
    this.head_drop = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.fc = linear(2048, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const stages: Module[][] = [
      [this.conv1, this.bn1, this.act1, this.conv2, this.bn2, this.act2],
      [this.block1],
      [this.block2],
      [
        this.block3,
        this.block4,
        this.block5,
        this.block6,
        this.block7,
        this.block8,
        this.block9,
        this.block10,
        this.block11,
      ],
      [this.block12, this.conv3, this.bn3, this.act3, this.conv4, this.bn4, this.act4],
    ];
    return runStages(x, stages, last);
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(this.head_drop.forward(F.flatten(this.global_pool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(2048, numClasses);
    this.numClasses = numClasses;
  }
}
