export { AnchorGenerator, type AnchorGeneratorOptions } from './anchor-generator.js';
export { BBOX_XFORM_CLIP, BoxCoder } from './box-coder.js';
export type { CocoIouType } from './coco/coco-data.js';
export { type CocoEvalResult, type EvaluateCocoOptions, evaluateCoco } from './coco/coco-eval.js';
export { cocoBboxIou, cocoRleIou } from './coco/coco-iou.js';
export { COCO_STAT_NAMES } from './coco/coco-params.js';
export {
  type CompressedRle,
  type MaskOrder,
  type Rle,
  rleArea,
  rleDecode,
  rleEncode,
  rleFromString,
  rleMerge,
  rleToBbox,
  rleToCompressed,
  rleToString,
} from './coco/rle.js';
export { type CocoSegmentation, rleFromBbox, rleFromPolygon, rleFromSegmentation } from './coco/rle-poly.js';
export {
  type EvaluateWiderFaceOptions,
  evaluateWiderFace,
  type WiderFaceImage,
  type WiderFaceResult,
} from './coco/widerface.js';
export { type CocoResult, cocoCategoryIdsByYoloIndex, toCocoResults } from './decoders/coco-results.js';
export type {
  BlazeFaceDecoderConfig,
  DecoderConfig,
  FastestDetDecoderConfig,
  PostprocessSpec,
  PreprocessSpec,
  RawDetections,
  SsdDecoderConfig,
  YoloDecoderConfig,
  YoloLevel,
} from './decoders/config.js';
export { ssdPriors } from './decoders/decode-anchors.js';
export {
  createDecoder,
  type Decoder,
  type Detection,
  type DetectOptions,
  decoderFromJson,
  detect,
  type NmsCandidates,
  postprocessDetections,
  selectNmsCandidates,
} from './decoders/decoder.js';
export { validateDecoderConfig } from './decoders/decoder-json.js';
export { type InputTransform, preprocessImage, type RgbImage, resizeBilinear } from './decoders/preprocess.js';
export {
  BLAZEFACE_BACK_256_CONFIG,
  FASTESTDET_CONFIG,
  ULTRAFACE_RFB_320_CONFIG,
  ULTRAFACE_SLIM_320_CONFIG,
} from './decoders/presets.js';
export {
  type DefaultBoxes,
  type SsdDefaultBoxesOptions,
  ssdDefaultBoxes,
  type YoloAnchorLevel,
  type YoloAnchors,
  yoloAnchors,
} from './default-boxes.js';
export {
  OverFeatHead,
  type OverFeatHeadOptions,
  YoloAnchorHead,
  type YoloAnchorHeadOptions,
  YoloV1Head,
  type YoloV1HeadOptions,
} from './heads/classic.js';
export { concatLevels, permuteAndFlatten } from './heads/dense-outputs.js';
export {
  BackboneWithFPN,
  type ExtraFpnBlock,
  FeaturePyramidNetwork,
  LastLevelMaxPool,
  LastLevelP6P7,
} from './heads/fpn.js';
export { type ConvNormActOptions, convNormAct, GroupNorm, ReLU6, TapBody } from './heads/layers.js';
export {
  type Detections,
  type PostprocessRoiDetectionsOptions,
  postprocessRoiDetections,
  type SelectDetectionsOptions,
  selectDetections,
} from './heads/postprocess.js';
export {
  type DetectorOptions,
  fasterrcnnMobilenetV3LargeFpn,
  fasterrcnnResnet50Fpn,
  GeneralizedRCNN,
  maskrcnnResnet50Fpn,
  RegionProposalNetwork,
  RoIHeads,
  rcnnDenseOutputs,
} from './heads/rcnn.js';
export { FastRCNNPredictor, MaskRCNNHeads, MaskRCNNPredictor, RPNHead, TwoMLPHead } from './heads/rcnn-heads.js';
export {
  boxesToCanvas,
  boxesToOriginal,
  type LetterboxOptions,
  letterbox,
  type ResizeForDetectionOptions,
  type ResizeParams,
  resizeForDetection,
} from './heads/resize-params.js';
export {
  FCOSClassificationHead,
  FCOSHead,
  FCOSRegressionHead,
  fcosResnet50Fpn,
  OneStageDetector,
  RetinaNetClassificationHead,
  RetinaNetHead,
  RetinaNetRegressionHead,
  retinanetResnet50Fpn,
} from './heads/retinanet-fcos.js';
export {
  L2NormChannels,
  SSD,
  SSDFeatureExtractorVGG,
  SSDHead,
  SSDLiteHead,
  SSDScoringHead,
  ssd300Vgg16,
  ssdlite320MobilenetV3Large,
} from './heads/ssd.js';
export { mobilenetV3ReducedTail, SSDLiteFeatureExtractorMobileNet } from './heads/ssdlite-backbone.js';
export { type DecodeYoloV1Options, decodeYoloV1 } from './heads/yolo-v1-decode.js';
export {
  type BoxLossOptions,
  ciouLoss,
  diouLoss,
  type FocalLossOptions,
  giouLoss,
  type Reduction,
  type SmoothL1Options,
  sigmoidFocalLoss,
  smoothL1Loss,
} from './losses.js';
export {
  BalancedPositiveNegativeSampler,
  BELOW_LOW_THRESHOLD,
  BETWEEN_THRESHOLDS,
  Matcher,
  type MatcherOptions,
  type SampledMasks,
} from './matcher.js';
export { assignFpnLevels, MultiScaleRoIAlign, type MultiScaleRoIAlignOptions } from './multi-scale-roi-align.js';
export { type BoxesInput, batchedNms, nms, type VectorInput } from './nms.js';
export { batchedNmsWebGpu, disposeNmsWebGpu, type NmsWebGpuOptions, nmsWebGpu } from './nms-webgpu.js';
export { type RoiAlignOptions, roiAlign } from './roi-align.js';
export {
  type MultiScaleRoIAlignFeeds,
  type MultiScaleRoIAlignGraphOptions,
  multiScaleRoIAlignFeeds,
  multiScaleRoIAlignGraph,
  PARKED_ROI_COORDINATE,
  type RoiAlignGraphOptions,
  roiAlignGraph,
} from './roi-align-graph.js';
export { type RoiPoolOptions, roiPool } from './roi-pool.js';
export { type RoiPoolGraphOptions, roiPoolGraph } from './roi-pool-graph.js';
export { type SoftNmsOptions, type SoftNmsResult, softNms } from './soft-nms.js';
export { type YoloV1LossOptions, type YoloV1LossResult, yoloV1Loss } from './yolo-v1-loss.js';
