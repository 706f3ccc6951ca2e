/**
 * `featuresOnly`: the stages of a backbone without its head, returning the multi-scale feature maps (timm's
 * `features_only`). The children are the backbone's own (minus the head), so the state_dict keys are the
 * backbone's: torchvision weights load with `strict: false` (the classifier keys come back as unexpected).
 */
import { describeValue, Module, type Value } from '@striate/core';
import type { Backbone, FeatureInfo } from './backbone.js';

export class FeatureExtractor extends Module {
  /** Channels, stride and source module of each returned map, in output order. */
  readonly featureInfo: readonly FeatureInfo[];
  /** The stage indices returned (into the backbone's full list of stages). */
  readonly outIndices: readonly number[];
  readonly #backbone: Backbone;

  constructor(backbone: Backbone, outIndices?: readonly number[]) {
    super();
    const n = backbone.featureInfo.length;
    const indices = (outIndices ?? backbone.featureInfo.map((_, i) => i)).map((i) => {
      if (!Number.isInteger(i) || i < -n || i >= n) {
        throw new RangeError(
          `outIndices: expected integers in [${-n}, ${n - 1}] (${backbone.constructor.name} has ${n} stages), got ${describeValue(outIndices)}`,
        );
      }
      return i < 0 ? i + n : i;
    });
    if (new Set(indices).size !== indices.length || indices.some((v, i) => i > 0 && v <= indices[i - 1]!)) {
      throw new RangeError(`outIndices: expected distinct increasing stage indices, got ${describeValue(outIndices)}`);
    }
    this.outIndices = indices;
    this.featureInfo = indices.map((i) => backbone.featureInfo[i]!);
    this.#backbone = backbone;
    for (const [name, m] of backbone.namedChildren()) {
      if (!backbone.headNames.includes(name)) this.registerModule(name, m);
    }
  }

  /** The model the stages come from (its head is not part of this module). */
  get backbone(): Backbone {
    return this.#backbone;
  }

  override forward(x: Value): Value[] {
    this.#backbone.checkInputSize(x);
    const all = this.#backbone.forwardFeatures(x, this.outIndices[this.outIndices.length - 1]!);
    return this.outIndices.map((i) => all[i]!);
  }
}
