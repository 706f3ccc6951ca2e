/**
 * Decoders with priors/anchors: SSD (UltraFace) and BlazeFace. Both return candidates above `scoreThreshold`,
 * boxes `(x1, y1, x2, y2)` in model-input pixels.
 */
import { ShapeError, type Tensor, toNumberArray } from '@striate/core';
import { BoxCoder } from '../box-coder.js';
import type { BlazeFaceDecoderConfig, RawDetections, SsdDecoderConfig } from './config.js';

/** The output `name` as float32 values, checked to have `size` elements per leading batch of 1. */
export function readOutput(
  outputs: Readonly<Record<string, Tensor>>,
  name: string,
  what: string,
): { data: Float32Array; shape: readonly number[] } {
  const t = outputs[name];
  if (t === undefined) {
    throw new ShapeError(`${what}: the model has no output '${name}' (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  if (t.shape[0] !== 1) throw new ShapeError(`${what}: output '${name}' needs batch 1, got [${t.shape.join(', ')}]`);
  const data = t.data instanceof Float32Array ? t.data : Float32Array.from(toNumberArray(t.dtype, t.data));
  return { data, shape: t.shape };
}

/** SSD priors as `(x1, y1, x2, y2)` relative boxes (4 per prior), in the order of `SsdDecoderConfig.priors`. */
export function ssdPriors(config: Pick<SsdDecoderConfig, 'priors' | 'preprocess'>): Float64Array {
  const { featureMaps, minSizes, clip } = config.priors;
  const { width, height } = config.preprocess;
  let n = 0;
  featureMaps.forEach(([w, h], l) => {
    n += w * h * minSizes[l]!.length;
  });
  const out = new Float64Array(4 * n);
  let p = 0;
  const c = (v: number) => (clip ? Math.min(1, Math.max(0, v)) : v);
  featureMaps.forEach(([fw, fh], l) => {
    for (let y = 0; y < fh; y++) {
      for (let x = 0; x < fw; x++) {
        for (const m of minSizes[l]!) {
          // Clip the (cx, cy, w, h) prior as the original does, then convert to corners.
          const cx = c((x + 0.5) / fw);
          const cy = c((y + 0.5) / fh);
          const w = c(m / width);
          const h = c(m / height);
          out[p++] = cx - w / 2;
          out[p++] = cy - h / 2;
          out[p++] = cx + w / 2;
          out[p++] = cy + h / 2;
        }
      }
    }
  });
  return out;
}

export function decodeSsd(
  config: SsdDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  scoreThreshold: number,
  priors: Float64Array,
): RawDetections {
  const n = priors.length / 4;
  const sc = readOutput(outputs, config.outputs.scores, 'ssd decoder: scores');
  const bx = readOutput(outputs, config.outputs.boxes, 'ssd decoder: boxes');
  const C = sc.shape[sc.shape.length - 1]!;
  if (sc.data.length !== n * C || bx.data.length !== 4 * n) {
    throw new ShapeError(
      `ssd decoder: ${n} priors need scores [1, ${n}, C] and boxes [1, ${n}, 4], got [${sc.shape.join(', ')}] and [${bx.shape.join(', ')}]`,
    );
  }
  const keep: number[] = [];
  const keepScores: number[] = [];
  const keepClasses: number[] = [];
  const probs = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    const row = i * C;
    if (config.scores === 'logits') {
      let m = -Infinity;
      for (let k = 0; k < C; k++) m = Math.max(m, sc.data[row + k]!);
      let s = 0;
      for (let k = 0; k < C; k++) s += probs[k] = Math.exp(sc.data[row + k]! - m);
      for (let k = 0; k < C; k++) probs[k]! /= s;
    } else {
      for (let k = 0; k < C; k++) probs[k] = sc.data[row + k]!;
    }
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < C; k++) {
      if (k !== config.backgroundIndex && probs[k]! > bestScore) {
        bestScore = probs[k]!;
        best = k;
      }
    }
    if (bestScore >= scoreThreshold) {
      keep.push(i);
      keepScores.push(bestScore);
      keepClasses.push(best > config.backgroundIndex ? best - 1 : best);
    }
  }
  const deltas = new Float64Array(4 * keep.length);
  const refs = new Float64Array(4 * keep.length);
  keep.forEach((i, j) => {
    for (let k = 0; k < 4; k++) {
      deltas[4 * j + k] = bx.data[4 * i + k]!;
      refs[4 * j + k] = priors[4 * i + k]!;
    }
  });
  const [v0, v1] = config.variances;
  // torchvision's default clamp of the size deltas (exp <= 62.5x the prior) only guards against overflow.
  const coder = new BoxCoder([1 / v0, 1 / v0, 1 / v1, 1 / v1]);
  const boxes = coder.decode(deltas, refs);
  const { width, height } = config.preprocess;
  for (let p = 0; p < boxes.length; p += 2) boxes[p]! *= width;
  for (let p = 1; p < boxes.length; p += 2) boxes[p]! *= height;
  return {
    boxes,
    scores: Float32Array.from(keepScores),
    classes: Int32Array.from(keepClasses),
    keypointCount: 0,
  };
}

export function decodeBlazeFace(
  config: BlazeFaceDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  scoreThreshold: number,
): RawDetections {
  const K = config.keypoints;
  const R = 4 + 2 * K;
  const { width, height } = config.preprocess;
  const s = config.scale;
  const boxes: number[] = [];
  const scores: number[] = [];
  const kps: number[] = [];
  config.anchors.forEach(({ grid, perCell }, l) => {
    const n = grid * grid * perCell;
    const sc = readOutput(outputs, config.outputs.scores[l]!, `blazeface decoder: scores[${l}]`);
    const rg = readOutput(outputs, config.outputs.regressors[l]!, `blazeface decoder: regressors[${l}]`);
    if (sc.data.length !== n || rg.data.length !== n * R) {
      throw new ShapeError(
        `blazeface decoder: level ${l} (${grid}x${grid}x${perCell} = ${n} anchors) needs scores [1, ${n}, 1] and regressors [1, ${n}, ${R}], got [${sc.shape.join(', ')}] and [${rg.shape.join(', ')}]`,
      );
    }
    for (let i = 0; i < n; i++) {
      const logit = Math.min(config.scoreClip, Math.max(-config.scoreClip, sc.data[i]!));
      const score = 1 / (1 + Math.exp(-logit));
      if (!(score >= scoreThreshold)) continue;
      const cell = Math.floor(i / perCell);
      const ax = ((cell % grid) + 0.5) / grid;
      const ay = (Math.floor(cell / grid) + 0.5) / grid;
      const r = rg.data.subarray(i * R, (i + 1) * R);
      const cx = ax + r[0]! / s;
      const cy = ay + r[1]! / s;
      const w = r[2]! / s;
      const h = r[3]! / s;
      boxes.push((cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height);
      scores.push(score);
      for (let k = 0; k < K; k++) kps.push((ax + r[4 + 2 * k]! / s) * width, (ay + r[5 + 2 * k]! / s) * height);
    }
  });
  return {
    boxes: Float32Array.from(boxes),
    scores: Float32Array.from(scores),
    classes: new Int32Array(scores.length),
    keypoints: Float32Array.from(kps),
    keypointCount: K,
  };
}
