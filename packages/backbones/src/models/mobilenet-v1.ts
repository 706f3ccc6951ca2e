/**
 * MobileNet v1 (Howard et al. 2017): a 3x3 stem and 13 depthwise separable blocks, with the width multiplier alpha
 * (channels round(c * alpha) to a multiple of 8, as timm) and the resolution multiplier rho (input size
 * round(224 * rho); it changes no parameter). Module names as timm's mobilenetv1_100 (conv_stem, bn1,
 * blocks.S.I.{conv_dw, bn1, conv_pw, bn2}, classifier).
 */
import { AdaptiveAvgPool2d, Dropout, functional as F, Module, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo } from '../backbone.js';
import { bn, conv, linear, makeDivisible } from '../internal/build.js';

class DepthwiseSeparable extends Module {
  conv_dw;
  bn1;
  act1 = new ReLU();
  conv_pw;
  bn2;
  act2 = new ReLU();
  constructor(inC: number, outC: number, stride: number) {
    super();
    this.conv_dw = conv(inC, inC, 3, { stride, padding: 1, groups: inC, bias: false });
    this.bn1 = bn(inC);
    this.conv_pw = conv(inC, outC, 1, { bias: false });
    this.bn2 = bn(outC);
  }
  override forward(x: Value): Value {
    const y = this.act1.forward(this.bn1.forward(this.conv_dw.forward(x)));
    return this.act2.forward(this.bn2.forward(this.conv_pw.forward(y)));
  }
}

/** Stages as [outChannels, blocks, stride of the first block]. */
const STAGES = [
  [64, 1, 1],
  [128, 2, 2],
  [256, 2, 2],
  [512, 6, 2],
  [1024, 2, 2],
] as const;

export class MobileNetV1 extends Backbone {
  conv_stem;
  bn1;
  act1 = new ReLU();
  blocks = new Sequential();
  global_pool = new AdaptiveAvgPool2d(1);
  head_drop: Dropout;
  classifier;
  numClasses: number;
  readonly headNames = ['global_pool', 'head_drop', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  /** Input size for the resolution multiplier rho: round(224 * rho). */
  readonly resolution: number;
  readonly #features: number;

  constructor(numClasses: number, inChannels: number, dropRate: number, alpha: number, rho: number) {
    super();
    if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 4))
      throw new RangeError(`mobilenet_v1: alpha: expected a number in (0, 4], got ${alpha}`);
    if (typeof rho !== 'number' || !(rho > 0 && rho <= 4))
      throw new RangeError(`mobilenet_v1: rho: expected a number in (0, 4], got ${rho}`);
    this.resolution = Math.round(224 * rho);
    const ch = (c: number) => makeDivisible(c * alpha, 8);
    const stem = ch(32);
    this.conv_stem = conv(inChannels, stem, 3, { stride: 2, padding: 1, bias: false });
    this.bn1 = bn(stem);
    let c = stem;
    let reduction = 2;
    const info: FeatureInfo[] = [];
    STAGES.forEach(([out, n, stride], s) => {
      const stage = new Sequential();
      for (let i = 0; i < n; i++) {
        stage.append(new DepthwiseSeparable(c, ch(out), i === 0 ? stride : 1));
        c = ch(out);
      }
      this.blocks.append(stage);
      reduction *= stride;
      const e = { numChannels: c, reduction, module: `blocks.${s}` };
      if (info.length > 0 && info[info.length - 1]!.reduction === reduction) info[info.length - 1] = e;
      else info.push(e);
    });
    this.featureInfo = info;
    this.#features = c;
    this.head_drop = new Dropout(dropRate);
    this.numClasses = numClasses;
    this.classifier = linear(c, numClasses);
  }

  forwardFeatures(x: Value, last: number): Value[] {
    let v = this.act1.forward(this.bn1.forward(this.conv_stem.forward(x)));
    const out: Value[] = [];
    const taps = this.featureInfo.map((f) => Number(f.module.split('.')[1]));
    let i = 0;
    for (const stage of this.blocks) {
      if (out.length > last) break;
      v = stage.forward(v) as Value;
      if (taps[out.length] === i) out.push(v);
      i++;
    }
    return out;
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(this.head_drop.forward(F.flatten(this.global_pool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = linear(this.#features, numClasses);
    this.numClasses = numClasses;
  }
}
