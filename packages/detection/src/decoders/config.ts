/**
 * The configuration of a detector decoder: plain JSON-able objects (see `decoderFromJson` for validation).
 * Every decoder config holds its preprocessing (`PreprocessSpec`), its postprocessing defaults (`PostprocessSpec`)
 * and what is specific to its model family. Boxes leave a decoder as `(x1, y1, x2, y2)` in pixels of the model's
 * input; `detect` maps them back to the original image.
 */

/** How an HWC uint8 RGB image becomes the model's input tensor. */
export interface PreprocessSpec {
  /** Model input width and height in pixels. */
  width: number;
  height: number;
  /** Channel order the model expects (the image given to `detect` is always RGB). */
  channelOrder: 'rgb' | 'bgr';
  /** value = (pixel - mean[c]) / std[c], pixel in [0, 255], c in the model's channel order. */
  mean: [number, number, number];
  std: [number, number, number];
  /** `nchw` ([1, 3, H, W]) or `nhwc` ([1, H, W, 3]). */
  layout: 'nchw' | 'nhwc';
  /** `stretch`: plain (squashing) resize; `letterbox`: keep the aspect ratio, pad centred with `padValue`. */
  resize: 'stretch' | 'letterbox';
  /** Pixel value (0-255, before normalisation) of the letterbox padding (default 114). */
  padValue?: number;
  /** Name of the model input (default: the model's first input). */
  inputName?: string;
}

/** Defaults of the steps after decoding (each can be overridden per `detect` call). */
export interface PostprocessSpec {
  /** Boxes scoring below this are dropped before NMS. */
  scoreThreshold: number;
  /** NMS IoU threshold. */
  iouThreshold: number;
  /** At most this many detections per image, best first. */
  maxDetections: number;
  /** `true`: NMS per class (`batchedNms`); `false`: across classes (`nms`). */
  classAware: boolean;
  /** Keep only the best `preNmsTopK` candidates before NMS (default: all). */
  preNmsTopK?: number;
}

interface ConfigBase {
  preprocess: PreprocessSpec;
  postprocess: PostprocessSpec;
}

/**
 * SSD-style priors and a box coder (UltraFace). Priors: for each feature map `[w, h]` (row-major, y outer) and each
 * min size of that level (pixels of the input), a prior `(cx, cy, min / inputW, min / inputH)` with
 * `cx = (x + 0.5) / w`; the priors are clipped to [0, 1] when `clip`. Deltas decode as
 * `cx = pcx + d0 * v0 * pw`, `w = pw * exp(d2 * v1)` (`BoxCoder` with weights `(1/v0, 1/v0, 1/v1, 1/v1)`).
 */
export interface SsdDecoderConfig extends ConfigBase {
  type: 'ssd';
  /** Output names: scores `[1, N, C]` (column `backgroundIndex` is background), boxes `[1, N, 4]` deltas. */
  outputs: { scores: string; boxes: string };
  priors: { featureMaps: [number, number][]; minSizes: number[][]; clip: boolean };
  /** Centre and size variances (0.1, 0.2 in SSD). */
  variances: [number, number];
  /** `probabilities` (already softmaxed) or `logits` (softmax applied here). */
  scores: 'probabilities' | 'logits';
  backgroundIndex: number;
}

/**
 * MediaPipe BlazeFace: SSD anchors of size 1x1 on square grids (`grid` cells per side, `perCell` anchors per cell,
 * centres `((x + 0.5) / grid, (y + 0.5) / grid)`), regressors in pixels of a `scale`-pixel input:
 * `cx = acx + r0 / scale`, `w = r2 / scale`, keypoint k = `(acx + r[4 + 2k] / scale, acy + r[5 + 2k] / scale)`;
 * score = sigmoid(logit clamped to +-`scoreClip`).
 */
export interface BlazeFaceDecoderConfig extends ConfigBase {
  type: 'blazeface';
  /** Per anchor level, in anchor order: the output names of its scores `[1, n, 1]` and regressors `[1, n, R]`. */
  outputs: { scores: string[]; regressors: string[] };
  anchors: { grid: number; perCell: number }[];
  keypoints: number;
  /** Pixel scale of the regressors (the input size the model was trained at, 256 or 128). */
  scale: number;
  /** Logits are clamped to [-scoreClip, scoreClip] before the sigmoid (MediaPipe uses 100). */
  scoreClip: number;
}

/**
 * FastestDet (anchor-free): output `[1, 5 + C, G, G]`, per cell `[obj, tx, ty, tw, th, classes...]`;
 * `cx = (col + tanh(tx)) / G`, `cy = (row + tanh(ty)) / G`, `w = sigmoid(tw)`, `h = sigmoid(th)` (relative),
 * score = obj^objExponent * max(cls)^clsExponent.
 */
export interface FastestDetDecoderConfig extends ConfigBase {
  type: 'fastestdet';
  /** Output name (default: the model's first output). */
  output?: string;
  numClasses: number;
  objExponent: number;
  clsExponent: number;
}

/** One level of a raw YOLO head: output `[1, A * (5 + C), H, W]` (channels anchor-major) or `[1, A, H, W, 5 + C]`. */
export interface YoloLevel {
  output: string;
  stride: number;
  /** Anchor sizes `[w, h]` in input pixels. */
  anchors: [number, number][];
}

/**
 * Generic YOLO family. `format: 'grid'`: raw per-level heads, values passed through a sigmoid when
 * `activation: 'sigmoid'`; boxes as `yolov3` (`cx = (sig(tx) + col) * s`, `w = exp(tw) * anchorW`, `tw` raw) or
 * `yolov5` (`cx = (2 sig(tx) - 0.5 + col) * s`, `w = (2 sig(tw))^2 * anchorW`). `format: 'flat'`: one output of
 * already decoded rows `[1, N, K]` (`transposed: true` for `[1, K, N]`, as YOLOv8 exports), each row
 * `[cx, cy, w, h, (obj), classes...]` in input pixels (`boxFormat: 'xyxy'` for corners).
 * Score = obj * max(cls) with objectness, max(cls) without.
 */
export interface YoloDecoderConfig extends ConfigBase {
  type: 'yolo';
  numClasses: number;
  hasObjectness: boolean;
  format: 'grid' | 'flat';
  /** For `grid`. */
  levels?: YoloLevel[];
  boxEncoding?: 'yolov3' | 'yolov5';
  activation?: 'sigmoid' | 'none';
  /** For `flat`. */
  output?: string;
  transposed?: boolean;
  boxFormat?: 'cxcywh' | 'xyxy';
}

export type DecoderConfig = SsdDecoderConfig | BlazeFaceDecoderConfig | FastestDetDecoderConfig | YoloDecoderConfig;

/** Decoded candidates before thresholds and NMS, boxes `(x1, y1, x2, y2)` in model-input pixels. */
export interface RawDetections {
  boxes: Float32Array;
  scores: Float32Array;
  classes: Int32Array;
  /** Keypoints per box (model-input pixels), `2 * keypointCount` values per box. */
  keypoints?: Float32Array;
  keypointCount: number;
}
