/**
 * UNet (Ronneberger, Fischer & Brox 2015): an encoder of double 3x3 convolutions with doubling channels and 2x2
 * max pooling, a decoder of 2x2 transposed convolutions halving the channels, concatenation with the encoder map of
 * the same resolution (center-cropped when the convolutions are unpadded, as the paper), and a final 1x1
 * convolution to the classes. Depth, width, padding, BatchNorm and a residual block variant are options;
 * `BackboneUNet` uses any backbone's feature maps as the encoder.
 */
import {
  BatchNorm2d,
  functional as F,
  formatShape,
  MaxPool2d,
  Module,
  ModuleList,
  ReLU,
  type Rng,
  Sequential,
  ShapeError,
  type Value,
} from '@striate/core';
import { conv, convT, type InitOptions, initRng, positiveInt } from '../internal/layers.js';
import type { FeatureBackbone } from './fcn.js';
import { spatialSize } from './heads.js';

export interface UNetBlockOptions {
  /** Pad the 3x3 convolutions (output size = input size). Default true. */
  readonly padding?: boolean;
  /** BatchNorm after each convolution (the paper has none). Default false. */
  readonly batchNorm?: boolean;
  /** Residual blocks: the two convolutions plus a (1x1 when channels change) shortcut. Default false. */
  readonly residual?: boolean;
}

export interface UNetOptions extends UNetBlockOptions, InitOptions {
  /** Default 1 (the paper's grey-level images). */
  readonly inChannels?: number;
  /** Default 2 (the paper's cell / background). */
  readonly numClasses?: number;
  /** Resolution levels, including the bottleneck (default 5: 64, 128, 256, 512, 1024 channels). */
  readonly depth?: number;
  /** Channels of the first level (default 64); level i has width * 2^i. */
  readonly width?: number;
}

/** Two 3x3 convolutions with ReLU (optionally BatchNorm, optionally residual). */
export class DoubleConv extends Module {
  conv: Sequential;
  shortcut: Module | null;
  relu = new ReLU();
  readonly residual: boolean;

  constructor(rng: Rng, inC: number, outC: number, o: UNetBlockOptions = {}) {
    super();
    const pad = (o.padding ?? true) ? 1 : 0;
    const bn = o.batchNorm ?? false;
    this.residual = o.residual ?? false;
    const layers: Module[] = [];
    for (const [a, b] of [
      [inC, outC],
      [outC, outC],
    ] as const) {
      layers.push(conv(rng, a, b, 3, { padding: pad, bias: !bn }));
      if (bn) layers.push(new BatchNorm2d(b));
      layers.push(new ReLU());
    }
    if (this.residual) layers.pop(); // the last ReLU comes after the addition
    this.conv = new Sequential(...layers);
    this.shortcut = this.residual && inC !== outC ? conv(rng, inC, outC, 1, { bias: false }) : null;
    if (this.residual && pad === 0) {
      throw new RangeError('DoubleConv: residual: requires padding (the shortcut must keep the size)');
    }
  }

  override forward(x: Value): Value {
    const y = this.conv.forward(x) as Value;
    if (!this.residual) return y;
    return this.relu.forward(F.add(y, this.shortcut ? (this.shortcut.forward(x) as Value) : x));
  }
}

/** Center crop of `x` to `size` (the paper's crop of the contracting path's maps). */
function centerCrop(x: Value, size: [number, number], who: string): Value {
  const [h, w] = spatialSize(x, who);
  if (h === size[0] && w === size[1]) return x;
  if (h < size[0] || w < size[1])
    throw new ShapeError(`${who}: cannot crop ${formatShape(x.shape)} to ${size.join('x')}`);
  const t = Math.floor((h - size[0]) / 2);
  const l = Math.floor((w - size[1]) / 2);
  return F.slice(x, [t, l], [t + size[0], l + size[1]], [2, 3]);
}

export class UNet extends Module {
  down: ModuleList;
  up: ModuleList;
  dec: ModuleList;
  pool = new MaxPool2d(2);
  head: Module;
  readonly depth: number;

