/**
 * ResNet (He et al. 2015), Wide ResNet (Zagoruyko & Komodakis 2016) and ResNeXt (Xie et al. 2017), exactly as
 * torchvision.models.resnet: BasicBlock / Bottleneck with the stride on the 3x3 conv (ResNet v1.5), parameter
 * names conv1, bn1, layer1.0.conv1, ..., fc.
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
import { Backbone, type FeatureInfo } from '../backbone.js';
import { bn, conv, linear } from '../internal/build.js';

class BasicBlock extends Module {
  static readonly expansion = 1;
  conv1;
  bn1;
  relu = new ReLU();
  conv2;
  bn2;
  downsample: Sequential | null;

  constructor(
    inplanes: number,
    planes: number,
    stride: number,
    downsample: Sequential | null,
    groups: number,
    baseWidth: number,
  ) {
    super();
    if (groups !== 1 || baseWidth !== 64)
      throw new RangeError('BasicBlock: groups and widthPerGroup are only supported by Bottleneck');
    this.conv1 = conv(inplanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = bn(planes);
    this.conv2 = conv(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = bn(planes);
    this.downsample = downsample;
  }

  override forward(x: Value): Value {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.bn2.forward(this.conv2.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.relu.forward(F.add(out, identity));
  }
}

class Bottleneck extends Module {
  static readonly expansion = 4;
  conv1;
  bn1;
  conv2;
  bn2;
  conv3;
  bn3;
  relu = new ReLU();
  downsample: Sequential | null;

  constructor(
    inplanes: number,
    planes: number,
    stride: number,
    downsample: Sequential | null,
    groups: number,
    baseWidth: number,
  ) {
    super();
    const width = Math.floor(planes * (baseWidth / 64)) * groups;
    this.conv1 = conv(inplanes, width, 1, { bias: false });
    this.bn1 = bn(width);
    this.conv2 = conv(width, width, 3, { stride, padding: 1, groups, bias: false });
    this.bn2 = bn(width);
    this.conv3 = conv(width, planes * 4, 1, { bias: false });
    this.bn3 = bn(planes * 4);
    this.downsample = downsample;
  }

  override forward(x: Value): Value {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.relu.forward(this.bn2.forward(this.conv2.forward(out)));
    out = this.bn3.forward(this.conv3.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.relu.forward(F.add(out, identity));
  }
}

export interface ResNetConfig {
  readonly block: 'basic' | 'bottleneck';
  readonly layers: readonly [number, number, number, number];
  readonly groups?: number;
  readonly widthPerGroup?: number;
  readonly numClasses: number;
  readonly inChannels: number;
  readonly dropRate: number;
}

export class ResNet extends Backbone {
  conv1;
  bn1;
  relu = new ReLU();
  maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  layer1;
  layer2;
  layer3;
  layer4;
  avgpool = new AdaptiveAvgPool2d(1);
  dropout: Dropout;
  fc;
  numClasses: number;
  readonly featureInfo: readonly FeatureInfo[];
  readonly headNames = ['avgpool', 'dropout', 'fc'];
  readonly #numFeatures: number;

  constructor(cfg: ResNetConfig) {
    super();
    const Block = cfg.block === 'basic' ? BasicBlock : Bottleneck;
    const groups = cfg.groups ?? 1;
    const baseWidth = cfg.widthPerGroup ?? 64;
    let inplanes = 64;
    this.conv1 = conv(cfg.inChannels, 64, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = bn(64);
    const makeLayer = (planes: number, blocks: number, stride: number): Sequential => {
      let downsample: Sequential | null = null;
      if (stride !== 1 || inplanes !== planes * Block.expansion) {
        downsample = new Sequential(
          conv(inplanes, planes * Block.expansion, 1, { stride, bias: false }),
          bn(planes * Block.expansion),
        );
      }
      const seq = new Sequential(new Block(inplanes, planes, stride, downsample, groups, baseWidth));
      inplanes = planes * Block.expansion;
      for (let i = 1; i < blocks; i++) seq.append(new Block(inplanes, planes, 1, null, groups, baseWidth));
      return seq;
    };
    this.layer1 = makeLayer(64, cfg.layers[0], 1);
    this.layer2 = makeLayer(128, cfg.layers[1], 2);
    this.layer3 = makeLayer(256, cfg.layers[2], 2);
    this.layer4 = makeLayer(512, cfg.layers[3], 2);
    this.#numFeatures = 512 * Block.expansion;
    this.dropout = new Dropout(cfg.dropRate);
    this.numClasses = cfg.numClasses;
    this.fc = linear(this.#numFeatures, cfg.numClasses);
    const e = Block.expansion;
    this.featureInfo = [
      { numChannels: 64, reduction: 2, module: 'relu' },
      { numChannels: 64 * e, reduction: 4, module: 'layer1' },
      { numChannels: 128 * e, reduction: 8, module: 'layer2' },
      { numChannels: 256 * e, reduction: 16, module: 'layer3' },
      { numChannels: 512 * e, reduction: 32, module: 'layer4' },
    ];
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const out = [this.relu.forward(this.bn1.forward(this.conv1.forward(x)))];
    let v = this.maxpool.forward(out[0]!);
    for (const layer of [this.layer1, this.layer2, this.layer3, this.layer4]) {
      if (out.length > last) break;
      v = layer.forward(v);
      out.push(v);
    }
    return out;
  }

  forwardHead(x: Value): Value {
    return this.fc.forward(this.dropout.forward(F.flatten(this.avgpool.forward(x), 1)));
  }

  resetClassifier(numClasses: number): void {
    this.fc = linear(this.#numFeatures, numClasses);
    this.numClasses = numClasses;
  }
}
