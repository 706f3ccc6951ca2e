/**
 * torchvision's `maskrcnn_resnet50_fpn` (v1) assembled from @striate/detection's Faster R-CNN parts (ResNet-50
 * body + `FeaturePyramidNetwork` with `LastLevelMaxPool`, `RegionProposalNetwork`, `TwoMLPHead`,
 * `FastRCNNPredictor`) and this package's mask branch (`MaskRCNNHeads`, `MaskRCNNPredictor`). Parameter and buffer
 * names are torchvision's state_dict keys (`backbone.body.layer1.0.conv1.weight`, `rpn.head.conv.0.0.weight`,
 * `roi_heads.box_head.fc6.weight`, `roi_heads.mask_predictor.conv5_mask.weight`, ...).
 *
 * `forward` traces the dense part (FPN maps and the RPN's per-level outputs, as detection's `GeneralizedRCNN`); the
 * second stage runs on RoI-aligned features outside that graph: `roi_heads.boxRoiPool` (7x7) then `roi_heads`
 * (box scores and deltas), and `roi_heads.maskRoiPool` (14x14) then `roi_heads.maskBranch()` (per-class 28x28 mask
 * logits), whose outputs `maskProbabilities` and `pasteMasksInImage` turn into image masks.
 */
import { createModel, type FeatureExtractor } from '@striate/backbones';
import { describeValue, Module, Sequential, type Value } from '@striate/core';
import {
  BackboneWithFPN,
  FastRCNNPredictor,
  FeaturePyramidNetwork,
  LastLevelMaxPool,
  MultiScaleRoIAlign,
  RegionProposalNetwork,
  rcnnDenseOutputs,
  TwoMLPHead,
} from '@striate/detection';
import { initRng, positiveInt } from '../internal/layers.js';
import { MaskRCNNHeads, MaskRCNNPredictor } from './mask-head.js';

/** Options of `maskrcnn_resnet50_fpn`. */
export interface MaskRCNNOptions {
  /** Classes including background (default 91, COCO as torchvision). */
  readonly numClasses?: number;
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
  /** Zero-filled backbone and mask-branch weights, nothing drawn there (for weights loaded next, or counting). */
  readonly skipInit?: boolean;
}

const FPN_LEVELS = ['0', '1', '2', '3'] as const;

/**
 * torchvision's `RoIHeads` of Mask R-CNN: `box_head` (fc6, fc7), `box_predictor` (cls_score, bbox_pred),
 * `mask_head` (four 3x3 convs) and `mask_predictor` (conv5_mask, mask_fcn_logits), with the two RoI poolers
 * (no parameters) torchvision uses: 7x7 and 14x14 `MultiScaleRoIAlign` over FPN levels '0'-'3', sampling ratio 2.
 */
export class MaskRCNNRoIHeads extends Module {
  box_head: TwoMLPHead;
  box_predictor: FastRCNNPredictor;
  mask_head: MaskRCNNHeads;
  mask_predictor: MaskRCNNPredictor;
  readonly boxRoiPool = new MultiScaleRoIAlign({ featmapNames: FPN_LEVELS, outputSize: 7, samplingRatio: 2 });
  readonly maskRoiPool = new MultiScaleRoIAlign({ featmapNames: FPN_LEVELS, outputSize: 14, samplingRatio: 2 });

  constructor(numClasses: number, channels = 256, options: Pick<MaskRCNNOptions, 'seed' | 'skipInit'> = {}) {
    super();
    positiveInt(numClasses, 'numClasses', 'MaskRCNNRoIHeads');
    const representation = 1024;
    this.box_head = new TwoMLPHead(channels * 7 * 7, representation);
    this.box_predictor = new FastRCNNPredictor(representation, numClasses);
    const seed = options.seed ?? 0;
    this.mask_head = new MaskRCNNHeads(channels, [256, 256, 256, 256], 1, { ...options, seed: seed + 1 });
    this.mask_predictor = new MaskRCNNPredictor(256, 256, numClasses, { ...options, seed: seed + 2 });
  }

  /** Box-pooled RoI features [R, C, 7, 7] -> { scores [R, K], bbox_deltas [R, 4K] }. */
  override forward(x: Value): Record<string, Value> {
    return this.box_predictor.forward(this.box_head.forward(x));
  }

  /**
   * mask_head -> mask_predictor as one module sharing these weights, for tracing on mask-pooled RoI features:
   * [R, C, 14, 14] -> per-class mask logits [R, K, 28, 28].
   */
  maskBranch(): Sequential {
    return new Sequential(this.mask_head, this.mask_predictor);
  }
}

/** Mask R-CNN: `backbone` (body + fpn), `rpn` and `roi_heads`, torchvision's module tree. */
export class MaskRCNN extends Module {
  backbone: BackboneWithFPN;
  rpn: RegionProposalNetwork;
  roi_heads: MaskRCNNRoIHeads;
  readonly numClasses: number;

  constructor(
    backbone: BackboneWithFPN,
    numAnchors: number,
    numClasses: number,
    options: Pick<MaskRCNNOptions, 'seed' | 'skipInit'> = {},
  ) {
    super();
    if (!(backbone instanceof BackboneWithFPN)) {
      throw new TypeError(`MaskRCNN: backbone: expected a BackboneWithFPN, got ${describeValue(backbone)}`);
    }
    this.backbone = backbone;
    this.rpn = new RegionProposalNetwork(backbone.fpn.outChannels, positiveInt(numAnchors, 'numAnchors', 'MaskRCNN'));
    this.roi_heads = new MaskRCNNRoIHeads(numClasses, backbone.fpn.outChannels, options);
    this.numClasses = numClasses;
  }

  /** Dense outputs: the FPN maps by name ('0'-'3', 'pool') and the RPN's `rpn_cls_<name>` / `rpn_bbox_<name>`. */
  override forward(x: Value): Record<string, Value> {
    return rcnnDenseOutputs(this.backbone, this.rpn, x);
  }
}

const KNOWN = new Set(['numClasses', 'seed', 'skipInit']);

/**
 * torchvision `maskrcnn_resnet50_fpn` (v1, `weights=None, weights_backbone=None`, so BatchNorm2d): 44,454,513
 * parameters with 91 classes. 3 anchors per location (one size per FPN level x ratios 0.5, 1, 2).
 */
export function maskrcnn_resnet50_fpn(options?: MaskRCNNOptions): MaskRCNN {
  const ctx = 'maskrcnn_resnet50_fpn';
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${ctx}: options: expected an object, got ${describeValue(options)}`);
  }
  for (const k of Object.keys(options ?? {})) {
    if (!KNOWN.has(k))
      throw new TypeError(`${ctx}: unknown option ${JSON.stringify(k)}; expected one of ${[...KNOWN].join(', ')}`);
  }
  const numClasses = positiveInt(options?.numClasses ?? 91, 'numClasses', ctx);
  initRng(options, ctx); // validates seed and skipInit
  const skipInit = options?.skipInit ?? false;
  const seed = options?.seed ?? 0;
  const body = createModel('resnet50', {
    featuresOnly: true,
    outIndices: [1, 2, 3, 4],
    skipInit,
    seed,
  }) as FeatureExtractor;
  const fpn = new FeaturePyramidNetwork(
    body.featureInfo.map((f) => f.numChannels),
    256,
    new LastLevelMaxPool(),
  );
  return new MaskRCNN(new BackboneWithFPN(body, fpn), 3, numClasses, { seed, skipInit });
}
