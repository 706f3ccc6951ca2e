/**
 * torchvision's two-stage detectors as Modules with torchvision's parameter names: Faster R-CNN (ResNet-50 FPN,
 * MobileNetV3-Large FPN) and Mask R-CNN (ResNet-50 FPN). `forward` traces the dense part (backbone, FPN, RPN head
 * on every level); the box and mask heads run on RoI-aligned features (`roi_heads.box_head.forward` on [R, 256, 7,
 * 7], `roi_heads.mask_head` on [R, 256, 14, 14]), after proposal selection and `MultiScaleRoIAlign` outside the
 * graph.
 */
import { createModel, type FeatureExtractor } from '@striate/backbones';
import { Module, type Sequential, type Value } from '@striate/core';
import { BackboneWithFPN, FeaturePyramidNetwork, LastLevelMaxPool } from './fpn.js';
import { TapBody } from './layers.js';
import { FastRCNNPredictor, MaskRCNNHeads, MaskRCNNPredictor, RPNHead, TwoMLPHead } from './rcnn-heads.js';

export interface DetectorOptions {
  /** Classes including background (default 91, COCO as torchvision). */
  readonly numClasses?: number;
  /** Zero-filled weights, nothing drawn (for weights loaded next, or for counting and tracing). Default true. */
  readonly skipInit?: boolean;
}

export function detectorOptions(o: DetectorOptions | undefined, ctx: string): Required<DetectorOptions> {
  const opts = o ?? {};
  if (typeof opts !== 'object') throw new TypeError(`${ctx}: options: expected an object, got ${typeof opts}`);
  for (const k of Object.keys(opts)) {
    if (k !== 'numClasses' && k !== 'skipInit') {
      throw new TypeError(`${ctx}: options: unknown option ${JSON.stringify(k)} (known: numClasses, skipInit)`);
    }
  }
  const numClasses = opts.numClasses ?? 91;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`${ctx}: numClasses: expected an integer >= 1, got ${numClasses}`);
  }
  return { numClasses, skipInit: opts.skipInit ?? true };
}

/** The RPN's parameters (its `head`); anchors, proposal selection and NMS are outside the graph. */
export class RegionProposalNetwork extends Module {
  head: RPNHead;

  constructor(inChannels: number, numAnchors: number) {
    super();
    this.head = new RPNHead(inChannels, numAnchors);
  }

  override forward(x: Value): Value[] {
    return this.head.forward(x);
  }
}

/**
 * The dense part of a two-stage detector, as traced by `forward`: the FPN maps by name ('0', ..., 'pool') and the
 * RPN's `rpn_cls_<name>` / `rpn_bbox_<name>` on every level.
 */
export function rcnnDenseOutputs(
  backbone: BackboneWithFPN,
  rpn: RegionProposalNetwork,
  x: Value,
): Record<string, Value> {
  const feats = backbone.forward(x);
  const names = backbone.fpn.outputNames;
  const out: Record<string, Value> = {};
  feats.forEach((f, i) => {
    out[names[i]!] = f;
  });
  feats.forEach((f, i) => {
    const [cls, box] = rpn.forward(f);
    out[`rpn_cls_${names[i]}`] = cls!;
    out[`rpn_bbox_${names[i]}`] = box!;
  });
  return out;
}

/** The second stage's parameters: box head and predictor, and for Mask R-CNN the mask head and predictor. */
export class RoIHeads extends Module {
  box_head: TwoMLPHead;
  box_predictor: FastRCNNPredictor;
  mask_head: MaskRCNNHeads | null = null;
  mask_predictor: MaskRCNNPredictor | null = null;

  constructor(numClasses: number, withMask: boolean, channels = 256, resolution = 7, representation = 1024) {
    super();
    this.box_head = new TwoMLPHead(channels * resolution * resolution, representation);
    this.box_predictor = new FastRCNNPredictor(representation, numClasses);
    if (withMask) {
      this.mask_head = new MaskRCNNHeads(channels, [256, 256, 256, 256]);
      this.mask_predictor = new MaskRCNNPredictor(256, 256, numClasses);
    }
  }

