/**
 * Small building blocks shared by the detection heads: torchvision's `Conv2dNormActivation` (a Sequential of conv,
 * norm, activation named '0', '1', '2'), `GroupNorm` (traced as Reshape + LayerNormalization + per-channel affine)
 * and `TapBody` (runs named children in order and returns the outputs of chosen ones, as torchvision's
 * `IntermediateLayerGetter`).
 */
import {
  BatchNorm2d,
  Conv2d,
  functional as F,
  formatShape,
  full,
  Hardswish,
  Module,
  Parameter,
  ReLU,
  Sequential,
  ShapeError,
  Tensor,
  type Value,
  zeros,
} from '@striate/core';

/** ReLU6 as Clip(0, 6). */
export class ReLU6 extends Module {
  override forward(x: Value): Value {
    const lo = this.constant(x, 'min', new Tensor('float32', [], Float32Array.of(0)));
    const hi = this.constant(x, 'max', new Tensor('float32', [], Float32Array.of(6)));
    return this.emit1(x, 'Clip', [x, lo, hi]);
  }
}

export interface ConvNormActOptions {
  readonly stride?: number;
  readonly groups?: number;
  /** 'bn' (BatchNorm2d, conv without bias, the default) or null (conv with bias, no norm). */
  readonly norm?: 'bn' | null;
  readonly act?: 'relu' | 'relu6' | 'hardswish' | null;
  readonly padding?: number;
  /** BatchNorm epsilon (default 1e-5). */
  readonly eps?: number;
}

/** torchvision's Conv2dNormActivation: conv (padding (k-1)/2), optional BatchNorm2d, optional activation. */
export function convNormAct(inC: number, outC: number, k: number, o: ConvNormActOptions = {}): Sequential {
  const norm = o.norm === undefined ? 'bn' : o.norm;
  const layers: Module[] = [
    new Conv2d(inC, outC, k, {
      stride: o.stride ?? 1,
      padding: o.padding ?? Math.floor((k - 1) / 2),
      groups: o.groups ?? 1,
      bias: norm === null,
    }),
  ];
  if (norm === 'bn') layers.push(new BatchNorm2d(outC, { eps: o.eps ?? 1e-5 }));
  const act = o.act === undefined ? 'relu' : o.act;
  if (act === 'relu') layers.push(new ReLU());
  else if (act === 'relu6') layers.push(new ReLU6());
  else if (act === 'hardswish') layers.push(new Hardswish());
  return new Sequential(...layers);
}

/**
 * Group normalization (PyTorch `nn.GroupNorm`): weight (ones) and bias (zeros) per channel. Traced as
 * Reshape [N, C, H, W] -> [N, G, C/G*H, W], LayerNormalization over the last two axes (exactly the group's
 * elements), Reshape back, then Mul/Add by the per-channel affine. Needs a numeric channel count and height.
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  weight: Parameter;
  bias: Parameter;

  constructor(numGroups: number, numChannels: number, eps = 1e-5) {
    super();
    for (const [v, n] of [
      [numGroups, 'numGroups'],
      [numChannels, 'numChannels'],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`GroupNorm: ${n}: expected an integer >= 1, got ${v}`);
    }
    if (numChannels % numGroups !== 0) {
      throw new RangeError(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    if (!(eps > 0)) throw new RangeError(`GroupNorm: eps: expected a number > 0, got ${eps}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = eps;
    this.weight = new Parameter(full([numChannels], 1));
    this.bias = new Parameter(zeros([numChannels]));
  }

  override forward(x: Value): Value {
    const [, c, h, w] = x.shape;
    if (x.shape.length !== 4 || c !== this.numChannels || typeof h !== 'number' || typeof w !== 'number') {
      throw new ShapeError(
        `${this.pathIn(x)} (GroupNorm): expected [N, ${this.numChannels}, H, W] with numeric H and W, got ${formatShape(x.shape)}`,
      );
    }
    const g = this.numGroups;
    const grouped = F.reshape(x, [0, g, (this.numChannels / g) * h, w]);
    const one = this.constant(x, 'ones', full([1], 1));
    const zero = this.constant(x, 'zeros', zeros([1]));
    const normed = this.emit1(x, 'LayerNormalization', [grouped, one, zero], { axis: 2, epsilon: this.eps }, 'ln');
    const back = F.reshape(normed, [0, this.numChannels, h, w]);
    const scale = F.reshape(this.tensorValue(x, 'weight'), [this.numChannels, 1, 1]);
    const shift = F.reshape(this.tensorValue(x, 'bias'), [this.numChannels, 1, 1]);
    return F.add(F.mul(back, scale), shift);
  }
}

/** Runs `children` (name -> module) in order and returns the outputs of the children named in `taps`, in order. */
export class TapBody extends Module {
  readonly taps: readonly string[];
  readonly #order: string[] = [];

  constructor(children: Iterable<[string, Module]>, taps: readonly string[]) {
    super();
    for (const [name, m] of children) {
      this.registerModule(name, m);
      this.#order.push(name);
    }
    const missing = taps.filter((t) => !this.#order.includes(t));
    if (missing.length > 0 || taps.length === 0) {
      throw new RangeError(`TapBody: taps: expected names among ${this.#order.join(', ')}, got ${taps.join(', ')}`);
    }
    this.taps = [...taps];
  }

  override forward(x: Value): Value[] {
    const out: Value[] = [];
    const last = Math.max(...this.taps.map((t) => this.#order.indexOf(t)));
    let y = x;
    for (const name of this.#order.slice(0, last + 1)) {
      y = (this.getSubmodule(name) as Module).forward(y) as Value;
      if (this.taps.includes(name)) out.push(y);
    }
    return out;
  }
}
