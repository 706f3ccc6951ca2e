/**
 * Validation of a parsed JSON object as a `DecoderConfig` (used by `createDecoder`/`decoderFromJson`). Every error is a
 * `DataError` naming the field path (e.g. `config.levels[1].anchors[0]`), the expected and the actual value.
 */
import { DataError, describeValue } from '@striate/core';
import type { DecoderConfig, PostprocessSpec, PreprocessSpec, YoloLevel } from './config.js';

type Obj = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  throw new DataError(`${path}: expected ${expected}, got ${describeValue(value)}`);
}

function obj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'an object', v);
  return v as Obj;
}

function num(v: unknown, path: string, min = Number.NEGATIVE_INFINITY, exclusive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (exclusive && v === min)) {
    fail(path, `a finite number${min === Number.NEGATIVE_INFINITY ? '' : ` ${exclusive ? '>' : '>='} ${min}`}`, v);
  }
  return v;
}

function int(v: unknown, path: string, min = 1): number {
  if (!Number.isInteger(v) || (v as number) < min) fail(path, `an integer >= ${min}`, v);
  return v as number;
}

function oneOf<T extends string>(v: unknown, path: string, options: readonly T[]): T {
  if (!options.includes(v as T)) fail(path, `one of ${options.map((o) => `'${o}'`).join(', ')}`, v);
  return v as T;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(path, 'a non-empty string', v);
  return v;
}

function arr(v: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) {
    fail(path, length === undefined ? 'an array' : `an array of ${length}`, v);
  }
  return v;
}

function triple(v: unknown, path: string, positive: boolean): [number, number, number] {
  const a = arr(v, path, 3);
  return [0, 1, 2].map((i) => num(a[i], `${path}[${i}]`, positive ? 0 : Number.NEGATIVE_INFINITY, positive)) as [
    number,
    number,
    number,
  ];
}

function preprocess(v: unknown, path: string): PreprocessSpec {
  const o = obj(v, path);
  const spec: PreprocessSpec = {
    width: int(o.width, `${path}.width`),
    height: int(o.height, `${path}.height`),
    channelOrder: oneOf(o.channelOrder, `${path}.channelOrder`, ['rgb', 'bgr']),
    mean: triple(o.mean, `${path}.mean`, false),
    std: triple(o.std, `${path}.std`, true),
    layout: oneOf(o.layout, `${path}.layout`, ['nchw', 'nhwc']),
    resize: oneOf(o.resize, `${path}.resize`, ['stretch', 'letterbox']),
  };
  if (o.padValue !== undefined) spec.padValue = num(o.padValue, `${path}.padValue`, 0);
  if (o.inputName !== undefined) spec.inputName = str(o.inputName, `${path}.inputName`);
  return spec;
}

function postprocess(v: unknown, path: string): PostprocessSpec {
  const o = obj(v, path);
  const unit = (x: unknown, p: string) => {
    const n = num(x, p, 0);
    if (n > 1) fail(p, 'a number in [0, 1]', x);
    return n;
  };
  if (typeof o.classAware !== 'boolean') fail(`${path}.classAware`, 'a boolean', o.classAware);
  const spec: PostprocessSpec = {
    scoreThreshold: unit(o.scoreThreshold, `${path}.scoreThreshold`),
    iouThreshold: unit(o.iouThreshold, `${path}.iouThreshold`),
    maxDetections: int(o.maxDetections, `${path}.maxDetections`),
    classAware: o.classAware,
  };
  if (o.preNmsTopK !== undefined) spec.preNmsTopK = int(o.preNmsTopK, `${path}.preNmsTopK`);
  return spec;
}

function stringList(v: unknown, path: string, length: number): string[] {
  return arr(v, path, length).map((s, i) => str(s, `${path}[${i}]`));
}

function levels(v: unknown, path: string): YoloLevel[] {
  const list = arr(v, path);
  if (list.length === 0) fail(path, 'at least one level', v);
  return list.map((lv, l) => {
    const o = obj(lv, `${path}[${l}]`);
    const anchors = arr(o.anchors, `${path}[${l}].anchors`);
    if (anchors.length === 0) fail(`${path}[${l}].anchors`, 'at least one [w, h] anchor', o.anchors);
    return {
      output: str(o.output, `${path}[${l}].output`),
      stride: num(o.stride, `${path}[${l}].stride`, 0, true),
      anchors: anchors.map((a, i) => {
        const p = `${path}[${l}].anchors[${i}]`;
        const wh = arr(a, p, 2);
        return [num(wh[0], `${p}[0]`, 0, true), num(wh[1], `${p}[1]`, 0, true)] as [number, number];
      }),
    };
  });
}

