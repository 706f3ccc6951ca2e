/**
 * The base class of every model of the zoo. A backbone is a sequence of stages (the feature maps that
 * `featuresOnly` returns, with their channels and stride in `featureInfo`) followed by a head (pooling and
 * classifier) made of the children named in `headNames`.
 */
import { formatShape, Module, ShapeError, type Value } from '@striate/core';

/** One stage of a backbone: output channels, stride relative to the input, and the module that produces it. */
export interface FeatureInfo {
  readonly numChannels: number;
  readonly reduction: number;
  /** The state_dict prefix of the module whose output this is (e.g. 'layer2', 'features.6'). */
  readonly module: string;
}

export abstract class Backbone extends Module {
  /** Every stage, shallow to deep. */
  abstract readonly featureInfo: readonly FeatureInfo[];
  /** Children used only by the head (left out by `featuresOnly`). */
  abstract readonly headNames: readonly string[];
  /** Smallest input height and width that every layer accepts. */
  minInputSize = 1;
  /** Number of classes of the classifier. */
  abstract numClasses: number;

  /** Outputs of stages 0..`last` (inclusive). */
  abstract forwardFeatures(x: Value, last: number): Value[];
  /** Logits from the output of the last stage. */
  abstract forwardHead(x: Value): Value;
  /** Replaces the classifier by a freshly initialized one with `numClasses` outputs (see `replaceHead`). */
  abstract resetClassifier(numClasses: number, seed?: number): void;

  /** Checks an NCHW input against `minInputSize`, naming the minimum. */
  checkInputSize(x: Value, who = this.constructor.name): void {
    if (x.shape.length !== 4) {
      throw new ShapeError(`${who}: expected a 4-D input [N, C, H, W], got ${formatShape(x.shape)}`);
    }
    const [, , h, w] = x.shape;
    for (const [d, axis] of [
      [h, 'height'],
      [w, 'width'],
    ] as const) {
      if (typeof d === 'number' && d < this.minInputSize) {
        throw new ShapeError(
          `${who}: input ${axis} ${d} is too small (input ${formatShape(x.shape)}); the minimum input size is ` +
            `${this.minInputSize}x${this.minInputSize}`,
        );
      }
    }
  }

  override forward(x: Value): Value | Value[] {
    this.checkInputSize(x);
    const feats = this.forwardFeatures(x, this.featureInfo.length - 1);
    return this.forwardHead(feats[feats.length - 1]!);
  }
}

/** Runs `x` through `modules` in order. */
export function chain(x: Value, modules: readonly Module[]): Value {
  return modules.reduce((v, m) => m.forward(v) as Value, x);
}

/** Runs `x` through the stages in order, collecting each stage's output (stages 0 to `last`). */
export function runStages(x: Value, stages: readonly (readonly Module[])[], last: number): Value[] {
  const out: Value[] = [];
  let v = x;
  for (const stage of stages) {
    if (out.length > last) break;
    v = chain(v, stage);
    out.push(v);
  }
  return out;
}

/** Runs the children of `seq` one by one, collecting the outputs after the children at `taps` (up to tap `last`). */
export function runTaps(children: Iterable<Module>, x: Value, taps: readonly number[], last: number): Value[] {
  const out: Value[] = [];
  let i = 0;
  let v = x;
  for (const m of children) {
    if (out.length > last) break;
    v = m.forward(v) as Value;
    if (i === taps[out.length]) out.push(v);
    i++;
  }
  return out;
}
