/** ShuffleNet V2 x1.0 (Ma et al. 2018) as torchvision.models.shufflenetv2. */
import { AdaptiveAvgPool2d, functional as F, MaxPool2d, Module, ReLU, Sequential, type Value } from '@striate/core';
import { Backbone, type FeatureInfo } from '../backbone.js';
import { bn, conv, linear } from '../internal/build.js';

/** Reshape [N, g, C/g, H, W], swap the group axes, reshape back (torchvision's channel_shuffle). */
function channelShuffle(x: Value, groups: number): Value {
  const [, c, h, w] = x.shape;
  if (typeof c !== 'number') throw new RangeError('channelShuffle: needs a known channel count');
  const hw = [typeof h === 'number' ? h : -1, typeof w === 'number' ? w : typeof h === 'number' ? -1 : 0];
  const y = F.transpose(F.reshape(x, [0, groups, c / groups, ...hw]), [0, 2, 1, 3, 4]);
  return F.reshape(y, [0, c, ...hw]);
}

class InvertedResidual extends Module {
  branch1: Sequential;
  branch2: Sequential;
  readonly stride: number;

  constructor(inp: number, oup: number, stride: number) {
    super();
    this.stride = stride;
    const bf = oup / 2;
    this.branch1 =
      stride > 1
        ? new Sequential(
            conv(inp, inp, 3, { stride, padding: 1, groups: inp, bias: false }),
            bn(inp),
            conv(inp, bf, 1, { bias: false }),
            bn(bf),
            new ReLU(),
          )
        : new Sequential();
    this.branch2 = new Sequential(
      conv(stride > 1 ? inp : bf, bf, 1, { bias: false }),
      bn(bf),
      new ReLU(),
      conv(bf, bf, 3, { stride, padding: 1, groups: bf, bias: false }),
      bn(bf),
      conv(bf, bf, 1, { bias: false }),
      bn(bf),
      new ReLU(),
    );
  }

  override forward(x: Value): Value {
    let out: Value;
    if (this.stride === 1) {
      const [x1, x2] = F.split(x, 2, 1);
      out = F.concat([x1!, this.branch2.forward(x2!)], 1);
    } else {
      out = F.concat([this.branch1.forward(x), this.branch2.forward(x)], 1);
    }
    return channelShuffle(out, 2);
  }
}

export class ShuffleNetV2 extends Backbone {
  conv1;
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  stage2;
  stage3;
  stage4;
  conv5;
  avgpool = new AdaptiveAvgPool2d(1);
  fc;
  numClasses: number;
  readonly headNames = ['avgpool', 'fc'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #last: number;

  constructor(repeats: readonly number[], channels: readonly number[], numClasses: number, inChannels: number) {
    super();
    const [c0, c1, c2, c3, c4] = channels as [number, number, number, number, number];
    this.conv1 = new Sequential(conv(inChannels, c0, 3, { stride: 2, padding: 1, bias: false }), bn(c0), new ReLU());
    const stage = (inp: number, oup: number, n: number) => {
      const s = new Sequential(new InvertedResidual(inp, oup, 2));
      for (let i = 1; i < n; i++) s.append(new InvertedResidual(oup, oup, 1));
      return s;
    };
    this.stage2 = stage(c0, c1, repeats[0]!);
    this.stage3 = stage(c1, c2, repeats[1]!);
    this.stage4 = stage(c2, c3, repeats[2]!);
    this.conv5 = new Sequential(conv(c3, c4, 1, { bias: false }), bn(c4), new ReLU());
    this.#last = c4;
    this.numClasses = numClasses;
    this.fc = linear(c4, numClasses);
    this.featureInfo = [
      { numChannels: c0, reduction: 4, module: 'maxpool' },
      { numChannels: c1, reduction: 8, module: 'stage2' },
      { numChannels: c2, reduction: 16, module: 'stage3' },
      { numChannels: c4, reduction: 32, module: 'conv5' },
    ];
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const out = [this.maxpool.forward(this.conv1.forward(x))];
    if (last >= 1) out.push(this.stage2.forward(out[0]!));
    if (last >= 2) out.push(this.stage3.forward(out[1]!));
    if (last >= 3) out.push(this.conv5.forward(this.stage4.forward(out[2]!)));
    return out;
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(F.flatten(this.avgpool.forward(x), 1));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(this.#last, numClasses);
    this.numClasses = numClasses;
  }
}
