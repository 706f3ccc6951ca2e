/** Command-line parsing of `striate-bench`: every mistake is a UsageError naming the option and what was expected. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BACKENDS } from '../matrix/backends.js';
import { MODELS } from '../matrix/models.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `usage:
  striate-bench run [--quick] [--backends a,b] [--models a,b] [--json FILE] [--md FILE] [--svg FILE]
  striate-bench eval --gt GT.json --dt DT.json --iou-type bbox|segm [--json]
  striate-bench map --model FILE --decoder NAME|FILE.json --images DIR --gt GT.json [--backend B --device D] [--json]
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
export type CliArgs = RunArgs | EvalArgs | MapArgs | { command: 'help' };

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

function parse(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
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
  throw new UsageError(`unknown command '${command}'; expected run, eval or map`);
}
