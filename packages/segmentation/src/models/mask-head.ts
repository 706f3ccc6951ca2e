/**
 * The Mask R-CNN mask branch (He et al. 2017; torchvision.models.detection.mask_rcnn): RoI features pooled by
 * `MultiScaleRoIAlign` to 14x14 -> four 3x3 convolutions with ReLU (`MaskRCNNHeads`) -> a 2x2 stride-2 transposed
 * convolution with ReLU and a 1x1 convolution to one 28x28 mask logit map per class (`MaskRCNNPredictor`).
 * Parameter names are torchvision's (mask_head.0.0.weight, mask_predictor.conv5_mask.weight, ...).
 */

import { Module, ReLU, Sequential, type Tensor, type Value } from '@striate/core';
import { MultiScaleRoIAlign } from '@striate/detection';
import { conv, convT, type InitOptions, initRng, positiveInt } from '../internal/layers.js';

/** torchvision MaskRCNNHeads: Conv2dNormActivation(norm_layer=None) blocks ('0' conv with bias, '1' ReLU). */
export class MaskRCNNHeads extends Sequential {
  constructor(inChannels = 256, layers: readonly number[] = [256, 256, 256, 256], dilation = 1, init?: InitOptions) {
    const rng = initRng(init, 'MaskRCNNHeads');
    const blocks: Module[] = [];
    let c = positiveInt(inChannels, 'inChannels', 'MaskRCNNHeads');
    for (const out of layers) {
      positiveInt(out, 'layers[]', 'MaskRCNNHeads');
      blocks.push(new Sequential(conv(rng, c, out, 3, { padding: dilation, dilation }), new ReLU()));
      c = out;
    }
    super(...blocks);
  }
}

/** torchvision MaskRCNNPredictor: conv5_mask (2x2 stride-2 ConvTranspose2d) -> ReLU -> mask_fcn_logits (1x1). */
export class MaskRCNNPredictor extends Sequential {
  constructor(inChannels: number, dimReduced: number, numClasses: number, init?: InitOptions) {
    const rng = initRng(init, 'MaskRCNNPredictor');
    super(
      new Map<string, Module>([
        ['conv5_mask', convT(rng, inChannels, dimReduced, 2, { stride: 2 })],
        ['relu', new ReLU()],
        ['mask_fcn_logits', conv(rng, dimReduced, positiveInt(numClasses, 'numClasses', 'MaskRCNNPredictor'), 1)],
      ]),
    );
  }
}

export interface MaskBranchOptions extends InitOptions {
  /** Default 91 (COCO with background, as maskrcnn_resnet50_fpn). */
  readonly numClasses?: number;
  /** FPN channels (default 256). */
  readonly inChannels?: number;
}

/**
 * mask_head + mask_predictor as one module: input RoI features [K, 256, 14, 14], output per-class mask logits
 * [K, numClasses, 28, 28]. `roiPool` is the matching MultiScaleRoIAlign (FPN levels '0'-'3', 14x14, sampling 2).
 */
export class MaskBranch extends Module {
  mask_head: MaskRCNNHeads;
  mask_predictor: MaskRCNNPredictor;
  readonly roiPool = new MultiScaleRoIAlign({ featmapNames: ['0', '1', '2', '3'], outputSize: 14, samplingRatio: 2 });

  constructor(options: MaskBranchOptions = {}) {
    super();
    const inC = options.inChannels ?? 256;
    this.mask_head = new MaskRCNNHeads(inC, [256, 256, 256, 256], 1, options);
    this.mask_predictor = new MaskRCNNPredictor(256, 256, options.numClasses ?? 91, {
      ...options,
      seed: (options.seed ?? 0) + 1,
    });
  }

  override forward(roiFeatures: Value): Value {
    return this.mask_predictor.forward(this.mask_head.forward(roiFeatures) as Value) as Value;
  }

  /** Pools the RoI features of `boxes` (per image, image coordinates) from FPN maps: [sum K, C, 14, 14]. */
  poolRois(
    features: Readonly<Record<string, Tensor>>,
    boxes: readonly (Float32Array | Float64Array)[],
    imageSizes: readonly (readonly [number, number])[],
  ): Tensor {
    return this.roiPool.forward(features, boxes, imageSizes);
  }
}
