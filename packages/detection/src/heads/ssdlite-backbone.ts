/**
 * torchvision's SSDLiteFeatureExtractorMobileNet over `mobilenet_v3_large(reduce_tail=True)` (what
 * `ssdlite320_mobilenet_v3_large` builds when no backbone weights are given): `features.0` runs to the C4 block's
 * expansion conv (672 channels, stride 16), `features.1` from its depthwise conv to the last 480-channel conv
 * (stride 32), then `extra` adds four depthwise blocks (512, 256, 256, 128 channels). Blocks 0-12 come from the
 * zoo's `mobilenet_v3_large`; the reduced tail (blocks 13-16, halved) is built here with the same names.
 */
import { createModel } from '@striate/backbones';
import {
  AdaptiveAvgPool2d,
  Conv2d,
  functional as F,
  Hardsigmoid,
  Module,
  ModuleList,
  ReLU,
  Sequential,
  type Value,
} from '@striate/core';
import { convNormAct } from './layers.js';

const EPS = 0.001;

/** torchvision's SqueezeExcitation (fc1, fc2; ReLU, Hardsigmoid). */
class SqueezeExcitation extends Module {
  avgpool = new AdaptiveAvgPool2d(1);
  fc1: Conv2d;
  fc2: Conv2d;
  activation = new ReLU();
  scale_activation = new Hardsigmoid();

  constructor(c: number, squeeze: number) {
    super();
    this.fc1 = new Conv2d(c, squeeze, 1);
    this.fc2 = new Conv2d(squeeze, c, 1);
  }

  override forward(x: Value): Value {
    const s = this.fc1.forward(this.avgpool.forward(x));
    return F.mul(this.scale_activation.forward(this.fc2.forward(this.activation.forward(s))) as Value, x);
  }
}

const makeDivisible = (v: number): number => {
  const r = Math.max(8, Math.floor((v + 4) / 8) * 8);
  return r < 0.9 * v ? r + 8 : r;
};

/** An inverted residual block with SE and hardswish (kernel 5), named `block.<i>` from `first`. */
function tailBlockLayers(inC: number, exp: number, out: number, stride: number): Map<string, Module> {
  const m = new Map<string, Module>();
  m.set('0', convNormAct(inC, exp, 1, { act: 'hardswish', eps: EPS }));
  m.set('1', convNormAct(exp, exp, 5, { stride, groups: exp, act: 'hardswish', eps: EPS }));
  m.set('2', new SqueezeExcitation(exp, makeDivisible(exp / 4)));
  m.set('3', convNormAct(exp, out, 1, { act: null, eps: EPS }));
  return m;
}

class InvertedResidual extends Module {
  block: Sequential;
  readonly residual: boolean;

  constructor(inC: number, exp: number, out: number, stride: number) {
    super();
    this.block = new Sequential(tailBlockLayers(inC, exp, out, stride));
    this.residual = stride === 1 && inC === out;
  }

  override forward(x: Value): Value {
    const y = this.block.forward(x);
    return this.residual ? F.add(y, x) : y;
  }
}

function extraBlock(inC: number, out: number): Sequential {
  const mid = Math.floor(out / 2);
  return new Sequential(
    convNormAct(inC, mid, 1, { act: 'relu6', eps: EPS }),
    convNormAct(mid, mid, 3, { stride: 2, groups: mid, act: 'relu6', eps: EPS }),
    convNormAct(mid, out, 1, { act: 'relu6', eps: EPS }),
  );
}

export class SSDLiteFeatureExtractorMobileNet extends Module {
  features: Sequential;
  extra: ModuleList;

  constructor(features: Sequential, extra: ModuleList) {
    super();
    this.features = features;
    this.extra = extra;
  }

  override forward(x: Value): Value[] {
    const out: Value[] = [];
    let y = x;
    for (const m of [...this.features, ...this.extra] as Module[]) {
      y = m.forward(y) as Value;
      out.push(y);
    }
    return out;
  }
}

/** The SSDLite320 feature extractor: 6 maps of 672, 480, 512, 256, 256, 128 channels (strides 16 to 320). */
export function mobilenetV3ReducedTail(skipInit: boolean): SSDLiteFeatureExtractorMobileNet {
  const net = createModel('mobilenet_v3_large', { skipInit }) as Module;
  const zoo = [...(net.getSubmodule('features') as Sequential)] as Module[];
  const c4 = tailBlockLayers(112, 672, 80, 2);
  const head = new Map<string, Module>(zoo.slice(0, 13).map((m, i) => [String(i), m]));
  head.set('13', c4.get('0')!);
  const c4Rest = new Sequential(new Map([...c4].filter(([k]) => k !== '0')));
  const tail = new Sequential(
    c4Rest,
    new InvertedResidual(80, 480, 80, 1),
    new InvertedResidual(80, 480, 80, 1),
    convNormAct(80, 480, 1, { act: 'hardswish', eps: EPS }),
  );
  const features = new Sequential(new Sequential(head), tail);
  const extra = new ModuleList([
    extraBlock(480, 512),
    extraBlock(512, 256),
    extraBlock(256, 256),
    extraBlock(256, 128),
  ]);
  return new SSDLiteFeatureExtractorMobileNet(features, extra);
}
