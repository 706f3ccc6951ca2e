/**
 * torchvision's segmentation heads (torchvision.models.segmentation): FCNHead, ASPP / DeepLabHead and
 * LRASPPHead, with torchvision's parameter names (classifier.0.convs.0.0.weight, ...).
 */
import {
  AdaptiveAvgPool2d,
  BatchNorm2d,
  Dropout,
  functional as F,
  formatShape,
  Module,
  ModuleList,
  ReLU,
  type Rng,
  Sequential,
  ShapeError,
  Sigmoid,
  type Value,
} from '@striate/core';
import { conv, convBnRelu } from '../internal/layers.js';

/** Spatial [h, w] of an NCHW value, which must be known numbers (bilinear resizes need them). */
export function spatialSize(x: Value, who: string): [number, number] {
  const h = x.shape[2];
  const w = x.shape[3];
  if (x.shape.length !== 4 || typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(`${who}: expected [N, C, H, W] with known H and W, got ${formatShape(x.shape)}`);
  }
  return [h, w];
}

/** torchvision FCNHead: 3x3 conv to in/4 channels, BN, ReLU, Dropout(0.1), 1x1 conv to the classes. */
export class FCNHead extends Sequential {
  constructor(rng: Rng, inChannels: number, channels: number) {
    const inter = Math.floor(inChannels / 4);
    super(
      conv(rng, inChannels, inter, 3, { padding: 1, bias: false }),
      new BatchNorm2d(inter),
      new ReLU(),
      new Dropout(0.1),
      conv(rng, inter, channels, 1),
    );
  }
}

/** ASPP image pooling branch: global average, 1x1 conv, BN, ReLU, bilinear back to the input size. */
class ASPPPooling extends Sequential {
  constructor(rng: Rng, inChannels: number, outChannels: number) {
    super(
      new AdaptiveAvgPool2d(1),
      conv(rng, inChannels, outChannels, 1, { bias: false }),
      new BatchNorm2d(outChannels),
      new ReLU(),
    );
  }

  override forward(x: Value): Value {
    const size = spatialSize(x, 'ASPPPooling');
    return F.interpolate(super.forward(x) as Value, { size, mode: 'bilinear', alignCorners: false });
  }
}

/** Atrous spatial pyramid pooling (DeepLabV3): a 1x1 branch, three dilated 3x3 branches, image pooling. */
export class ASPP extends Module {
  convs: ModuleList;
  project: Sequential;

  constructor(rng: Rng, inChannels: number, rates: readonly number[], outChannels = 256) {
    super();
    const branches: Module[] = [convBnRelu(rng, inChannels, outChannels, 1)];
    for (const r of rates) branches.push(convBnRelu(rng, inChannels, outChannels, 3, r));
    branches.push(new ASPPPooling(rng, inChannels, outChannels));
    this.convs = new ModuleList(branches);
    this.project = new Sequential(
      conv(rng, branches.length * outChannels, outChannels, 1, { bias: false }),
      new BatchNorm2d(outChannels),
      new ReLU(),
      new Dropout(0.5),
    );
  }

  override forward(x: Value): Value {
    const outs = [...this.convs.children()].map((m) => m.forward(x) as Value);
    return this.project.forward(F.concat(outs, 1)) as Value;
  }
}

/** torchvision DeepLabHead: ASPP(rates 12, 24, 36), 3x3 conv, BN, ReLU, 1x1 conv to the classes. */
export class DeepLabHead extends Sequential {
  constructor(rng: Rng, inChannels: number, numClasses: number) {
    super(
      new ASPP(rng, inChannels, [12, 24, 36]),
      conv(rng, 256, 256, 3, { padding: 1, bias: false }),
      new BatchNorm2d(256),
      new ReLU(),
      conv(rng, 256, numClasses, 1),
    );
  }
}

/** torchvision LRASPPHead (Searching for MobileNetV3, section 6.4): low- and high-resolution branches summed. */
export class LRASPPHead extends Module {
  cbr: Sequential;
  scale: Sequential;
  low_classifier: Module;
  high_classifier: Module;

  constructor(rng: Rng, lowChannels: number, highChannels: number, numClasses: number, interChannels = 128) {
    super();
    this.cbr = new Sequential(
      conv(rng, highChannels, interChannels, 1, { bias: false }),
      new BatchNorm2d(interChannels),
      new ReLU(),
    );
    this.scale = new Sequential(
      new AdaptiveAvgPool2d(1),
      conv(rng, highChannels, interChannels, 1, { bias: false }),
      new Sigmoid(),
    );
    this.low_classifier = conv(rng, lowChannels, numClasses, 1);
    this.high_classifier = conv(rng, interChannels, numClasses, 1);
  }

  override forward(low: Value, high: Value): Value {
    let x = F.mul(this.cbr.forward(high) as Value, this.scale.forward(high) as Value);
    x = F.interpolate(x, { size: spatialSize(low, 'LRASPPHead: low'), mode: 'bilinear', alignCorners: false });
    return F.add(this.low_classifier.forward(low) as Value, this.high_classifier.forward(x) as Value);
  }
}