  /** Pooled box features [R, C, 7, 7] -> { scores [R, K], bbox_deltas [R, 4K] }. */
  override forward(x: Value): Record<string, Value> {
    return this.box_predictor.forward(this.box_head.forward(x));
  }
}

/** Faster / Mask R-CNN: `backbone` (body + fpn), `rpn`, `roi_heads`. */
export class GeneralizedRCNN extends Module {
  backbone: BackboneWithFPN;
  rpn: RegionProposalNetwork;
  roi_heads: RoIHeads;
  readonly numClasses: number;

  constructor(backbone: BackboneWithFPN, numAnchors: number, numClasses: number, withMask: boolean) {
    super();
    this.backbone = backbone;
    this.rpn = new RegionProposalNetwork(backbone.fpn.outChannels, numAnchors);
    this.roi_heads = new RoIHeads(numClasses, withMask, backbone.fpn.outChannels);
    this.numClasses = numClasses;
  }

  /** Dense outputs: the FPN maps by name ('0', ..., 'pool') and the RPN's `rpn_cls_<name>` / `rpn_bbox_<name>`. */
  override forward(x: Value): Record<string, Value> {
    return rcnnDenseOutputs(this.backbone, this.rpn, x);
  }
}

function resnet50Fpn(skipInit: boolean, outIndices: number[], extra: 'pool'): BackboneWithFPN {
  const body = createModel('resnet50', { featuresOnly: true, outIndices, skipInit }) as FeatureExtractor;
  const fpn = new FeaturePyramidNetwork(
    body.featureInfo.map((f) => f.numChannels),
    256,
    extra === 'pool' ? new LastLevelMaxPool() : null,
  );
  return new BackboneWithFPN(body, fpn);
}

/** torchvision `fasterrcnn_resnet50_fpn` (v1): 3 anchors per location (one size per level x 3 ratios). */
export function fasterrcnnResnet50Fpn(options?: DetectorOptions): GeneralizedRCNN {
  const o = detectorOptions(options, 'fasterrcnnResnet50Fpn');
  return new GeneralizedRCNN(resnet50Fpn(o.skipInit, [1, 2, 3, 4], 'pool'), 3, o.numClasses, false);
}

/** torchvision `maskrcnn_resnet50_fpn` (v1): Faster R-CNN plus the mask head and predictor. */
export function maskrcnnResnet50Fpn(options?: DetectorOptions): GeneralizedRCNN {
  const o = detectorOptions(options, 'maskrcnnResnet50Fpn');
  return new GeneralizedRCNN(resnet50Fpn(o.skipInit, [1, 2, 3, 4], 'pool'), 3, o.numClasses, true);
}

/**
 * torchvision `fasterrcnn_mobilenet_v3_large_fpn`: the FPN on `features.13` (160 ch) and `features.16` (960 ch)
 * plus a max-pool level, 15 anchors per location (5 sizes x 3 ratios). Body keys are `backbone.body.<i>.*` as
 * torchvision's IntermediateLayerGetter over `mobilenet_v3_large().features`.
 */
export function fasterrcnnMobilenetV3LargeFpn(options?: DetectorOptions): GeneralizedRCNN {
  const o = detectorOptions(options, 'fasterrcnnMobilenetV3LargeFpn');
  const net = createModel('mobilenet_v3_large', { skipInit: o.skipInit }) as Module;
  const features = net.getSubmodule('features') as Sequential;
  const body = new TapBody(features.namedChildren(), ['13', '16']);
  const fpn = new FeaturePyramidNetwork([160, 960], 256, new LastLevelMaxPool());
  return new GeneralizedRCNN(new BackboneWithFPN(body, fpn), 15, o.numClasses, false);
}
