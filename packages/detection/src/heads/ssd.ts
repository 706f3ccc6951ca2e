/**
 * SSD multibox heads and torchvision's two SSD detectors with its parameter names: `SSDHead` (one 3x3 conv per
 * level for classes and one for boxes), `ssd300Vgg16` (VGG-16 to conv4_3 with the L2-normalised, learnably scaled
 * conv4_3 map, then fc6/fc7 as convolutions and four extra blocks) and `ssdlite320MobilenetV3Large` (MobileNetV3
 * with the reduced tail, four depthwise extra blocks, `SSDLiteHead`). `forward` returns torchvision's head outputs:
 * `cls_logits` [N, boxes, K] and `bbox_regression` [N, boxes, 4].
 */
import { createModel } from '@striate/backbones';
import {
  Conv2d,
  functional as F,
  full,
  MaxPool2d,
  Module,
  ModuleList,
  Parameter,
  ReLU,
  Sequential,
  type Value,
} from '@striate/core';
import { concatLevels } from './dense-outputs.js';
import { convNormAct } from './layers.js';
import { type DetectorOptions, detectorOptions } from './rcnn.js';
import { mobilenetV3ReducedTail } from './ssdlite-backbone.js';

function checkLists(channels: readonly number[], anchors: readonly number[], ctx: string): void {
  if (!Array.isArray(channels) || channels.length === 0 || channels.length !== anchors?.length) {
    throw new RangeError(
      `${ctx}: inChannels and numAnchors must be non-empty and of equal length, got ${channels?.length} and ${anchors?.length}`,
    );
  }
}

/** One predictor per level (`module_list.i`), outputs concatenated as [N, sum(H*W*A), k]. */
export class SSDScoringHead extends Module {
  module_list: ModuleList;
  readonly k: number;

  constructor(modules: readonly Module[], k: number) {
    super();
    this.module_list = new ModuleList(modules);
    this.k = k;
  }

  override forward(...levels: Value[]): Value {
    const mods = [...this.module_list] as Module[];
    if (levels.length !== mods.length) {
      throw new RangeError(`SSDScoringHead: expected ${mods.length} feature maps, got ${levels.length}`);
    }
    return concatLevels(
      levels.map((f, i) => mods[i]!.forward(f) as Value),
      this.k,
    );
  }
}

/** SSD multibox head: `classification_head` (A*K outputs) and `regression_head` (A*4) per level, 3x3 convs. */
export class SSDHead extends Module {
  classification_head: SSDScoringHead;
  regression_head: SSDScoringHead;

  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number) {
    super();
    checkLists(inChannels, numAnchors, 'SSDHead');
    const conv = (c: number, out: number) => new Conv2d(c, out, 3, { padding: 1 });
    this.classification_head = new SSDScoringHead(
      inChannels.map((c, i) => conv(c, numAnchors[i]! * numClasses)),
      numClasses,
    );
    this.regression_head = new SSDScoringHead(
      inChannels.map((c, i) => conv(c, numAnchors[i]! * 4)),
      4,
    );
  }

  override forward(...levels: Value[]): Record<string, Value> {
    return {
      bbox_regression: this.regression_head.forward(...levels),
      cls_logits: this.classification_head.forward(...levels),
    };
  }
}

/** SSDLite head: per level a depthwise 3x3 conv + BN + ReLU6, then a 1x1 conv. */
export class SSDLiteHead extends Module {
  classification_head: SSDScoringHead;
  regression_head: SSDScoringHead;

  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number) {
    super();
    checkLists(inChannels, numAnchors, 'SSDLiteHead');
    const block = (c: number, out: number) =>
      new Sequential(convNormAct(c, c, 3, { groups: c, act: 'relu6', eps: 0.001 }), new Conv2d(c, out, 1));
    this.classification_head = new SSDScoringHead(
      inChannels.map((c, i) => block(c, numAnchors[i]! * numClasses)),
      numClasses,
    );
    this.regression_head = new SSDScoringHead(
      inChannels.map((c, i) => block(c, numAnchors[i]! * 4)),
      4,
    );
  }

  override forward(...levels: Value[]): Record<string, Value> {
    return {
      bbox_regression: this.regression_head.forward(...levels),
      cls_logits: this.classification_head.forward(...levels),
    };
  }
}

/**
 * `F.normalize(x, dim=1)`: x / max(||x||_2 over channels, eps), traceable without Sqrt: LayerNormalization over
 * the channels of concat(x, -x) (mean 0, variance ||x||^2 / C), times 1/sqrt(C). eps enters as
 * sqrt(||x||^2 + eps^2), equal to max(||x||, eps) wherever ||x|| >> eps (1e-12).
 */
