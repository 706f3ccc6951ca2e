/**
 * The NMS stage of a detector on real candidates: the model's outputs on one image, decoded at the score threshold
 * its accuracy task uses (0.01 for COCO mAP, 0.02 for WIDER FACE), sorted by score (ties: lower index) and cut to the decoder's `preNmsTopK` - exactly what `detect` gives its
 * NMS - then striate's `nms` / `batchedNms` timed against `tf.image.nonMaxSuppression` on tfjs cpu and wasm, each
 * peer's keep list compared with striate's.
 */
import type { CompiledModel } from '@striate/core';
import { batchedNms, type Decoder, type NmsCandidates, nms, selectNmsCandidates } from '@striate/detection';
import { summarizeLatency } from '../harness/stats.js';
import type { NmsStageResult } from '../report/schema.js';
import { loadRgbImage } from './detector-map.js';
import { prepareTfjsNms, TFJS_NMS_DEVICES } from './tfjs-nms.js';

export type { NmsCandidates } from '@striate/detection';

/** The candidates `detect` would hand to NMS for this image. */
export async function nmsCandidates(
  model: CompiledModel,
  decoder: Decoder,
  imagePath: string,
  scoreThreshold = 0.01,
): Promise<NmsCandidates> {
  const { input } = decoder.preprocess(await loadRgbImage(imagePath));
  const inputName = decoder.config.preprocess.inputName ?? model.inputNames[0]!;
  const raw = decoder.decode(await model.run({ [inputName]: input }), scoreThreshold);
  return selectNmsCandidates(raw, scoreThreshold, decoder.config.postprocess.preNmsTopK);
}

/**
 * Boxes moved apart per class (each class shifted by class x (largest coordinate + 1)), so that a class-agnostic
 * NMS keeps what a per-class one keeps: torchvision's `batched_nms` trick, for peers that have no per-class NMS.
 */
export function offsetByClass(boxes: Float32Array, classes: Int32Array): Float32Array {
  let max = 0;
  for (const v of boxes) max = Math.max(max, Math.abs(v));
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < classes.length; i++) {
    const off = classes[i]! * (max + 1);
    for (let k = 0; k < 4; k++) out[4 * i + k] = boxes[4 * i + k]! + off;
  }
  return out;
}

/** Times `fn` after `warmup` calls: at least `minSamples` calls and at least `timeMs`. */
function time(fn: () => number, warmup: number, minSamples: number, timeMs: number): number[] {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minSamples || performance.now() - start < timeMs) {
    const t = performance.now();
    sink += fn();
    samples.push(performance.now() - t);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: sink');
  return samples;
}

const same = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Runs the NMS stage of `model` on `imagePath` and times striate against the tfjs peers. */
export async function nmsStage(
  model: CompiledModel,
  decoder: Decoder,
  imagePath: string,
  quick: boolean,
  scoreThreshold: number,
): Promise<NmsStageResult> {
  const { boxes, scores, classes } = await nmsCandidates(model, decoder, imagePath, scoreThreshold);
  const { iouThreshold, classAware } = decoder.config.postprocess;
  const ours = (): Int32Array =>
    classAware ? batchedNms(boxes, scores, classes, iouThreshold) : nms(boxes, scores, iouThreshold);
  const [minSamples, timeMs] = quick ? [3, 100] : [10, 500];
  const keep = ours();
  const striate = summarizeLatency(time(() => ours().length, 2, minSamples, timeMs));
  const peerBoxes = classAware ? offsetByClass(boxes, classes) : boxes;
  const peers: NmsStageResult['peers'] = [];
  for (const device of TFJS_NMS_DEVICES) {
    const peer = await prepareTfjsNms(device, peerBoxes, scores, iouThreshold);
    try {
      const sameKeep = same(keep, peer.run());
      const latency = summarizeLatency(time(() => peer.run().length, 1, minSamples, timeMs));
      peers.push({
        name: `tf.image.nonMaxSuppression (tfjs ${device})`,
        latency,
        ratio: latency.p50Ms / striate.p50Ms,
        sameKeep,
      });
    } finally {
      peer.dispose();
    }
  }
  return {
    image: imagePath.split(/[\\/]/).pop()!,
    scoreThreshold,
    candidates: scores.length,
    kept: keep.length,
    iouThreshold,
    classAware,
    striate,
    peers,
  };
}
