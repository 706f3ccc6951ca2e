/**
 * Inception v3 (Szegedy et al. 2015) as torchvision.models.inception_v3: factorized convolutions (5x5 as two 3x3,
 * 7x7 as 1x7 + 7x1), BatchNorm eps 1e-3, 299x299 inputs, and the optional auxiliary classifier (AuxLogits) that
 * only runs when traced in training mode.
 */
import { AdaptiveAvgPool2d, AvgPool2d, Dropout, functional as F, MaxPool2d, Module, type Value } from '@striate/core';
import { Backbone, chain, type FeatureInfo } from '../backbone.js';
import { linear } from '../internal/build.js';
import { BasicConv2d as BC } from './googlenet.js';

const avg3 = () => new AvgPool2d(3, { stride: 1, padding: 1 });
const max3 = () => new MaxPool2d(3, { stride: 2 });

class InceptionA extends Module {
  branch1x1;
  branch5x5_1;
  branch5x5_2;
  branch3x3dbl_1;
  branch3x3dbl_2;
  branch3x3dbl_3;
  pool = avg3();
  branch_pool;
  constructor(inC: number, poolFeatures: number) {
    super();
    this.branch1x1 = new BC(inC, 64, 1);
    this.branch5x5_1 = new BC(inC, 48, 1);
    this.branch5x5_2 = new BC(48, 64, 5, { padding: 2 });
    this.branch3x3dbl_1 = new BC(inC, 64, 1);
    this.branch3x3dbl_2 = new BC(64, 96, 3, { padding: 1 });
    this.branch3x3dbl_3 = new BC(96, 96, 3, { padding: 1 });
    this.branch_pool = new BC(inC, poolFeatures, 1);
  }
  override forward(x: Value): Value {
    return F.concat(
      [
        this.branch1x1.forward(x),
        this.branch5x5_2.forward(this.branch5x5_1.forward(x)),
        this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x))),
        this.branch_pool.forward(this.pool.forward(x)),
      ],
      1,
    );
  }
}

class InceptionB extends Module {
  branch3x3;
  branch3x3dbl_1;
  branch3x3dbl_2;
  branch3x3dbl_3;
  pool = max3();
  constructor(inC: number) {
    super();
    this.branch3x3 = new BC(inC, 384, 3, { stride: 2 });
    this.branch3x3dbl_1 = new BC(inC, 64, 1);
    this.branch3x3dbl_2 = new BC(64, 96, 3, { padding: 1 });
    this.branch3x3dbl_3 = new BC(96, 96, 3, { stride: 2 });
  }
  override forward(x: Value): Value {
    const dbl = this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x)));
    return F.concat([this.branch3x3.forward(x), dbl, this.pool.forward(x)], 1);
  }
}

const k17 = (i: number, o: number) => new BC(i, o, [1, 7], { padding: [0, 3] });
const k71 = (i: number, o: number) => new BC(i, o, [7, 1], { padding: [3, 0] });

class InceptionC extends Module {
  branch1x1;
  branch7x7_1;
  branch7x7_2;
  branch7x7_3;
  branch7x7dbl_1;
  branch7x7dbl_2;
  branch7x7dbl_3;
  branch7x7dbl_4;
  branch7x7dbl_5;
  pool = avg3();
  branch_pool;
  constructor(inC: number, c7: number) {
    super();
    this.branch1x1 = new BC(inC, 192, 1);
    this.branch7x7_1 = new BC(inC, c7, 1);
    this.branch7x7_2 = k17(c7, c7);
    this.branch7x7_3 = k71(c7, 192);
    this.branch7x7dbl_1 = new BC(inC, c7, 1);
    this.branch7x7dbl_2 = k71(c7, c7);
    this.branch7x7dbl_3 = k17(c7, c7);
    this.branch7x7dbl_4 = k71(c7, c7);
    this.branch7x7dbl_5 = k17(c7, 192);
    this.branch_pool = new BC(inC, 192, 1);
  }
  override forward(x: Value): Value {
    const seq = (v: Value, ms: Module[]) => ms.reduce((a, m) => m.forward(a) as Value, v);
    return F.concat(
      [
        this.branch1x1.forward(x),
        seq(x, [this.branch7x7_1, this.branch7x7_2, this.branch7x7_3]),
        seq(x, [
          this.branch7x7dbl_1,
          this.branch7x7dbl_2,
          this.branch7x7dbl_3,
          this.branch7x7dbl_4,
          this.branch7x7dbl_5,
        ]),
        this.branch_pool.forward(this.pool.forward(x)),
      ],
      1,
    );
  }
}

