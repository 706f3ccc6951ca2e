/**
 * Decoder configurations of the shared pretrained models (`shared/models/README.md` gives their conventions).
 * They are plain data: `createDecoder(FASTESTDET_CONFIG)`, or written to JSON and read back with `decoderFromJson`.
 */
import type { BlazeFaceDecoderConfig, FastestDetDecoderConfig, SsdDecoderConfig } from './config.js';

/** FastestDet (dog-qiuqiu, 352x352 BGR /255, stretch resize): display threshold 0.65, NMS 0.45 per class. */
export const FASTESTDET_CONFIG: FastestDetDecoderConfig = {
  type: 'fastestdet',
  preprocess: {
    width: 352,
    height: 352,
    channelOrder: 'bgr',
    mean: [0, 0, 0],
    std: [255, 255, 255],
    layout: 'nchw',
    resize: 'stretch',
  },
  postprocess: { scoreThreshold: 0.65, iouThreshold: 0.45, maxDetections: 100, classAware: true },
  numClasses: 80,
  objExponent: 0.6,
  clsExponent: 0.4,
};

const ULTRAFACE: Omit<SsdDecoderConfig, 'type'> = {
  preprocess: {
    width: 320,
    height: 240,
    channelOrder: 'rgb',
    mean: [127, 127, 127],
    std: [128, 128, 128],
    layout: 'nchw',
    resize: 'stretch',
  },
  postprocess: { scoreThreshold: 0.7, iouThreshold: 0.3, maxDetections: 200, classAware: false },
  outputs: { scores: 'scores', boxes: 'boxes' },
  priors: {
    featureMaps: [
      [40, 30],
      [20, 15],
      [10, 8],
      [5, 4],
    ],
    minSizes: [
      [10, 16, 24],
      [32, 48],
      [64, 96],
      [128, 192, 256],
    ],
    clip: true,
  },
  variances: [0.1, 0.2],
  scores: 'probabilities',
  backgroundIndex: 0,
};

/** UltraFace RFB-320 (`version-RFB-320_without_postprocessing.onnx`): 4420 SSD priors, variances (0.1, 0.2). */
export const ULTRAFACE_RFB_320_CONFIG: SsdDecoderConfig = { type: 'ssd', ...ULTRAFACE };

/** UltraFace slim-320: the same priors and coding as RFB-320. */
export const ULTRAFACE_SLIM_320_CONFIG: SsdDecoderConfig = { type: 'ssd', ...ULTRAFACE };

/** MediaPipe BlazeFace back camera (`face_detection_back_256x256_barracuda.onnx`): 896 anchors, 6 keypoints. */
export const BLAZEFACE_BACK_256_CONFIG: BlazeFaceDecoderConfig = {
  type: 'blazeface',
  preprocess: {
    width: 256,
    height: 256,
    channelOrder: 'rgb',
    mean: [127.5, 127.5, 127.5],
    std: [127.5, 127.5, 127.5],
    layout: 'nhwc',
    resize: 'stretch',
  },
  postprocess: { scoreThreshold: 0.5, iouThreshold: 0.3, maxDetections: 100, classAware: false },
  outputs: { scores: ['Identity:0', 'Identity_1:0'], regressors: ['Identity_2:0', 'Identity_3:0'] },
  anchors: [
    { grid: 16, perCell: 2 },
    { grid: 8, perCell: 6 },
  ],
  keypoints: 6,
  scale: 256,
  scoreClip: 100,
};