/** Validates `json` (a parsed object) as a decoder configuration; `path` prefixes the field names in errors. */
export function validateDecoderConfig(json: unknown, path = 'config'): DecoderConfig {
  const o = obj(json, path);
  const type = oneOf(o.type, `${path}.type`, ['ssd', 'blazeface', 'fastestdet', 'yolo']);
  const base = {
    preprocess: preprocess(o.preprocess, `${path}.preprocess`),
    postprocess: postprocess(o.postprocess, `${path}.postprocess`),
  };
  switch (type) {
    case 'ssd': {
      const outs = obj(o.outputs, `${path}.outputs`);
      const pr = obj(o.priors, `${path}.priors`);
      const fms = arr(pr.featureMaps, `${path}.priors.featureMaps`).map((f, i) => {
        const a = arr(f, `${path}.priors.featureMaps[${i}]`, 2);
        return [int(a[0], `${path}.priors.featureMaps[${i}][0]`), int(a[1], `${path}.priors.featureMaps[${i}][1]`)] as [
          number,
          number,
        ];
      });
      const mins = arr(pr.minSizes, `${path}.priors.minSizes`, fms.length).map((m, i) =>
        arr(m, `${path}.priors.minSizes[${i}]`).map((x, j) => num(x, `${path}.priors.minSizes[${i}][${j}]`, 0, true)),
      );
      if (typeof pr.clip !== 'boolean') fail(`${path}.priors.clip`, 'a boolean', pr.clip);
      const vars = arr(o.variances, `${path}.variances`, 2);
      return {
        type,
        ...base,
        outputs: {
          scores: str(outs.scores, `${path}.outputs.scores`),
          boxes: str(outs.boxes, `${path}.outputs.boxes`),
        },
        priors: { featureMaps: fms, minSizes: mins, clip: pr.clip },
        variances: [num(vars[0], `${path}.variances[0]`, 0, true), num(vars[1], `${path}.variances[1]`, 0, true)],
        scores: oneOf(o.scores, `${path}.scores`, ['probabilities', 'logits']),
        backgroundIndex: int(o.backgroundIndex, `${path}.backgroundIndex`, 0),
      };
    }
    case 'blazeface': {
      const anchors = arr(o.anchors, `${path}.anchors`).map((a, i) => {
        const ao = obj(a, `${path}.anchors[${i}]`);
        return {
          grid: int(ao.grid, `${path}.anchors[${i}].grid`),
          perCell: int(ao.perCell, `${path}.anchors[${i}].perCell`),
        };
      });
      const outs = obj(o.outputs, `${path}.outputs`);
      return {
        type,
        ...base,
        outputs: {
          scores: stringList(outs.scores, `${path}.outputs.scores`, anchors.length),
          regressors: stringList(outs.regressors, `${path}.outputs.regressors`, anchors.length),
        },
        anchors,
        keypoints: int(o.keypoints, `${path}.keypoints`, 0),
        scale: num(o.scale, `${path}.scale`, 0, true),
        scoreClip: num(o.scoreClip, `${path}.scoreClip`, 0, true),
      };
    }
    case 'fastestdet': {
      const cfg: DecoderConfig = {
        type,
        ...base,
        numClasses: int(o.numClasses, `${path}.numClasses`),
        objExponent: num(o.objExponent, `${path}.objExponent`, 0),
        clsExponent: num(o.clsExponent, `${path}.clsExponent`, 0),
      };
      if (o.output !== undefined) cfg.output = str(o.output, `${path}.output`);
      return cfg;
    }
    case 'yolo': {
      const format = oneOf(o.format, `${path}.format`, ['grid', 'flat']);
      if (typeof o.hasObjectness !== 'boolean') fail(`${path}.hasObjectness`, 'a boolean', o.hasObjectness);
      const cfg: DecoderConfig = {
        type,
        ...base,
        numClasses: int(o.numClasses, `${path}.numClasses`),
        hasObjectness: o.hasObjectness,
        format,
      };
      if (format === 'grid') {
        cfg.levels = levels(o.levels, `${path}.levels`);
        cfg.boxEncoding = oneOf(o.boxEncoding, `${path}.boxEncoding`, ['yolov3', 'yolov5'] as const);
        cfg.activation = oneOf(o.activation ?? 'sigmoid', `${path}.activation`, ['sigmoid', 'none'] as const);
      } else {
        if (o.output !== undefined) cfg.output = str(o.output, `${path}.output`);
        if (o.transposed !== undefined && typeof o.transposed !== 'boolean') {
          fail(`${path}.transposed`, 'a boolean', o.transposed);
        }
        cfg.transposed = o.transposed === true;
        cfg.boxFormat = oneOf(o.boxFormat ?? 'cxcywh', `${path}.boxFormat`, ['cxcywh', 'xyxy'] as const);
      }
      return cfg;
    }
  }
}