class InceptionD extends Module {
  branch3x3_1;
  branch3x3_2;
  branch7x7x3_1;
  branch7x7x3_2;
  branch7x7x3_3;
  branch7x7x3_4;
  pool = max3();
  constructor(inC: number) {
    super();
    this.branch3x3_1 = new BC(inC, 192, 1);
    this.branch3x3_2 = new BC(192, 320, 3, { stride: 2 });
    this.branch7x7x3_1 = new BC(inC, 192, 1);
    this.branch7x7x3_2 = k17(192, 192);
    this.branch7x7x3_3 = k71(192, 192);
    this.branch7x7x3_4 = new BC(192, 192, 3, { stride: 2 });
  }
  override forward(x: Value): Value {
    const b3 = this.branch3x3_2.forward(this.branch3x3_1.forward(x));
    let b7 = this.branch7x7x3_1.forward(x);
    for (const m of [this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4]) b7 = m.forward(b7);
    return F.concat([b3, b7, this.pool.forward(x)], 1);
  }
}

const k13 = (i: number, o: number) => new BC(i, o, [1, 3], { padding: [0, 1] });
const k31 = (i: number, o: number) => new BC(i, o, [3, 1], { padding: [1, 0] });

class InceptionE extends Module {
  branch1x1;
  branch3x3_1;
  branch3x3_2a;
  branch3x3_2b;
  branch3x3dbl_1;
  branch3x3dbl_2;
  branch3x3dbl_3a;
  branch3x3dbl_3b;
  pool = avg3();
  branch_pool;
  constructor(inC: number) {
    super();
    this.branch1x1 = new BC(inC, 320, 1);
    this.branch3x3_1 = new BC(inC, 384, 1);
    this.branch3x3_2a = k13(384, 384);
    this.branch3x3_2b = k31(384, 384);
    this.branch3x3dbl_1 = new BC(inC, 448, 1);
    this.branch3x3dbl_2 = new BC(448, 384, 3, { padding: 1 });
    this.branch3x3dbl_3a = k13(384, 384);
    this.branch3x3dbl_3b = k31(384, 384);
    this.branch_pool = new BC(inC, 192, 1);
  }
  override forward(x: Value): Value {
    const b3 = this.branch3x3_1.forward(x);
    const d = this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x));
    return F.concat(
      [
        this.branch1x1.forward(x),
        F.concat([this.branch3x3_2a.forward(b3), this.branch3x3_2b.forward(b3)], 1),
        F.concat([this.branch3x3dbl_3a.forward(d), this.branch3x3dbl_3b.forward(d)], 1),
        this.branch_pool.forward(this.pool.forward(x)),
      ],
      1,
    );
  }
}

class InceptionAux extends Module {
  pool = new AvgPool2d(5, { stride: 3 });
  conv0;
  conv1;
  avgpool = new AdaptiveAvgPool2d(1);
  fc;
  constructor(inC: number, numClasses: number) {
    super();
    this.conv0 = new BC(inC, 128, 1);
    this.conv1 = new BC(128, 768, 5);
    this.fc = linear(768, numClasses);
  }
  override forward(x: Value): Value {
    const y = this.conv1.forward(this.conv0.forward(this.pool.forward(x)));
    return this.fc.forward(F.flatten(this.avgpool.forward(y), 1));
  }
}