  constructor(options: UNetOptions = {}) {
    super();
    const ctx = 'UNet';
    const inC = positiveInt(options.inChannels ?? 1, 'inChannels', ctx);
    const numClasses = positiveInt(options.numClasses ?? 2, 'numClasses', ctx);
    const depth = positiveInt(options.depth ?? 5, 'depth', ctx);
    const width = positiveInt(options.width ?? 64, 'width', ctx);
    if (depth < 2) throw new RangeError(`${ctx}: depth: expected at least 2 levels, got ${depth}`);
    const rng = initRng(options, ctx);
    this.depth = depth;
    const ch = Array.from({ length: depth }, (_, i) => width * 2 ** i);
    this.down = new ModuleList(ch.map((c, i) => new DoubleConv(rng, i === 0 ? inC : ch[i - 1]!, c, options)));
    const ups: Module[] = [];
    const decs: Module[] = [];
    for (let i = depth - 1; i > 0; i--) {
      ups.push(convT(rng, ch[i]!, ch[i - 1]!, 2, { stride: 2 }));
      decs.push(new DoubleConv(rng, 2 * ch[i - 1]!, ch[i - 1]!, options));
    }
    this.up = new ModuleList(ups);
    this.dec = new ModuleList(decs);
    this.head = conv(rng, width, numClasses, 1);
  }

  override forward(x: Value): Value {
    const skips: Value[] = [];
    let v = x;
    const downs = [...this.down.children()];
    downs.forEach((m, i) => {
      if (i > 0) v = this.pool.forward(v) as Value;
      v = m.forward(v) as Value;
      if (i < downs.length - 1) skips.push(v);
    });
    const ups = [...this.up.children()];
    const decs = [...this.dec.children()];
    ups.forEach((u, i) => {
      v = u.forward(v) as Value;
      const skip = centerCrop(skips[skips.length - 1 - i]!, spatialSize(v, 'UNet decoder'), 'UNet skip');
      v = decs[i]!.forward(F.concat([skip, v], 1)) as Value;
    });
    return this.head.forward(v) as Value;
  }
}

export interface BackboneUNetOptions extends UNetBlockOptions, InitOptions {
  readonly numClasses: number;
}

/**
 * UNet with a backbone's feature maps as the encoder: from the deepest map up, each decoder stage resizes
 * (bilinear) to the next shallower map, concatenates it and applies a double convolution to its channel count;
 * the last stage is resized to the input size and a 1x1 convolution gives the classes.
 */
export class BackboneUNet extends Module {
  encoder: FeatureBackbone;
  dec: ModuleList;
  head: Module;

  constructor(encoder: FeatureBackbone, options: BackboneUNetOptions) {
    super();
    const ctx = 'BackboneUNet';
    const info = encoder?.featureInfo;
    if (!Array.isArray(info) || info.length < 2) {
      throw new TypeError(`${ctx}: encoder: expected a module with featureInfo listing at least 2 maps`);
    }
    const numClasses = positiveInt(options?.numClasses, 'numClasses', ctx);
    const rng = initRng(options, ctx);
    this.encoder = encoder;
    const decs: Module[] = [];
    let c = info[info.length - 1]!.numChannels;
    for (let i = info.length - 2; i >= 0; i--) {
      const skipC = info[i]!.numChannels;
      decs.push(new DoubleConv(rng, c + skipC, skipC, { ...options, padding: true }));
      c = skipC;
    }
    this.dec = new ModuleList(decs);
    this.head = conv(rng, c, numClasses, 1);
  }

  override forward(x: Value): Value {
    const size = spatialSize(x, 'BackboneUNet');
    const feats = this.encoder.forward(x) as Value[];
    let v = feats[feats.length - 1]!;
    [...this.dec.children()].forEach((d, i) => {
      const skip = feats[feats.length - 2 - i]!;
      v = F.interpolate(v, { size: spatialSize(skip, 'BackboneUNet skip'), mode: 'bilinear', alignCorners: false });
      v = d.forward(F.concat([skip, v], 1)) as Value;
    });
    v = F.interpolate(v, { size, mode: 'bilinear', alignCorners: false });
    return this.head.forward(v) as Value;
  }
}
