/** Command-line parsing of `striate-bench`: every mistake is a UsageError naming the option and what was expected. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BACKENDS } from '../matrix/backends.js';
import { MODELS } from '../matrix/models.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The detectors `detect --model NAME` knows (their file under the models folder and their decoder preset). */
export const DETECTOR_NAMES = ['fastestdet', 'ultraface', 'blazeface'] as const;
export const SEGMENTER_NAMES = ['selfie'] as const;
const TFJS_DEVICE_NAMES = ['cpu', 'wasm', 'webgpu'];

export const USAGE = `usage:
  striate-bench run [--quick] [--backends a,b] [--models a,b] [--json FILE] [--md FILE] [--svg FILE]
  striate-bench eval --gt GT.json --dt DT.json --iou-type bbox|segm [--json]
  striate-bench map --model FILE --decoder NAME|FILE.json --images DIR --gt GT.json [--backend B --device D] [--json]
  striate-bench detect IMAGE --model NAME|FILE.onnx [--decoder NAME|FILE.json] [--labels FILE] [--backend B
                --device D] [--score S] [--out FILE.png] [--palette]
  striate-bench segment IMAGE --model selfie [--device cpu|wasm|webgpu] [--out FILE.png] [--palette]
detectors: ${DETECTOR_NAMES.join(', ')} (or FILE.onnx with --decoder); segmenters: ${SEGMENTER_NAMES.join(', ')}
backends: ${BACKENDS.map((b) => b.name).join(', ')}
models: ${MODELS.map((m) => m.name).join(', ')}`;

export interface RunArgs {
  command: 'run';
  quick: boolean;
  backends?: string[];
  models?: string[];
  json?: string;
  md?: string;
  svg?: string;
}
export interface EvalArgs {
  command: 'eval';
  gt: string;
  dt: string;
  iouType: 'bbox' | 'segm';
  json: boolean;
}
export interface MapArgs {
  command: 'map';
  model: string;
  decoder: string;
  images: string;
  gt: string;
  backend: string;
  device?: string;
  json: boolean;
}
export interface DetectArgs {
  command: 'detect';
  image: string;
  /** A built-in detector name (`fastestdet`, ...) or a path to an .onnx file. */
  model: string;
  decoder: string;
  labels?: string;
  backend: string;
  device?: string;
  score?: number;
  out?: string;
  palette: boolean;
}
export interface SegmentArgs {
  command: 'segment';
  image: string;
  model: 'selfie';
  device: string;
  out?: string;
  palette: boolean;
}
export type CliArgs = RunArgs | EvalArgs | MapArgs | DetectArgs | SegmentArgs | { command: 'help' };

function list(option: string, value: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${option}: expected a comma-separated list, got '${value}'`);
  for (const item of items) {
    if (!allowed.includes(item)) {
      throw new UsageError(`--${option}: unknown name '${item}'; expected one of ${allowed.join(', ')}`);
    }
  }
  return items;
}

function required(option: string, value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${option} is required: ${what}`);
  return value;
}

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = false) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e));
  }
}

export function parseCli(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (command === 'run') {
    const { values } = parse(rest, {
      quick: { type: 'boolean' },
      backends: { type: 'string' },
      models: { type: 'string' },
      json: { type: 'string' },
      md: { type: 'string' },
      svg: { type: 'string' },
    });
    const v = values as Record<string, string | boolean | undefined>;
    const backends = list(
      'backends',
      v.backends as string | undefined,
      BACKENDS.map((b) => b.name),
    );
    const models = list(
      'models',
      v.models as string | undefined,
      MODELS.map((m) => m.name),
    );
    return {
      command: 'run',
      quick: v.quick === true,
      ...(backends ? { backends } : {}),
      ...(models ? { models } : {}),
      ...(v.json !== undefined ? { json: v.json as string } : {}),
      ...(v.md !== undefined ? { md: v.md as string } : {}),
      ...(v.svg !== undefined ? { svg: v.svg as string } : {}),
    };
  }
  if (command === 'eval') {
    const { values } = parse(rest, {
      gt: { type: 'string' },
      dt: { type: 'string' },
      'iou-type': { type: 'string' },
      json: { type: 'boolean' },
    });
    const v = values as Record<string, string | boolean | undefined>;
    const iouType = required('iou-type', v['iou-type'] as string | undefined, "'bbox' or 'segm'");
    if (iouType !== 'bbox' && iouType !== 'segm') {
      throw new UsageError(`--iou-type: expected 'bbox' or 'segm', got '${iouType}'`);
    }
    return {
      command: 'eval',
      gt: required('gt', v.gt as string | undefined, 'the COCO ground-truth JSON file'),
      dt: required('dt', v.dt as string | undefined, 'the detections JSON file (COCO results format)'),
      iouType,
      json: v.json === true,
    };
  }
  if (command === 'map') {
    const { values } = parse(rest, {
      model: { type: 'string' },
      decoder: { type: 'string' },
      images: { type: 'string' },
      gt: { type: 'string' },
      backend: { type: 'string' },
      device: { type: 'string' },
      json: { type: 'boolean' },
    });
    const v = values as Record<string, string | boolean | undefined>;
    const backend = (v.backend as string | undefined) ?? 'ort-node';
    list(
      'backend',
      backend,
      BACKENDS.map((b) => b.name),
    );
    return {
      command: 'map',
      model: required('model', v.model as string | undefined, 'the detector .onnx file'),
      decoder: required('decoder', v.decoder as string | undefined, 'fastestdet, ultraface, blazeface or a FILE.json'),
      images: required('images', v.images as string | undefined, 'the folder of images'),
      gt: required('gt', v.gt as string | undefined, 'the COCO ground-truth JSON file'),
      backend,
      ...(v.device !== undefined ? { device: v.device as string } : {}),
      json: v.json === true,
    };
  }
  if (command === 'detect') return parseDetect(rest);
  if (command === 'segment') return parseSegment(rest);
  throw new UsageError(`unknown command '${command}'; expected run, eval, map, detect or segment`);
}

