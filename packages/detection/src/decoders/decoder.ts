/**
 * A `Decoder` is a validated `DecoderConfig` with its preprocessing and its decoding bound; `detect` runs the whole
 * pipeline on a compiled model: image -> preprocess -> model.run -> decode -> score threshold -> top-k -> NMS
 * (per class or not) -> max detections -> boxes mapped back to the original image.
 */
import type { CompiledModel, Tensor } from '@striate/core';
import { batchedNms, nms } from '../nms.js';
import type { DecoderConfig, PostprocessSpec, RawDetections } from './config.js';
import { decodeBlazeFace, decodeSsd, ssdPriors } from './decode-anchors.js';
import { decodeFastestDet, decodeYolo } from './decode-grid.js';
import { validateDecoderConfig } from './decoder-json.js';
import { type InputTransform, preprocessImage, type RgbImage } from './preprocess.js';

export interface Decoder {
  readonly config: DecoderConfig;
  /** The model input for `image` and the transform back to its pixels. */
  preprocess(image: RgbImage): { input: Tensor<'float32'>; transform: InputTransform };
  /** Candidates scoring at least `scoreThreshold` (default: the config's), in model-input pixels. */
  decode(outputs: Readonly<Record<string, Tensor>>, scoreThreshold?: number): RawDetections;
}

/** One detection in original-image pixels. */
export interface Detection {
  /** `[x1, y1, x2, y2]`, clipped to the image. */
  box: [number, number, number, number];
  score: number;
  /** 0-based class index of the model (e.g. FastestDet's `coco.names` line, 0 = face for face detectors). */
  classIndex: number;
  /** Keypoints `[x, y]` (BlazeFace: 6), when the model has them. */
  keypoints?: [number, number][];
}

/** Validates `config` (errors name the field) and binds it. */
export function createDecoder(config: DecoderConfig): Decoder {
  const cfg = validateDecoderConfig(config);
  const priors = cfg.type === 'ssd' ? ssdPriors(cfg) : undefined;
  return {
    config: cfg,
    preprocess: (image) => preprocessImage(image, cfg.preprocess),
    decode(outputs, scoreThreshold = cfg.postprocess.scoreThreshold) {
      if (outputs === null || typeof outputs !== 'object') {
        throw new TypeError(`decode: outputs: expected a record of tensors, got ${String(outputs)}`);
      }
      switch (cfg.type) {
        case 'ssd':
          return decodeSsd(cfg, outputs, scoreThreshold, priors!);
        case 'blazeface':
          return decodeBlazeFace(cfg, outputs, scoreThreshold);
        case 'fastestdet':
          return decodeFastestDet(cfg, outputs, scoreThreshold);
        case 'yolo':
          return decodeYolo(cfg, outputs, scoreThreshold);
      }
    },
  };
}

/** Builds a `Decoder` from a parsed JSON configuration (the `DecoderConfig` schema; errors name the field). */
export function decoderFromJson(json: unknown): Decoder {
  return createDecoder(json as DecoderConfig);
}

/** The decoded candidates NMS is given: boxes, scores and classes, and each one's index in the `RawDetections`. */
export interface NmsCandidates {
  readonly boxes: Float32Array;
  readonly scores: Float32Array;
  readonly classes: Int32Array;
  readonly indices: readonly number[];
}

/**
 * The candidates scoring at least `scoreThreshold`, by descending score (ties: lower index), cut to `preNmsTopK`:
 * what `postprocessDetections` (and so `detect`) hands to NMS.
 */
export function selectNmsCandidates(raw: RawDetections, scoreThreshold: number, preNmsTopK?: number): NmsCandidates {
  let idx: number[] = [];
  for (let i = 0; i < raw.scores.length; i++) if (raw.scores[i]! >= scoreThreshold) idx.push(i);
  idx.sort((a, b) => raw.scores[b]! - raw.scores[a]! || a - b);
  if (preNmsTopK !== undefined) idx = idx.slice(0, preNmsTopK);
  const boxes = new Float32Array(4 * idx.length);
  const scores = new Float32Array(idx.length);
  const classes = new Int32Array(idx.length);
  idx.forEach((i, j) => {
    boxes.set(raw.boxes.subarray(4 * i, 4 * i + 4), 4 * j);
    scores[j] = raw.scores[i]!;
    classes[j] = raw.classes[i]!;
  });
  return { boxes, scores, classes, indices: idx };
}

/** Threshold, top-k, NMS and max detections on decoded candidates; then maps them through `transform`. */
export function postprocessDetections(
  raw: RawDetections,
  transform: InputTransform,
  spec: PostprocessSpec,
): Detection[] {
  const { boxes, scores, classes, indices: idx } = selectNmsCandidates(raw, spec.scoreThreshold, spec.preNmsTopK);
  const kept = spec.classAware
    ? batchedNms(boxes, scores, classes, spec.iouThreshold)
    : nms(boxes, scores, spec.iouThreshold);
  const { scaleX, scaleY, padX, padY, width, height } = transform;
  const mapX = (u: number) => Math.min(width, Math.max(0, (u - padX) / scaleX));
  const mapY = (v: number) => Math.min(height, Math.max(0, (v - padY) / scaleY));
  const out: Detection[] = [];
  for (let t = 0; t < kept.length && out.length < spec.maxDetections; t++) {
    const j = kept[t]!;
    const det: Detection = {
      box: [mapX(boxes[4 * j]!), mapY(boxes[4 * j + 1]!), mapX(boxes[4 * j + 2]!), mapY(boxes[4 * j + 3]!)],
      score: scores[j]!,
      classIndex: classes[j]!,
    };
    if (raw.keypoints && raw.keypointCount > 0) {
      const K = raw.keypointCount;
      const base = 2 * K * idx[j]!;
      det.keypoints = [];
      for (let k = 0; k < K; k++) {
        det.keypoints.push([
          (raw.keypoints[base + 2 * k]! - padX) / scaleX,
          (raw.keypoints[base + 2 * k + 1]! - padY) / scaleY,
        ]);
      }
    }
    out.push(det);
  }
  return out;
}

/** Options of `detect`: overrides of the decoder's `PostprocessSpec`. */
export type DetectOptions = Partial<PostprocessSpec>;

/** Runs `model` on `image` and returns its detections in the image's pixels, best first. */
export async function detect(
  model: CompiledModel,
  decoder: Decoder,
  image: RgbImage,
  options: DetectOptions = {},
): Promise<Detection[]> {
  if (model === null || typeof model !== 'object' || typeof model.run !== 'function') {
    throw new TypeError(`detect: model: expected a CompiledModel, got ${String(model)}`);
  }
  const spec = validateDecoderConfig(
    { ...decoder.config, postprocess: { ...decoder.config.postprocess, ...options } },
    'decoder.config (with options)',
  ).postprocess;
  const { input, transform } = decoder.preprocess(image);
  const inputName = decoder.config.preprocess.inputName ?? model.inputNames[0]!;
  const outputs = await model.run({ [inputName]: input });
  return postprocessDetections(decoder.decode(outputs, spec.scoreThreshold), transform, spec);
}
