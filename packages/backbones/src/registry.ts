/**
 * The model registry: `listModels('resnet*')`, `createModel(name, options)`, `getModelInfo(name)` and
 * `registerModel` (a name registered twice throws). The built-in entries are the table in `zoo.ts`.
 */
import { describeValue } from '@striate/core';
import type { Backbone } from './backbone.js';
import { FeatureExtractor } from './features.js';
import { withInit } from './internal/build.js';
import { type ModelOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { BUILTIN_MODELS } from './zoo.js';

export interface Paper {
  readonly title: string;
  readonly authors: string;
  readonly year: number;
  readonly url: string;
}

/** What is known about a model before building it. */
export interface ModelInfo {
  readonly name: string;
  readonly paper: Paper;
  /** Default input [C, H, W]. */
  readonly inputSize: readonly [number, number, number];
  /** Preprocessing: (x / 255 - mean) / std per channel. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Parameters with the default options (1000 classes), and where that reference number comes from. */
  readonly numParams: number;
  readonly numParamsSource: string;
  /** Smallest input height/width the architecture accepts. */
  readonly minInputSize: number;
  /** Default classifier outputs when numClasses is not given (1000 unless said). */
  readonly defaultNumClasses?: number;
  /** Options beyond the common ones (e.g. auxLogits, alpha). */
  readonly extraOptions?: readonly string[];
}

export interface ModelEntry {
  readonly info: ModelInfo;
  readonly build: (options: ResolvedOptions) => Backbone;
}

const registry = new Map<string, ModelEntry>();

/** Adds a model; a name already registered is a RangeError (as torchvision's register_model). */
export function registerModel(entry: ModelEntry): void {
  if (typeof entry !== 'object' || entry === null || typeof entry.build !== 'function' || !entry.info) {
    throw new TypeError(`registerModel: entry: expected { info, build }, got ${describeValue(entry)}`);
  }
  const name = entry.info.name;
  if (typeof name !== 'string' || !/^[a-z0-9_]+$/.test(name)) {
    throw new RangeError(
      `registerModel: info.name: expected lowercase letters, digits and '_', got ${describeValue(name)}`,
    );
  }
  if (registry.has(name)) throw new RangeError(`registerModel: a model named '${name}' is already registered`);
  registry.set(name, entry);
}

for (const e of BUILTIN_MODELS) registerModel(e);

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Sorted model names, optionally filtered by a glob (`*` any run of characters, `?` one character). */
export function listModels(pattern?: string): string[] {
  if (pattern !== undefined && typeof pattern !== 'string') {
    throw new TypeError(`listModels: pattern: expected a glob string such as 'resnet*', got ${describeValue(pattern)}`);
  }
  const re = pattern === undefined ? null : globToRegExp(pattern);
  return [...registry.keys()].filter((n) => !re || re.test(n)).sort();
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `count` registered names closest to `name` (edit distance, ties by name). */
export function closestNames(name: string, count = 3): string[] {
  return [...registry.keys()]
    .map((n) => [n, editDistance(name, n)] as const)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, count)
    .map(([n]) => n);
}

function entryOf(name: unknown, ctx: string): ModelEntry {
  if (typeof name !== 'string') throw new TypeError(`${ctx}: name: expected a model name, got ${describeValue(name)}`);
  const entry = registry.get(name);
  if (!entry) {
    throw new RangeError(
      `${ctx}: unknown model '${name}'. Did you mean ${closestNames(name)
        .map((n) => `'${n}'`)
        .join(', ')}? (listModels() lists all ${registry.size})`,
    );
  }
  return entry;
}

/** The metadata of a registered model. */
export function getModelInfo(name: string): ModelInfo {
  return entryOf(name, 'getModelInfo').info;
}

export function createModel(name: string, options: ModelOptions & { featuresOnly: true }): FeatureExtractor;
export function createModel(name: string, options?: ModelOptions & { featuresOnly?: false }): Backbone;
export function createModel(name: string, options?: ModelOptions): Backbone | FeatureExtractor;
/**
 * Builds a registered model: `createModel('resnet50', { numClasses: 10 })`. With `featuresOnly` it returns a
 * `FeatureExtractor` of the stages in `outIndices`.
 */
export function createModel(name: string, options?: ModelOptions): Backbone | FeatureExtractor {
  const entry = entryOf(name, 'createModel');
  const ctx = `createModel('${name}')`;
  const o = resolveOptions(options, ctx, entry.info.extraOptions ?? [], {
    inChannels: entry.info.inputSize[0],
    numClasses: entry.info.defaultNumClasses ?? 1000,
  });
  const model = withInit(o.rng, o.seed, o.skipInit, () => entry.build(o));
  model.minInputSize = entry.info.minInputSize;
  return o.featuresOnly ? new FeatureExtractor(model, o.outIndices) : model;
}

/** A typed builder: `resnet50({ numClasses: 10 })`. */
export interface ModelBuilder<E = unknown> {
  (options: ModelOptions & E & { featuresOnly: true }): FeatureExtractor;
  (options?: ModelOptions & E & { featuresOnly?: false }): Backbone;
}

export function builderFor<E = unknown>(name: string): ModelBuilder<E> {
  return ((options?: ModelOptions) => createModel(name, options)) as ModelBuilder<E>;
}
