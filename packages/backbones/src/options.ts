/** The options every model builder accepts, and their validation. */
import { describeValue, Rng } from '@striate/core';

export interface ModelOptions {
  /** Classifier outputs (default 1000). */
  readonly numClasses?: number;
  /** Input channels of the stem (default 3; 1 for lenet5). */
  readonly inChannels?: number;
  /** Return the stage feature maps instead of logits (see `FeatureExtractor`). */
  readonly featuresOnly?: boolean;
  /** With featuresOnly: which stages to return (default all; negative counts from the end). */
  readonly outIndices?: readonly number[];
  /** Dropout before the classifier (default: the architecture's own, e.g. 0.2 for EfficientNet-B0). */
  readonly dropRate?: number;
  /** Seed of the generator of the initial weights (default 0). */
  readonly seed?: number;
  /** Generator of the initial weights (takes precedence over seed; it advances). */
  readonly rng?: Rng;
  /**
   * Leave the weights zero-filled instead of drawing them (as torch.nn.utils.skip_init): for weights loaded right
   * after with loadStateDict, and for counting parameters or tracing shapes quickly.
   */
  readonly skipInit?: boolean;
  /** googlenet, inception_v3: build the auxiliary classifiers (default false, as models.json counts them). */
  readonly auxLogits?: boolean;
  /** mobilenet_v1: width multiplier alpha (default 1). */
  readonly alpha?: number;
  /** mobilenet_v1: resolution multiplier rho (default 1; input size round(224 * rho)). */
  readonly rho?: number;
}

/** Options after validation, with the architecture's extras (auxLogits, alpha, ...). */
export interface ResolvedOptions {
  readonly numClasses: number;
  readonly inChannels: number;
  readonly dropRate: number | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
}

const COMMON = new Set([
  'numClasses',
  'inChannels',
  'featuresOnly',
  'outIndices',
  'dropRate',
  'seed',
  'rng',
  'skipInit',
]);

function positiveInt(v: unknown, name: string, ctx: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${ctx}: ${name}: expected a positive integer, got ${describeValue(v)}`);
  }
  if (v < 1) throw new RangeError(`${ctx}: ${name}: expected a positive integer (>= 1), got ${v}`);
  return v;
}

export function resolveOptions(
  opts: unknown,
  ctx: string,
  extras: readonly string[],
  defaults: { inChannels: number; numClasses: number },
): ResolvedOptions & {
  featuresOnly: boolean;
  outIndices?: readonly number[];
  seed: number;
  rng?: Rng;
  skipInit: boolean;
} {
  if (opts === undefined) opts = {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new TypeError(`${ctx}: options: expected an object, got ${describeValue(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!COMMON.has(key) && !extras.includes(key)) {
      throw new RangeError(
        `${ctx}: options.${key}: unknown option; expected one of ${[...COMMON, ...extras].join(', ')}`,
      );
    }
  }
  const numClasses = o.numClasses === undefined ? defaults.numClasses : positiveInt(o.numClasses, 'numClasses', ctx);
  const inChannels = o.inChannels === undefined ? defaults.inChannels : positiveInt(o.inChannels, 'inChannels', ctx);
  let dropRate: number | undefined;
  if (o.dropRate !== undefined) {
    if (typeof o.dropRate !== 'number' || !(o.dropRate >= 0 && o.dropRate < 1)) {
      throw new RangeError(`${ctx}: dropRate: expected a number in [0, 1), got ${describeValue(o.dropRate)}`);
    }
    dropRate = o.dropRate;
  }
  for (const key of ['featuresOnly', 'skipInit'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw new TypeError(`${ctx}: ${key}: expected a boolean, got ${describeValue(o[key])}`);
    }
  }
  let outIndices: number[] | undefined;
  if (o.outIndices !== undefined) {
    if (!Array.isArray(o.outIndices) || o.outIndices.length === 0 || o.outIndices.some((i) => !Number.isInteger(i))) {
      throw new TypeError(
        `${ctx}: outIndices: expected a non-empty array of integers, got ${describeValue(o.outIndices)}`,
      );
    }
    if (o.featuresOnly !== true) {
      throw new RangeError(`${ctx}: outIndices: only used with featuresOnly: true`);
    }
    outIndices = o.outIndices as number[];
  }
  const seed = o.seed === undefined ? 0 : o.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${ctx}: seed: expected a non-negative safe integer, got ${describeValue(o.seed)}`);
  }
  if (o.rng !== undefined && !(o.rng instanceof Rng)) {
    throw new TypeError(`${ctx}: rng: expected an Rng, got ${describeValue(o.rng)}`);
  }
  const extra: Record<string, unknown> = {};
  for (const key of extras) if (o[key] !== undefined) extra[key] = o[key];
  return {
    numClasses,
    inChannels,
    dropRate,
    extra,
    featuresOnly: o.featuresOnly === true,
    outIndices,
    seed,
    rng: o.rng as Rng | undefined,
    skipInit: o.skipInit === true,
  };
}