export class InceptionV3 extends Backbone {
  Conv2d_1a_3x3;
  Conv2d_2a_3x3;
  Conv2d_2b_3x3;
  maxpool1 = max3();
  Conv2d_3b_1x1;
  Conv2d_4a_3x3;
  maxpool2 = max3();
  Mixed_5b = new InceptionA(192, 32);
  Mixed_5c = new InceptionA(256, 64);
  Mixed_5d = new InceptionA(288, 64);
  Mixed_6a = new InceptionB(288);
  Mixed_6b = new InceptionC(768, 128);
  Mixed_6c = new InceptionC(768, 160);
  Mixed_6d = new InceptionC(768, 160);
  Mixed_6e = new InceptionC(768, 192);
  AuxLogits: InceptionAux | null;
  Mixed_7a = new InceptionD(768);
  Mixed_7b = new InceptionE(1280);
  Mixed_7c = new InceptionE(2048);
  avgpool = new AdaptiveAvgPool2d(1);
  dropout: Dropout;
  fc;
  numClasses: number;
  readonly headNames = ['AuxLogits', 'avgpool', 'dropout', 'fc'];
  readonly featureInfo: readonly FeatureInfo[] = [
    { numChannels: 64, reduction: 2, module: 'Conv2d_2b_3x3' },
    { numChannels: 192, reduction: 4, module: 'Conv2d_4a_3x3' },
    { numChannels: 288, reduction: 8, module: 'Mixed_5d' },
    { numChannels: 768, reduction: 16, module: 'Mixed_6e' },
    { numChannels: 2048, reduction: 32, module: 'Mixed_7c' },
  ];

  constructor(numClasses: number, inChannels: number, dropRate: number, auxLogits: boolean) {
    super();
    this.Conv2d_1a_3x3 = new BC(inChannels, 32, 3, { stride: 2 });
    this.Conv2d_2a_3x3 = new BC(32, 32, 3);
    this.Conv2d_2b_3x3 = new BC(32, 64, 3, { padding: 1 });
    this.Conv2d_3b_1x1 = new BC(64, 80, 1);
    this.Conv2d_4a_3x3 = new BC(80, 192, 3);
    this.AuxLogits = auxLogits ? new InceptionAux(768, numClasses) : null;
    this.dropout = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.fc = linear(2048, numClasses);
  }

  #run(x: Value, last: number, aux: Value[] | null): Value[] {
    const out = [chain(x, [this.Conv2d_1a_3x3, this.Conv2d_2a_3x3, this.Conv2d_2b_3x3])];
    const steps: ((v: Value) => Value)[] = [
      (v) => chain(v, [this.maxpool1, this.Conv2d_3b_1x1, this.Conv2d_4a_3x3]),
      (v) => chain(v, [this.maxpool2, this.Mixed_5b, this.Mixed_5c, this.Mixed_5d]),
      (v) => {
        const y = chain(v, [this.Mixed_6a, this.Mixed_6b, this.Mixed_6c, this.Mixed_6d, this.Mixed_6e]);
        if (aux && this.AuxLogits) aux.push(this.AuxLogits.forward(y));
        return y;
      },
      (v) => chain(v, [this.Mixed_7a, this.Mixed_7b, this.Mixed_7c]),
    ];
    for (const step of steps) {
      if (out.length > last) break;
      out.push(step(out[out.length - 1]!));
    }
    return out;
  }

  forwardFeatures(x: Value, last: number): Value[] {
    return this.#run(x, last, null);
  }

  override forward(x: Value): Value | Value[] {
    this.checkInputSize(x);
    const training = this.tracingTraining(x) && this.AuxLogits !== null;
    const aux: Value[] = [];
    const logits = this.forwardHead(this.#run(x, 4, training ? aux : null)[4]!);
    return training ? [logits, aux[0]!] : logits;
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(this.dropout.forward(F.flatten(this.avgpool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(2048, numClasses);
    this.numClasses = numClasses;
  }
}