export class L2NormChannels extends Module {
  readonly channels: number;
  readonly eps: number;

  constructor(channels: number, eps = 1e-12) {
    super();
    if (!Number.isInteger(channels) || channels < 1) {
      throw new RangeError(`L2NormChannels: channels: expected an integer >= 1, got ${channels}`);
    }
    this.channels = channels;
    this.eps = eps;
  }

  override forward(x: Value): Value {
    const c = this.channels;
    const nhwc = F.transpose(x, [0, 2, 3, 1]);
    const both = F.concat([nhwc, F.mul(nhwc, -1)], 3);
    const one = this.constant(x, 'ones', full([1], 1));
    const zero = this.constant(x, 'zeros', full([1], 0));
    const eps = (this.eps * this.eps) / c;
    const normed = this.emit1(x, 'LayerNormalization', [both, one, zero], { axis: 3, epsilon: eps }, 'ln');
    const half = F.slice(normed, [0], [c], [3]);
    return F.mul(F.transpose(half, [0, 3, 1, 2]), 1 / Math.sqrt(c));
  }
}

/** torchvision's SSDFeatureExtractorVGG (SSD300): `features` (to conv4_3), `scale_weight`, `extra` (5 blocks). */
export class SSDFeatureExtractorVGG extends Module {
  scale_weight: Parameter;
  features: Sequential;
  extra: ModuleList;
  readonly #l2 = new L2NormChannels(512);

  constructor(skipInit: boolean) {
    super();
    const vgg = createModel('vgg16', { skipInit }) as Module;
    const layers = [...(vgg.getSubmodule('features') as Sequential)] as Module[];
    // maxpool3 (index 16) with ceil_mode, as torchvision patches it for 300x300 -> 38x38 conv4_3.
    layers[16] = new MaxPool2d(2, { stride: 2, ceilMode: true });
    this.scale_weight = new Parameter(full([512], 20));
    this.features = new Sequential(...layers.slice(0, 23));
    const fc = new Sequential(
      new MaxPool2d(3, { stride: 1, padding: 1 }),
      new Conv2d(512, 1024, 3, { padding: 6, dilation: 6 }),
      new ReLU(),
      new Conv2d(1024, 1024, 1),
      new ReLU(),
    );
    const extraBlock = (inC: number, mid: number, out: number, strided: boolean) =>
      new Sequential(
        new Conv2d(inC, mid, 1),
        new ReLU(),
        new Conv2d(mid, out, 3, strided ? { padding: 1, stride: 2 } : {}),
        new ReLU(),
      );
    this.extra = new ModuleList([
      new Sequential(...layers.slice(23, 30), fc),
      extraBlock(1024, 256, 512, true),
      extraBlock(512, 128, 256, true),
      extraBlock(256, 128, 256, false),
      extraBlock(256, 128, 256, false),
    ]);
  }

  override forward(x: Value): Value[] {
    const c43 = this.features.forward(x);
    const scale = F.reshape(this.tensorValue(x, 'scale_weight'), [512, 1, 1]);
    const out = [F.mul(this.#l2.forward(c43), scale)];
    let y = c43;
    for (const block of this.extra) {
      y = (block as Module).forward(y) as Value;
      out.push(y);
    }
    return out;
  }
}

/** An SSD detector's dense part: `backbone` (feature extractor) and `head`. */
export class SSD extends Module {
  backbone: Module;
  head: Module;

  constructor(backbone: Module, head: Module) {
    super();
    this.backbone = backbone;
    this.head = head;
  }

  override forward(x: Value): Record<string, Value> {
    return this.head.forward(...(this.backbone.forward(x) as Value[])) as Record<string, Value>;
  }
}

/** torchvision `ssd300_vgg16`: 6 maps (38, 19, 10, 5, 3, 1 at 300x300), 4/6/6/6/4/4 default boxes per location. */
export function ssd300Vgg16(options?: DetectorOptions): SSD {
  const o = detectorOptions(options, 'ssd300Vgg16');
  return new SSD(
    new SSDFeatureExtractorVGG(o.skipInit),
    new SSDHead([512, 1024, 512, 256, 256, 256], [4, 6, 6, 6, 4, 4], o.numClasses),
  );
}

/** torchvision `ssdlite320_mobilenet_v3_large` (reduced tail, as built without backbone weights): 6 boxes per location. */
export function ssdlite320MobilenetV3Large(options?: DetectorOptions): SSD {
  const o = detectorOptions(options, 'ssdlite320MobilenetV3Large');
  return new SSD(
    mobilenetV3ReducedTail(o.skipInit),
    new SSDLiteHead([672, 480, 512, 256, 256, 128], [6, 6, 6, 6, 6, 6], o.numClasses),
  );
}
