/** ConvNeXt (Liu et al. 2022) as torchvision.models.convnext (stochastic depth is the identity at inference). */
import {
  AdaptiveAvgPool2d,
  functional as F,
  Flatten,
  full,
  GELU,
  LayerNorm,
  Module,
  Parameter,
  Sequential,
  type Value,
} from '@striate/core';
import { Backbone, type FeatureInfo } from '../backbone.js';
import { conv, linear } from '../internal/build.js';

/** LayerNorm over the channels of an NCHW map (torchvision's LayerNorm2d: permute, normalize, permute back). */
export class LayerNorm2d extends LayerNorm {
  override forward(x: Value): Value {
    return F.transpose(super.forward(F.transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2]);
  }
}

class Permute extends Module {
  constructor(readonly perm: readonly number[]) {
    super();
  }
  override forward(x: Value): Value {
    return F.transpose(x, this.perm);
  }
}

class CNBlock extends Module {
  block;
  layer_scale;
  constructor(dim: number, layerScale: number) {
    super();
    this.block = new Sequential(
      conv(dim, dim, 7, { padding: 3, groups: dim }),
      new Permute([0, 2, 3, 1]),
      new LayerNorm(dim, { eps: 1e-6 }),
      linear(dim, 4 * dim),
      new GELU(),
      linear(4 * dim, dim),
      new Permute([0, 3, 1, 2]),
    );
    this.layer_scale = new Parameter(full([dim, 1, 1], layerScale));
  }
  override forward(x: Value): Value {
    const scaled = F.mul(this.tensorValue(x, 'layer_scale'), this.block.forward(x));
    return F.add(scaled, x);
  }
}

export class ConvNeXt extends Backbone {
  features = new Sequential();
  avgpool = new AdaptiveAvgPool2d(1);
  classifier: Sequential;
  numClasses: number;
  readonly headNames = ['avgpool', 'classifier'];
  readonly featureInfo: readonly FeatureInfo[];
  readonly #dim: number;

  constructor(dims: readonly number[], depths: readonly number[], numClasses: number, inChannels: number) {
    super();
    this.features.append(
      new Sequential(conv(inChannels, dims[0]!, 4, { stride: 4 }), new LayerNorm2d(dims[0]!, { eps: 1e-6 })),
    );
    const info: FeatureInfo[] = [];
    dims.forEach((dim, i) => {
      const stage = new Sequential();
      for (let j = 0; j < depths[i]!; j++) stage.append(new CNBlock(dim, 1e-6));
      this.features.append(stage);
      info.push({ numChannels: dim, reduction: 4 * 2 ** i, module: `features.${this.features.length - 1}` });
      const next = dims[i + 1];
      if (next !== undefined) {
        this.features.append(new Sequential(new LayerNorm2d(dim, { eps: 1e-6 }), conv(dim, next, 2, { stride: 2 })));
      }
    });
    this.featureInfo = info;
    this.#dim = dims[dims.length - 1]!;
    this.numClasses = numClasses;
    this.classifier = this.#head(numClasses);
  }

  #head(numClasses: number): Sequential {
    return new Sequential(new LayerNorm2d(this.#dim, { eps: 1e-6 }), new Flatten(1), linear(this.#dim, numClasses));
  }

  forwardFeatures(x: Value, last: number): Value[] {
    const taps = this.featureInfo.map((f) => Number(f.module.split('.')[1]));
    const out: Value[] = [];
    let v = x;
    let i = 0;
    for (const m of this.features) {
      if (out.length > last) break;
      v = m.forward(v) as Value;
      if (i === taps[out.length]) out.push(v);
      i++;
    }
    return out;
  }

  forwardHead(x: Value): Value {
    return this.classifier.forward(this.avgpool.forward(x));
  }

  resetClassifier(numClasses: number): void {
    this.classifier = this.#head(numClasses);
    this.numClasses = numClasses;
  }
}
