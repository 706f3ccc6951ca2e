/** Transfer learning helpers: a new classifier, and freezing parameters by name pattern (requiresGrad = false). */
import { describeValue, type LoadStateDictResult, type Module, readSafetensors } from '@striate/core';
import { Backbone } from './backbone.js';
import { FeatureExtractor } from './features.js';
import { withInit } from './internal/build.js';

/**
 * Replaces the classifier of `model` by a freshly initialized one with `numClasses` outputs (seeded by `seed`,
 * default 0), keeping every other weight. Returns the model.
 */
export function replaceHead<T extends Backbone>(model: T, numClasses: number, options: { seed?: number } = {}): T {
  if (!(model instanceof Backbone)) {
    throw new TypeError(
      `replaceHead: model: expected a backbone from createModel (not featuresOnly), got ${describeValue(model)}`,
    );
  }
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses)) {
    throw new TypeError(`replaceHead: numClasses: expected a positive integer, got ${describeValue(numClasses)}`);
  }
  if (numClasses < 1)
    throw new RangeError(`replaceHead: numClasses: expected a positive integer (>= 1), got ${numClasses}`);
  withInit(undefined, options.seed ?? 0, false, () => model.resetClassifier(numClasses));
  return model;
}

/** A glob ('layer1.*'), a list of globs, a RegExp, or a predicate on the parameter name. */
export type ParamPattern = string | RegExp | readonly string[] | ((name: string) => boolean);

function matcher(pattern: ParamPattern): (name: string) => boolean {
  if (pattern instanceof RegExp) return (n) => pattern.test(n);
  if (typeof pattern === 'function') return pattern;
  const globs = typeof pattern === 'string' ? [pattern] : pattern;
  if (!Array.isArray(globs) || globs.some((g) => typeof g !== 'string')) {
    throw new TypeError(`pattern: expected a glob, a list of globs or a RegExp, got ${describeValue(pattern)}`);
  }
  const res = globs.map(
    (g) =>
      new RegExp(
        `^${g
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
  return (n) => res.some((r) => r.test(n));
}

function setGrad(model: Module, pattern: ParamPattern, value: boolean, fn: string): string[] {
  const match = matcher(pattern);
  const hit: string[] = [];
  for (const [name, p] of model.namedParameters()) {
    if (match(name)) {
      p.requiresGrad = value;
      hit.push(name);
    }
  }
  if (hit.length === 0) {
    throw new RangeError(
      `${fn}: pattern ${describeValue(pattern)} matches no parameter (names look like ${[...model.namedParameters()]
        .slice(0, 2)
        .map(([n]) => `'${n}'`)
        .join(', ')})`,
    );
  }
  return hit;
}

/**
 * Freezes the parameters whose state_dict names match `pattern` (a glob such as 'layer1.*', a list of globs, or a
 * RegExp; default every parameter). Returns the names frozen; a pattern that matches nothing is a RangeError.
 */
export function freeze(model: Module, pattern: ParamPattern = '*'): string[] {
  return setGrad(model, pattern, false, 'freeze');
}

/** The reverse of `freeze`. */
export function unfreeze(model: Module, pattern: ParamPattern = '*'): string[] {
  return setGrad(model, pattern, true, 'unfreeze');
}

/** Freezes everything but the classifier of a backbone (the usual linear-probe setup). Returns the names frozen. */
export function freezeBackbone(model: Backbone): string[] {
  if (!(model instanceof Backbone))
    throw new TypeError(`freezeBackbone: model: expected a Backbone, got ${describeValue(model)}`);
  const head = model.headNames;
  return freeze(model, (n: string) => !head.includes(n.split('.')[0]!));
}

/**
 * Loads safetensors bytes (e.g. a torchvision state_dict converted by scripts/convert_torchvision.py) into a model.
 * Missing BatchNorm `num_batches_tracked` counters are kept (as PyTorch does; torchvision's fp16 exports drop them).
 * Missing, unexpected and shape-mismatched keys throw one StateDictError that lists them with both shapes;
 * `strict: false` ignores missing and unexpected keys (a featuresOnly model's absent classifier, say).
 */
export function loadWeights(model: Module, bytes: Uint8Array, options: { strict?: boolean } = {}): LoadStateDictResult {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `loadWeights: bytes: expected a Uint8Array of a .safetensors file, got ${describeValue(bytes)}`,
    );
  }
  const tensors = new Map(readSafetensors(bytes).tensors);
  // As PyTorch's BatchNorm._load_from_state_dict: a checkpoint without num_batches_tracked keeps the model's.
  for (const [key, t] of model.stateDict()) {
    if (key.endsWith('.num_batches_tracked') && !tensors.has(key)) tensors.set(key, t);
  }
  const strict = options.strict ?? !(model instanceof FeatureExtractor);
  return model.loadStateDict(tensors, { strict });
}
