/**
 * The heads of torchvision's Faster / Mask R-CNN with its parameter names: `RPNHead` (conv.0.0, cls_logits,
 * bbox_pred), `TwoMLPHead` (fc6, fc7), `FastRCNNPredictor` (cls_score, bbox_pred), `MaskRCNNHeads` (four 3x3
 * convs '0.0' .. '3.0') and `MaskRCNNPredictor` (conv5_mask, mask_fcn_logits).
 */
import { Conv2d, ConvTranspose2d, functional as F, Linear, Module, Sequential, type Value } from '@striate/core';
import { convNormAct } from './layers.js';

function positive(v: number, name: string, ctx: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${ctx}: ${name}: expected an integer >= 1, got ${v}`);
  return v;
}

/** RPN head: a shared 3x3 conv + ReLU, then objectness (A per location) and box deltas (4A) 1x1 convs. */
export class RPNHead extends Module {
  conv: Sequential;
  cls_logits: Conv2d;
  bbox_pred: Conv2d;

  constructor(inChannels: number, numAnchors: number, convDepth = 1) {
    super();
    positive(inChannels, 'inChannels', 'RPNHead');
    positive(numAnchors, 'numAnchors', 'RPNHead');
    positive(convDepth, 'convDepth', 'RPNHead');
    this.conv = new Sequential(
      ...Array.from({ length: convDepth }, () => convNormAct(inChannels, inChannels, 3, { norm: null })),
    );
    this.cls_logits = new Conv2d(inChannels, numAnchors, 1);
    this.bbox_pred = new Conv2d(inChannels, numAnchors * 4, 1);
  }

  /** One level: [objectness [N, A, H, W], deltas [N, 4A, H, W]]. */
  override forward(x: Value): Value[] {
    const t = this.conv.forward(x);
    return [this.cls_logits.forward(t), this.bbox_pred.forward(t)];
  }
}

/** Box head on pooled RoIs [R, C, 7, 7]: flatten, fc6 + ReLU, fc7 + ReLU. */
export class TwoMLPHead extends Module {
  fc6: Linear;
  fc7: Linear;

  constructor(inChannels: number, representationSize: number) {
    super();
    this.fc6 = new Linear(positive(inChannels, 'inChannels', 'TwoMLPHead'), representationSize);
    this.fc7 = new Linear(representationSize, representationSize);
  }

  override forward(x: Value): Value {
    return F.relu(this.fc7.forward(F.relu(this.fc6.forward(F.flatten(x, 1)))));
  }
}

/** Class scores (numClasses, background included) and class-specific box deltas (4 x numClasses). */
export class FastRCNNPredictor extends Module {
  cls_score: Linear;
  bbox_pred: Linear;

  constructor(inChannels: number, numClasses: number) {
    super();
    positive(numClasses, 'numClasses', 'FastRCNNPredictor');
    this.cls_score = new Linear(positive(inChannels, 'inChannels', 'FastRCNNPredictor'), numClasses);
    this.bbox_pred = new Linear(inChannels, numClasses * 4);
  }

  override forward(x: Value): Record<string, Value> {
    const flat = x.shape.length === 2 ? x : F.flatten(x, 1);
    return { scores: this.cls_score.forward(flat), bbox_deltas: this.bbox_pred.forward(flat) };
  }
}

/** Mask head: 3x3 convs with bias + ReLU, each a Conv2dNormActivation without norm (torchvision: 4 x 256). */
export class MaskRCNNHeads extends Sequential {
  constructor(inChannels: number, layers: readonly number[] = [256, 256, 256, 256]) {
    positive(inChannels, 'inChannels', 'MaskRCNNHeads');
    let c = inChannels;
    const blocks = layers.map((out) => {
      const block = convNormAct(c, out, 3, { norm: null });
      c = out;
      return block;
    });
    super(...blocks);
  }
}

/** Mask predictor: ConvTranspose 2x2 stride 2 + ReLU, then 1x1 conv to one mask logit map per class. */
export class MaskRCNNPredictor extends Module {
  conv5_mask: ConvTranspose2d;
  mask_fcn_logits: Conv2d;

  constructor(inChannels: number, dimReduced: number, numClasses: number) {
    super();
    positive(numClasses, 'numClasses', 'MaskRCNNPredictor');
    this.conv5_mask = new ConvTranspose2d(positive(inChannels, 'inChannels', 'MaskRCNNPredictor'), dimReduced, 2, {
      stride: 2,
    });
    this.mask_fcn_logits = new Conv2d(dimReduced, numClasses, 1);
  }

  override forward(x: Value): Value {
    return this.mask_fcn_logits.forward(F.relu(this.conv5_mask.forward(x)));
  }
}
