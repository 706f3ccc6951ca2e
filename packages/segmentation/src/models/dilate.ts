/**
 * Dilated backbones as torchvision's segmentation models build them. `@striate/backbones` has no dilation option,
 * so the zoo's models are built and their strided convolutions rewritten in place (same weights, same state_dict
 * keys): ResNet with `replace_stride_with_dilation=[False, True, True]` (output stride 8) and MobileNetV3-Large
 * with `dilated=True` (last stage dilated, output stride 16).
 */
import { createModel, type FeatureExtractor } from '@striate/backbones';
import { Conv2d, Module, Sequential, type Value } from '@striate/core';

/** Rewrites a Conv2d's stride, dilation and padding (its weights do not depend on them). */
function setGeometry(conv: Module, stride: number, dilation: number): void {
  if (!(conv instanceof Conv2d)) throw new TypeError(`expected a Conv2d, got ${conv.constructor.name}`);
  const k = conv.kernelSize[0];
  const padding = ((k - 1) / 2) * dilation;
  Object.assign(conv, { stride: [stride, stride], dilation: [dilation, dilation], padding: [padding, padding] });
}

export interface DilatedBackbone {
  readonly extractor: FeatureExtractor;
  /** Output stride of each returned map after dilation. */
  readonly reductions: readonly number[];
  readonly channels: readonly number[];
}

/**
 * torchvision's ResNet with replace_stride_with_dilation=[False, True, True]: in layer3 and layer4 the strided
 * block gets stride 1 (its 3x3 at the previous dilation, its 1x1 downsample at stride 1) and the following blocks
 * dilation 2 (layer3) and 4 (layer4). Returns the stages `outIndices` (of conv1, layer1..layer4).
 */
export function dilatedResNet(
  name: 'resnet50' | 'resnet101',
  outIndices: readonly number[],
  skipInit: boolean,
  seed = 0,
): DilatedBackbone {
  const extractor = createModel(name, { featuresOnly: true, outIndices, skipInit, seed }) as FeatureExtractor;
  let dilation = 1;
  for (const layerName of ['layer3', 'layer4']) {
    const layer = extractor.getSubmodule(layerName) as Sequential;
    const previous = dilation;
    dilation *= 2;
    for (let i = 0; i < layer.length; i++) {
      const block = layer.at(i);
      setGeometry(block.getSubmodule('conv2'), 1, i === 0 ? previous : dilation);
      if (i === 0) setGeometry(block.getSubmodule('downsample.0'), 1, 1);
    }
  }
  const all = [2, 4, 8, 8, 8];
  const channelsAll = [64, 256, 512, 1024, 2048];
  const idx = extractor.outIndices;
  return { extractor, reductions: idx.map((i) => all[i]!), channels: idx.map((i) => channelsAll[i]!) };
}

/**
 * The blocks of a Sequential feature stack, run in order, returning the outputs after the children at `taps`
 * (torchvision's IntermediateLayerGetter over `mobilenet.features`: state_dict keys '0.0.weight', ...).
 */
export class TappedSequential extends Module {
  readonly taps: readonly number[];
  readonly #items: Module[];

  constructor(features: Sequential, taps: readonly number[]) {
    super();
    this.taps = taps;
    this.#items = [];
    const last = taps[taps.length - 1]!;
    for (let i = 0; i <= last; i++) {
      this.registerModule(String(i), features.at(i));
      this.#items.push(features.at(i));
    }
  }

  override forward(x: Value): Value[] {
    const out: Value[] = [];
    let v = x;
    this.#items.forEach((m, i) => {
      v = m.forward(v) as Value;
      if (this.taps.includes(i)) out.push(v);
    });
    return out;
  }
}

/**
 * torchvision's mobilenet_v3_large(dilated=True).features: the three blocks of the last stage (features.13-15) get
 * dilation 2 on their depthwise convolution and stride 1. `taps` are indices into features (torchvision's
 * segmentation models use 4 (40 channels, stride 8) and 16 (960 channels, stride 16)).
 */
export function dilatedMobileNetV3Large(taps: readonly number[], skipInit: boolean, seed = 0): TappedSequential {
  const model = createModel('mobilenet_v3_large', { skipInit, seed });
  const features = model.getSubmodule('features');
  if (!(features instanceof Sequential)) throw new TypeError('mobilenet_v3_large.features: expected a Sequential');
  for (const i of [13, 14, 15]) setGeometry(features.getSubmodule(`${i}.block.1.0`), 1, 2);
  return new TappedSequential(features, taps);
}
