/**
 * Grid decoders: FastestDet (anchor-free, one box per cell) and the generic YOLO family (anchors per stride, or
 * already decoded flat rows). Candidates above `scoreThreshold`, boxes `(x1, y1, x2, y2)` in model-input pixels.
 */
import { ShapeError, type Tensor } from '@striate/core';
import type { FastestDetDecoderConfig, RawDetections, YoloDecoderConfig } from './config.js';
import { readOutput } from './decode-anchors.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

class Collector {
  boxes: number[] = [];
  scores: number[] = [];
  classes: number[] = [];
  push(cx: number, cy: number, w: number, h: number, score: number, cls: number): void {
    this.boxes.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    this.scores.push(score);
    this.classes.push(cls);
  }
  pushCorners(x1: number, y1: number, x2: number, y2: number, score: number, cls: number): void {
    this.boxes.push(x1, y1, x2, y2);
    this.scores.push(score);
    this.classes.push(cls);
  }
  result(): RawDetections {
    return {
      boxes: Float32Array.from(this.boxes),
      scores: Float32Array.from(this.scores),
      classes: Int32Array.from(this.classes),
      keypointCount: 0,
    };
  }
}

export function decodeFastestDet(
  config: FastestDetDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  scoreThreshold: number,
): RawDetections {
  const name = config.output ?? Object.keys(outputs)[0]!;
  const { data, shape } = readOutput(outputs, name, 'fastestdet decoder');
  const C = config.numClasses;
  if (shape.length !== 4 || shape[1] !== 5 + C) {
    throw new ShapeError(`fastestdet decoder: expected output [1, ${5 + C}, H, W], got [${shape.join(', ')}]`);
  }
  const H = shape[2]!;
  const W = shape[3]!;
  const plane = H * W;
  const { width, height } = config.preprocess;
  const out = new Collector();
  for (let row = 0; row < H; row++) {
    for (let col = 0; col < W; col++) {
      const cell = row * W + col;
      const obj = data[cell]!;
      let best = 0;
      let bestCls = data[5 * plane + cell]!;
      for (let k = 1; k < C; k++) {
        const v = data[(5 + k) * plane + cell]!;
        if (v > bestCls) {
          bestCls = v;
          best = k;
        }
      }
      const score = Math.max(0, obj) ** config.objExponent * Math.max(0, bestCls) ** config.clsExponent;
      if (!(score >= scoreThreshold)) continue;
      const cx = ((col + Math.tanh(data[plane + cell]!)) / W) * width;
      const cy = ((row + Math.tanh(data[2 * plane + cell]!)) / H) * height;
      const w = sigmoid(data[3 * plane + cell]!) * width;
      const h = sigmoid(data[4 * plane + cell]!) * height;
      out.push(cx, cy, w, h, score, best);
    }
  }
  return out.result();
}

/** Best class (index, value) among `C` values at `get(k)`. */
function bestClass(C: number, get: (k: number) => number): [number, number] {
  let best = 0;
  let value = get(0);
  for (let k = 1; k < C; k++) {
    const v = get(k);
    if (v > value) {
      value = v;
      best = k;
    }
  }
  return [best, value];
}

function decodeYoloGrid(
  config: YoloDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  thr: number,
  out: Collector,
): void {
  const C = config.numClasses;
  const obj = config.hasObjectness ? 1 : 0;
  const K = 4 + obj + C;
  const act = config.activation === 'none' ? (x: number) => x : sigmoid;
  const v5 = config.boxEncoding === 'yolov5';
  (config.levels ?? []).forEach((level, l) => {
    const A = level.anchors.length;
    const { data, shape } = readOutput(outputs, level.output, `yolo decoder: levels[${l}]`);
    let H: number;
    let W: number;
    let at: (a: number, cell: number, k: number) => number;
    if (shape.length === 4 && shape[1] === A * K) {
      H = shape[2]!;
      W = shape[3]!;
      at = (a, cell, k) => data[(a * K + k) * H * W + cell]!;
    } else if (shape.length === 5 && shape[1] === A && shape[4] === K) {
      H = shape[2]!;
      W = shape[3]!;
      at = (a, cell, k) => data[(a * H * W + cell) * K + k]!;
    } else {
      throw new ShapeError(
        `yolo decoder: levels[${l}] output '${level.output}' expected [1, ${A * K}, H, W] or [1, ${A}, H, W, ${K}], got [${shape.join(', ')}]`,
      );
    }
    const s = level.stride;
    for (let a = 0; a < A; a++) {
      const [aw, ah] = level.anchors[a]!;
      for (let cell = 0; cell < H * W; cell++) {
        const o = obj ? act(at(a, cell, 4)) : 1;
        if (obj && !(o >= thr)) continue;
        const [cls, cv] = bestClass(C, (k) => act(at(a, cell, 4 + obj + k)));
        const score = o * cv;
        if (!(score >= thr)) continue;
        const col = cell % W;
        const row = Math.floor(cell / W);
        const tx = act(at(a, cell, 0));
        const ty = act(at(a, cell, 1));
        if (v5) {
          const tw = act(at(a, cell, 2));
          const th = act(at(a, cell, 3));
          out.push(
            (2 * tx - 0.5 + col) * s,
            (2 * ty - 0.5 + row) * s,
            (2 * tw) ** 2 * aw,
            (2 * th) ** 2 * ah,
            score,
            cls,
          );
        } else {
          out.push(
            (tx + col) * s,
            (ty + row) * s,
            Math.exp(at(a, cell, 2)) * aw,
            Math.exp(at(a, cell, 3)) * ah,
            score,
            cls,
          );
        }
      }
    }
  });
}

function decodeYoloFlat(
  config: YoloDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  thr: number,
  out: Collector,
): void {
  const C = config.numClasses;
  const obj = config.hasObjectness ? 1 : 0;
  const K = 4 + obj + C;
  const name = config.output ?? Object.keys(outputs)[0]!;
  const { data, shape } = readOutput(outputs, name, 'yolo decoder');
  const t = config.transposed === true;
  if (shape.length !== 3 || shape[t ? 1 : 2] !== K) {
    throw new ShapeError(
      `yolo decoder: output '${name}' expected ${t ? `[1, ${K}, N]` : `[1, N, ${K}]`} (4 box values${obj ? ', objectness' : ''}, ${C} classes), got [${shape.join(', ')}]`,
    );
  }
  const N = shape[t ? 2 : 1]!;
  const at = t ? (i: number, k: number) => data[k * N + i]! : (i: number, k: number) => data[i * K + k]!;
  for (let i = 0; i < N; i++) {
    const o = obj ? at(i, 4) : 1;
    if (obj && !(o >= thr)) continue;
    const [cls, cv] = bestClass(C, (k) => at(i, 4 + obj + k));
    const score = o * cv;
    if (!(score >= thr)) continue;
    if (config.boxFormat === 'xyxy') out.pushCorners(at(i, 0), at(i, 1), at(i, 2), at(i, 3), score, cls);
    else out.push(at(i, 0), at(i, 1), at(i, 2), at(i, 3), score, cls);
  }
}

export function decodeYolo(
  config: YoloDecoderConfig,
  outputs: Readonly<Record<string, Tensor>>,
  scoreThreshold: number,
): RawDetections {
  const out = new Collector();
  if (config.format === 'flat') decodeYoloFlat(config, outputs, scoreThreshold, out);
  else decodeYoloGrid(config, outputs, scoreThreshold, out);
  return out.result();
}
