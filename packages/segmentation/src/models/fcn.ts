/**
 * FCN (Long, Shelhamer & Darrell 2015) on any backbone's feature maps: 1x1 convolutions score the deepest map
 * (FCN-32s) and, for FCN-16s / FCN-8s, the one or two maps before it (strides 16 and 8); each coarser score is
 * upsampled to the next map's size and added, and the sum is upsampled to the input size. Upsampling is a
 * transposed convolution initialized to bilinear interpolation (the paper's, cropped to the target size as the
 * paper's Crop layer) or a bilinear resize.
 */
import { functional as F, formatShape, Module, ModuleList, ShapeError, Tensor, type Value } from '@striate/core';
import { conv, convT, type InitOptions, initRng, positiveInt } from '../internal/layers.js';
import { spatialSize } from './heads.js';

/** What FCN needs of a backbone: a module returning feature maps, and their channels and strides. */
export interface FeatureBackbone extends Module {
  readonly featureInfo: readonly { readonly numChannels: number; readonly reduction: number }[];
}

export type FcnVariant = '32s' | '16s' | '8s';

export interface FcnOptions extends InitOptions {
  readonly numClasses: number;
  /** Default '8s'. */
  readonly variant?: FcnVariant;
  /** 'transposed' (bilinear-initialized ConvTranspose2d, default) or 'bilinear' (Resize). */
  readonly upsample?: 'transposed' | 'bilinear';
}

/** The [k, k] bilinear interpolation kernel of a transposed convolution (Caffe FCN's `upsample_filt`). */
export function bilinearKernel(size: number): Float32Array {
  positiveInt(size, 'size', 'bilinearKernel');
  const factor = Math.floor((size + 1) / 2);
  const center = size % 2 === 1 ? factor - 1 : factor - 0.5;
  const out = new Float32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      out[i * size + j] = (1 - Math.abs(i - center) / factor) * (1 - Math.abs(j - center) / factor);
    }
  }
  return out;
}

/** ConvTranspose2d(c, c, 2f, stride f, padding f/2) with channel i -> i bilinear weights (x f upsampling). */
function bilinearUp(c: number, factor: number, init: ReturnType<typeof initRng>) {
  const k = 2 * factor;
  const m = convT(init, c, c, k, { stride: factor, padding: factor / 2, bias: false });
  const w = new Float32Array(c * c * k * k);
  const kern = bilinearKernel(k);
  for (let i = 0; i < c; i++) w.set(kern, (i * c + i) * k * k);
  m.weight.data = new Tensor('float32', [c, c, k, k], w);
  return m;
}

export class FCN extends Module {
  backbone: FeatureBackbone;
  score: ModuleList;
  upscore: ModuleList;
  readonly variant: FcnVariant;
  readonly mode: 'transposed' | 'bilinear';
  readonly #used: number[];
  readonly #factors: number[];

  constructor(backbone: FeatureBackbone, options: FcnOptions) {
    super();
    const ctx = 'FCN';
    const info = backbone?.featureInfo;
    if (!Array.isArray(info) || info.length === 0) {
      throw new TypeError(
        `${ctx}: backbone: expected a module with featureInfo (e.g. createModel(name, { featuresOnly: true }))`,
      );
    }
    const numClasses = positiveInt(options?.numClasses, 'numClasses', ctx);
    const variant = options.variant ?? '8s';
    const skips = { '32s': 0, '16s': 1, '8s': 2 }[variant];
    if (skips === undefined)
      throw new RangeError(`${ctx}: variant: expected '32s', '16s' or '8s', got ${JSON.stringify(variant)}`);
    const mode = options.upsample ?? 'transposed';
    if (mode !== 'transposed' && mode !== 'bilinear') {
      throw new RangeError(`${ctx}: upsample: expected 'transposed' or 'bilinear', got ${JSON.stringify(mode)}`);
    }
    if (info.length < skips + 1) {
      throw new RangeError(
        `${ctx}: variant ${variant} needs ${skips + 1} feature maps, the backbone has ${info.length}`,
      );
    }
    const rng = initRng(options, ctx);
    this.backbone = backbone;
    this.variant = variant;
    this.mode = mode;
    this.#used = [];
    for (let i = 0; i <= skips; i++) this.#used.push(info.length - 1 - i);
    const r = this.#used.map((i) => info[i]!.reduction);
    // Factors between consecutive used maps (deep to shallow), then to the input.
    this.#factors = [];
    for (let i = 1; i < r.length; i++) this.#factors.push(r[i - 1]! / r[i]!);
    this.#factors.push(r[r.length - 1]!);
    if (mode === 'transposed' && this.#factors.some((f) => !Number.isInteger(f) || f < 2 || f % 2 !== 0)) {
      throw new RangeError(
        `${ctx}: transposed upsampling needs even integer stride ratios between the maps used, got reductions ${r.join(', ')}`,
      );
    }
    this.score = new ModuleList(this.#used.map((i) => conv(rng, info[i]!.numChannels, numClasses, 1)));
    this.upscore = new ModuleList(
      mode === 'transposed' ? this.#factors.map((f) => bilinearUp(numClasses, f, rng)) : [],
    );
  }

  #up(x: Value, index: number, size: [number, number]): Value {
    if (this.mode === 'bilinear') return F.interpolate(x, { size, mode: 'bilinear', alignCorners: false });
    const y = [...this.upscore.children()][index]!.forward(x) as Value;
    const [h, w] = spatialSize(y, 'FCN upsampling');
    if (h < size[0] || w < size[1]) {
      throw new ShapeError(`FCN: upsampled ${formatShape(y.shape)} is smaller than the target ${size.join('x')}`);
    }
    return h === size[0] && w === size[1] ? y : F.slice(y, [0, 0], size, [2, 3]);
  }

  override forward(x: Value): Value {
    const size = spatialSize(x, 'FCN');
    const feats = this.backbone.forward(x) as Value[];
    const scores = [...this.score.children()];
    let s = scores[0]!.forward(feats[this.#used[0]!]!) as Value;
    for (let i = 1; i < this.#used.length; i++) {
      const skip = scores[i]!.forward(feats[this.#used[i]!]!) as Value;
      s = F.add(this.#up(s, i - 1, spatialSize(skip, 'FCN skip')), skip);
    }
    return this.#up(s, this.#used.length - 1, size);
  }
}
