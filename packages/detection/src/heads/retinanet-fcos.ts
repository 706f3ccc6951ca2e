/**
 * torchvision's one-stage FPN detectors with its parameter names: RetinaNet (v1: four plain 3x3 convs per branch,
 * 9 anchors) and FCOS (four conv + GroupNorm(32) + ReLU per branch, one "anchor" per location, centerness).
 * `forward` traces backbone + FPN + head and returns torchvision's head outputs concatenated over levels:
 * `cls_logits` [N, sum(H*W*A), K], `bbox_regression` [N, sum(H*W*A), 4] (and FCOS's `bbox_ctrness` [.., 1]).
 */
import { createModel, type FeatureExtractor } from '@striate/backbones';
import { Conv2d, functional as F, Module, ReLU, Sequential, type Value } from '@striate/core';
import { concatLevels } from './dense-outputs.js';
import { BackboneWithFPN, FeaturePyramidNetwork, LastLevelP6P7 } from './fpn.js';
import { convNormAct, GroupNorm } from './layers.js';
import { type DetectorOptions, detectorOptions } from './rcnn.js';

function plainTower(c: number, n: number): Sequential {
  return new Sequential(...Array.from({ length: n }, () => convNormAct(c, c, 3, { norm: null })));
}

function groupNormTower(c: number, n: number): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < n; i++) layers.push(new Conv2d(c, c, 3, { padding: 1 }), new GroupNorm(32, c), new ReLU());
  return new Sequential(...layers);
}

export class RetinaNetClassificationHead extends Module {
  conv: Sequential;
  cls_logits: Conv2d;
  readonly numClasses: number;

  constructor(inChannels: number, numAnchors: number, numClasses: number) {
    super();
    this.conv = plainTower(inChannels, 4);
    this.cls_logits = new Conv2d(inChannels, numAnchors * numClasses, 3, { padding: 1 });
    this.numClasses = numClasses;
  }

  override forward(x: Value): Value {
    return this.cls_logits.forward(this.conv.forward(x));
  }
}

export class RetinaNetRegressionHead extends Module {
  conv: Sequential;
  bbox_reg: Conv2d;

  constructor(inChannels: number, numAnchors: number) {
    super();
    this.conv = plainTower(inChannels, 4);
    this.bbox_reg = new Conv2d(inChannels, numAnchors * 4, 3, { padding: 1 });
  }

  override forward(x: Value): Value {
    return this.bbox_reg.forward(this.conv.forward(x));
  }
}

/** RetinaNetHead: `classification_head` and `regression_head` applied to every FPN level. */
export class RetinaNetHead extends Module {
  classification_head: RetinaNetClassificationHead;
  regression_head: RetinaNetRegressionHead;

  constructor(inChannels: number, numAnchors: number, numClasses: number) {
    super();
    this.classification_head = new RetinaNetClassificationHead(inChannels, numAnchors, numClasses);
    this.regression_head = new RetinaNetRegressionHead(inChannels, numAnchors);
  }

  override forward(...levels: Value[]): Record<string, Value> {
    const k = this.classification_head.numClasses;
    return {
      cls_logits: concatLevels(
        levels.map((f) => this.classification_head.forward(f)),
        k,
      ),
      bbox_regression: concatLevels(
        levels.map((f) => this.regression_head.forward(f)),
        4,
      ),
    };
  }
}

export class FCOSClassificationHead extends Module {
  conv: Sequential;
  cls_logits: Conv2d;
  readonly numClasses: number;

  constructor(inChannels: number, numAnchors: number, numClasses: number, numConvs = 4) {
    super();
    this.conv = groupNormTower(inChannels, numConvs);
    this.cls_logits = new Conv2d(inChannels, numAnchors * numClasses, 3, { padding: 1 });
    this.numClasses = numClasses;
  }

  override forward(x: Value): Value {
    return this.cls_logits.forward(this.conv.forward(x));
  }
}

export class FCOSRegressionHead extends Module {
  conv: Sequential;
  bbox_reg: Conv2d;
  bbox_ctrness: Conv2d;

  constructor(inChannels: number, numAnchors: number, numConvs = 4) {
    super();
    this.conv = groupNormTower(inChannels, numConvs);
    this.bbox_reg = new Conv2d(inChannels, numAnchors * 4, 3, { padding: 1 });
    this.bbox_ctrness = new Conv2d(inChannels, numAnchors, 3, { padding: 1 });
  }

  /** [relu(bbox_reg) (l, t, r, b distances), centerness logits]. */
  override forward(x: Value): Value[] {
    const t = this.conv.forward(x);
    return [F.relu(this.bbox_reg.forward(t)), this.bbox_ctrness.forward(t)];
  }
}

/** FCOSHead: `classification_head` and `regression_head` (with centerness) on every FPN level. */
export class FCOSHead extends Module {
  classification_head: FCOSClassificationHead;
  regression_head: FCOSRegressionHead;

  constructor(inChannels: number, numAnchors: number, numClasses: number, numConvs = 4) {
    super();
    this.classification_head = new FCOSClassificationHead(inChannels, numAnchors, numClasses, numConvs);
    this.regression_head = new FCOSRegressionHead(inChannels, numAnchors, numConvs);
  }

  override forward(...levels: Value[]): Record<string, Value> {
    const reg = levels.map((f) => this.regression_head.forward(f));
    return {
      cls_logits: concatLevels(
        levels.map((f) => this.classification_head.forward(f)),
        this.classification_head.numClasses,
      ),
      bbox_regression: concatLevels(
        reg.map((r) => r[0]!),
        4,
      ),
      bbox_ctrness: concatLevels(
        reg.map((r) => r[1]!),
        1,
      ),
    };
  }
}

/** A one-stage detector: `backbone` (ResNet body + FPN with P6/P7) and `head`. */
export class OneStageDetector extends Module {
  backbone: BackboneWithFPN;
  head: Module;

  constructor(backbone: BackboneWithFPN, head: Module) {
    super();
    this.backbone = backbone;
    this.head = head;
  }

  override forward(x: Value): Record<string, Value> {
    return this.head.forward(...this.backbone.forward(x)) as Record<string, Value>;
  }
}

function resnet50P6P7(skipInit: boolean): BackboneWithFPN {
  const body = createModel('resnet50', { featuresOnly: true, outIndices: [2, 3, 4], skipInit }) as FeatureExtractor;
  const fpn = new FeaturePyramidNetwork(
    body.featureInfo.map((f) => f.numChannels),
    256,
    new LastLevelP6P7(256, 256),
  );
  return new BackboneWithFPN(body, fpn);
}

/** torchvision `retinanet_resnet50_fpn` (v1): C3-C5 + P6/P7 from P5, 9 anchors per location. */
export function retinanetResnet50Fpn(options?: DetectorOptions): OneStageDetector {
  const o = detectorOptions(options, 'retinanetResnet50Fpn');
  return new OneStageDetector(resnet50P6P7(o.skipInit), new RetinaNetHead(256, 9, o.numClasses));
}

/** torchvision `fcos_resnet50_fpn`: C3-C5 + P6/P7 from P5, GroupNorm(32) towers, one location per point. */
export function fcosResnet50Fpn(options?: DetectorOptions): OneStageDetector {
  const o = detectorOptions(options, 'fcosResnet50Fpn');
  return new OneStageDetector(resnet50P6P7(o.skipInit), new FCOSHead(256, 1, o.numClasses));
}