function onePositional(command: string, positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      `${command}: expected one IMAGE argument, got ${positionals.length === 0 ? 'none' : `'${positionals.join("', '")}'`}`,
    );
  }
  return positionals[0]!;
}

function outPng(value: string | undefined): string | undefined {
  if (value !== undefined && !value.toLowerCase().endsWith('.png')) {
    throw new UsageError(`--out: expected a FILE.png, got '${value}'`);
  }
  return value;
}

function parseDetect(argv: readonly string[]): DetectArgs {
  const { values, positionals } = parse(
    argv,
    {
      model: { type: 'string' },
      decoder: { type: 'string' },
      labels: { type: 'string' },
      backend: { type: 'string' },
      device: { type: 'string' },
      score: { type: 'string' },
      out: { type: 'string' },
      palette: { type: 'boolean' },
    },
    true,
  );
  const v = values as Record<string, string | boolean | undefined>;
  const image = onePositional('detect', positionals);
  const model = required('model', v.model as string | undefined, `${DETECTOR_NAMES.join(', ')} or a FILE.onnx`);
  const builtin = (DETECTOR_NAMES as readonly string[]).includes(model);
  if (!builtin && !model.endsWith('.onnx')) {
    throw new UsageError(`--model: expected ${DETECTOR_NAMES.join(', ')} or a FILE.onnx, got '${model}'`);
  }
  const decoder = (v.decoder as string | undefined) ?? (builtin ? model : undefined);
  const decoderName = required(
    'decoder',
    decoder,
    `${DETECTOR_NAMES.join(', ')} or a FILE.json (for a FILE.onnx model)`,
  );
  if (!(DETECTOR_NAMES as readonly string[]).includes(decoderName) && !decoderName.endsWith('.json')) {
    throw new UsageError(`--decoder: expected ${DETECTOR_NAMES.join(', ')} or a FILE.json, got '${decoderName}'`);
  }
  const backend = (v.backend as string | undefined) ?? 'ort-node';
  list(
    'backend',
    backend,
    BACKENDS.map((b) => b.name),
  );
  let score: number | undefined;
  if (v.score !== undefined) {
    score = Number(v.score);
    if (!(v.score as string).trim() || !(score >= 0 && score <= 1)) {
      throw new UsageError(`--score: expected a number in [0, 1], got '${v.score}'`);
    }
  }
  const out = outPng(v.out as string | undefined);
  return {
    command: 'detect',
    image,
    model,
    decoder: decoderName,
    ...(v.labels !== undefined ? { labels: v.labels as string } : {}),
    backend,
    ...(v.device !== undefined ? { device: v.device as string } : {}),
    ...(score !== undefined ? { score } : {}),
    ...(out !== undefined ? { out } : {}),
    palette: v.palette === true,
  };
}

function parseSegment(argv: readonly string[]): SegmentArgs {
  const { values, positionals } = parse(
    argv,
    { model: { type: 'string' }, device: { type: 'string' }, out: { type: 'string' }, palette: { type: 'boolean' } },
    true,
  );
  const v = values as Record<string, string | boolean | undefined>;
  const image = onePositional('segment', positionals);
  const model = required('model', v.model as string | undefined, SEGMENTER_NAMES.join(', '));
  if (model !== 'selfie') throw new UsageError(`--model: expected ${SEGMENTER_NAMES.join(', ')}, got '${model}'`);
  const device = (v.device as string | undefined) ?? 'wasm';
  if (!TFJS_DEVICE_NAMES.includes(device)) {
    throw new UsageError(`--device: expected ${TFJS_DEVICE_NAMES.join(', ')} (tfjs), got '${device}'`);
  }
  const out = outPng(v.out as string | undefined);
  return {
    command: 'segment',
    image,
    model,
    device,
    ...(out !== undefined ? { out } : {}),
    palette: v.palette === true,
  };
}
