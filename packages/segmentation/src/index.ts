export { dilatedMobileNetV3Large, dilatedResNet, TappedSequential } from './models/dilate.js';
export { bilinearKernel, FCN, type FcnOptions, type FcnVariant, type FeatureBackbone } from './models/fcn.js';
export { ASPP, DeepLabHead, FCNHead, LRASPPHead } from './models/heads.js';
export { MaskBranch, type MaskBranchOptions, MaskRCNNHeads, MaskRCNNPredictor } from './models/mask-head.js';
export {
  MaskRCNN,
  type MaskRCNNOptions,
  MaskRCNNRoIHeads,
  maskrcnn_resnet50_fpn,
} from './models/mask-rcnn.js';
export { maskProbabilities } from './models/mask-rcnn-inference.js';
export {
  deeplabv3_mobilenet_v3_large,
  deeplabv3_resnet50,
  deeplabv3_resnet101,
  fcn_resnet50,
  fcn_resnet101,
  lraspp_mobilenet_v3_large,
  SegmentationModel,
  type SegmentationModelOptions,
} from './models/torchvision.js';
export {
  BackboneUNet,
  type BackboneUNetOptions,
  DoubleConv,
  UNet,
  type UNetBlockOptions,
  type UNetOptions,
} from './models/unet.js';
export {
  type CocoMaskResult,
  type EvaluateInstanceMasksOptions,
  evaluateInstanceMasks,
  type InstanceMaskAnnotation,
  type InstanceMaskPrediction,
  instanceMasksToCocoResults,
} from './ops/instance-metrics.js';
export {
  type BinaryScores,
  binaryMaskScores,
  type ConfusionOptions,
  confusionMatrix,
  type SegmentationScores,
  scoresFromConfusion,
  segmentationScores,
} from './ops/metrics.js';
export { type PasteMasksOptions, pasteMasksInImage } from './ops/paste-masks.js';
export { maskToRle, rleToMask } from './ops/rle.js';
export { argmaxClasses, colorize, type OverlayOptions, overlay, resizeLabels, vocPalette } from './ops/semantic.js';
