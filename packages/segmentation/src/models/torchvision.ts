/**
 * torchvision's semantic segmentation models (torchvision.models.segmentation, aux_loss off): FCN and DeepLabV3 on
 * dilated ResNet-50/101 (output stride 8), DeepLabV3 and LR-ASPP on dilated MobileNetV3-Large (output stride 16).
 * Keys are torchvision's: backbone.*, classifier.*; the logits are resized bilinearly to the input size.
 */
import { describeValue, functional as F, Module, type Value } from '@striate/core';
import { initRng, positiveInt } from '../internal/layers.js';
import { dilatedMobileNetV3Large, dilatedResNet } from './dilate.js';
import { DeepLabHead, FCNHead, LRASPPHead, spatialSize } from './heads.js';

/** Options of the torchvision segmentation builders. */
export interface SegmentationModelOptions {
  /** Default 21 (Pascal VOC classes with background). */
  readonly numClasses?: number;
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
  /** Zero-filled weights, nothing drawn (for weights loaded next, or counting and tracing quickly). */
  readonly skipInit?: boolean;
}

/**
 * backbone (returning a list of maps) -> classifier (taking them) -> bilinear resize to the input size. The input
 * must have known H and W; N may be symbolic.
 */
export class SegmentationModel extends Module {
  backbone: Module;
  classifier: Module;
  readonly numClasses: number;

  constructor(backbone: Module, classifier: Module, numClasses: number) {
    super();
    this.backbone = backbone;
    this.classifier = classifier;
    this.numClasses = numClasses;
  }

  override forward(x: Value): Value {
    const size = spatialSize(x, this.constructor.name);
    const feats = this.backbone.forward(x) as Value[];
    const out = this.classifier.forward(...feats) as Value;
    return F.interpolate(out, { size, mode: 'bilinear', alignCorners: false });
  }
}

const KNOWN = new Set(['numClasses', 'seed', 'skipInit']);

function resolve(o: SegmentationModelOptions | undefined, ctx: string) {
  if (o !== undefined && (typeof o !== 'object' || o === null)) {
    throw new TypeError(`${ctx}: options: expected an object, got ${describeValue(o)}`);
  }
  for (const k of Object.keys(o ?? {})) {
    if (!KNOWN.has(k))
      throw new TypeError(`${ctx}: unknown option ${JSON.stringify(k)}; expected one of ${[...KNOWN].join(', ')}`);
  }
  const numClasses = positiveInt(o?.numClasses ?? 21, 'numClasses', ctx);
  const rng = initRng(o, ctx);
  return { numClasses, rng, skipInit: o?.skipInit ?? false, seed: o?.seed ?? 0 };
}

function resnetModel(
  name: 'resnet50' | 'resnet101',
  head: 'fcn' | 'deeplabv3',
  o: SegmentationModelOptions | undefined,
  ctx: string,
): SegmentationModel {
  const r = resolve(o, ctx);
  const { extractor } = dilatedResNet(name, [4], r.skipInit, r.seed);
  const classifier =
    head === 'fcn' ? new FCNHead(r.rng, 2048, r.numClasses) : new DeepLabHead(r.rng, 2048, r.numClasses);
  return new SegmentationModel(extractor, classifier, r.numClasses);
}

/** torchvision fcn_resnet50 (32,957,013 parameters with 21 classes). */
export function fcn_resnet50(options?: SegmentationModelOptions): SegmentationModel {
  return resnetModel('resnet50', 'fcn', options, 'fcn_resnet50');
}

/** torchvision fcn_resnet101 (51,949,141 parameters with 21 classes). */
export function fcn_resnet101(options?: SegmentationModelOptions): SegmentationModel {
  return resnetModel('resnet101', 'fcn', options, 'fcn_resnet101');
}

/** torchvision deeplabv3_resnet50 (39,638,869 parameters with 21 classes). */
export function deeplabv3_resnet50(options?: SegmentationModelOptions): SegmentationModel {
  return resnetModel('resnet50', 'deeplabv3', options, 'deeplabv3_resnet50');
}

/** torchvision deeplabv3_resnet101. */
export function deeplabv3_resnet101(options?: SegmentationModelOptions): SegmentationModel {
  return resnetModel('resnet101', 'deeplabv3', options, 'deeplabv3_resnet101');
}

/** torchvision deeplabv3_mobilenet_v3_large (11,025,477 parameters with 21 classes). */
export function deeplabv3_mobilenet_v3_large(options?: SegmentationModelOptions): SegmentationModel {
  const r = resolve(options, 'deeplabv3_mobilenet_v3_large');
  const backbone = dilatedMobileNetV3Large([16], r.skipInit, r.seed);
  return new SegmentationModel(backbone, new DeepLabHead(r.rng, 960, r.numClasses), r.numClasses);
}

/** torchvision lraspp_mobilenet_v3_large (3,221,538 parameters with 21 classes): low = features.4, high = 16. */
export function lraspp_mobilenet_v3_large(options?: SegmentationModelOptions): SegmentationModel {
  const r = resolve(options, 'lraspp_mobilenet_v3_large');
  const backbone = dilatedMobileNetV3Large([4, 16], r.skipInit, r.seed);
  return new SegmentationModel(backbone, new LRASPPHead(r.rng, 40, 960, r.numClasses), r.numClasses);
}
