/**
 * Random photometric and information-loss transforms. They change the image only (grid dropout and erasing also
 * leave boxes alone, as albumentations and torchvision do); a sample without an image passes through unchanged.
 */
import type { Rng } from '@striate/core';
import { gaussianBlur } from './blur.js';
import {
  adjustBrightness,
  adjustBrightnessContrast,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  brightnessContrastAdjust,
  pcaLighting,
  rgbToGrayscale,
  shiftChannels,
} from './color.js';
import { hsvGains } from './hsv.js';
import { integer, nonNegative, probability, range } from './internal/check.js';
import { erase, gaussianNoise, gridDropout } from './noise.js';
import { assertSample, type ImageU8, type Sample } from './sample.js';
import { checkRng, drawInt, drawUniform, type Transform } from './transform.js';

abstract class ImageTransform implements Transform {
  abstract readonly name: string;
  protected abstract image(image: ImageU8, rng: Rng): ImageU8;
  apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
    checkRng(rng, this.name);
    assertSample(sample, this.name);
    if (!sample.image) return sample;
    return { ...sample, image: this.image(sample.image, rng) };
  }
}

function factorRange(v: number | readonly [number, number] | undefined, fn: string, name: string, center: number) {
  if (v === undefined) return undefined;
  const r = range(v, fn, name, { center });
  if (typeof v === 'number') r[0] = Math.max(0, r[0]);
  if (r[0] < 0) throw new RangeError(`${fn}: ${name}: expected factors >= 0, got [${r}]`);
  return r;
}

export interface ColorJitterOptions {
  /** `b` means factors in `[max(0, 1 - b), 1 + b]`; or `[min, max]`. */
  brightness?: number | readonly [number, number];
  contrast?: number | readonly [number, number];
  saturation?: number | readonly [number, number];
  /** `h` means `[-h, h]` (h <= 0.5); or `[min, max]` within [-0.5, 0.5]. */
  hue?: number | readonly [number, number];
}

/** torchvision `ColorJitter`: a random order of the four adjustments, each factor drawn once per call. */
export class ColorJitter extends ImageTransform {
  readonly name = 'ColorJitter';
  private readonly ranges: ([number, number] | undefined)[];
  constructor(opts: ColorJitterOptions = {}) {
    super();
    const fn = this.name;
    this.ranges = [
      factorRange(opts.brightness, fn, 'brightness', 1),
      factorRange(opts.contrast, fn, 'contrast', 1),
      factorRange(opts.saturation, fn, 'saturation', 1),
      opts.hue === undefined ? undefined : range(opts.hue, fn, 'hue', { center: 0, min: -0.5, max: 0.5 }),
    ];
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const order = rng.permutation(4);
    const factors = this.ranges.map((r) => (r ? drawUniform(rng, r[0], r[1]) : undefined));
    // The adjustments applied, in order; brightness and contrast next to each other run as one op (same bytes).
    const steps = order.filter((k) => factors[k] !== undefined);
    let out = image;
    for (let i = 0; i < steps.length; i++) {
      const k = steps[i]!;
      const f = factors[k]!;
      const next = steps[i + 1];
      if (k <= 1 && next !== undefined && next <= 1) {
        out = adjustBrightnessContrast(out, factors[0]!, factors[1]!, { contrastFirst: k === 1 });
        i++;
      } else if (k === 0) out = adjustBrightness(out, f);
      else if (k === 1) out = adjustContrast(out, f);
      else if (k === 2) out = adjustSaturation(out, f);
      else out = adjustHue(out, f);
    }
    return out;
  }
}

export interface RandomBrightnessContrastOptions {
  /** The beta (brightness) range: `l` means `[-l, l]` (default 0.2); or `[min, max]`. */
  brightnessLimit?: number | readonly [number, number];
  /** The alpha (contrast) range around 1: `l` means alpha in `[1 - l, 1 + l]` (default 0.2); or `[min, max]` of alpha - 1. */
  contrastLimit?: number | readonly [number, number];
  /** albumentations' `brightness_by_max` (default true): beta is a fraction of 255, else of the image mean. */
  brightnessByMax?: boolean;
}

/**
 * albumentations `RandomBrightnessContrast`: `alpha = 1 + U(contrastLimit)`, then `beta = U(brightnessLimit)`,
 * applied as one byte map (`brightnessContrastAdjust`). Wrap it in `randomApply` for albumentations' `p`.
 */
export class RandomBrightnessContrast extends ImageTransform {
  readonly name = 'RandomBrightnessContrast';
  private readonly brightness: [number, number];
  private readonly contrast: [number, number];
  private readonly byMax: boolean;
  constructor(opts: RandomBrightnessContrastOptions = {}) {
    super();
    this.brightness = range(opts.brightnessLimit ?? 0.2, this.name, 'brightnessLimit', { center: 0 });
    this.contrast = range(opts.contrastLimit ?? 0.2, this.name, 'contrastLimit', { center: 0 });
    const byMax = opts.brightnessByMax ?? true;
    if (typeof byMax !== 'boolean') {
      throw new TypeError(`${this.name}: brightnessByMax: expected a boolean, got ${typeof byMax}`);
    }
    this.byMax = byMax;
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const alpha = 1 + drawUniform(rng, ...this.contrast);
    const beta = drawUniform(rng, ...this.brightness);
    return brightnessContrastAdjust(image, alpha, beta, { betaByMax: this.byMax });
  }
}

/** YOLO's HSV augmentation: gains `1 + U(-1, 1) * [h, s, v]` (defaults 0.015, 0.7, 0.4). */
export class HsvJitter extends ImageTransform {
  readonly name = 'HsvJitter';
  private readonly gains: [number, number, number];
  constructor(opts: { hue?: number; saturation?: number; value?: number } = {}) {
    super();
    this.gains = [
      nonNegative(opts.hue ?? 0.015, this.name, 'hue'),
      nonNegative(opts.saturation ?? 0.7, this.name, 'saturation'),
      nonNegative(opts.value ?? 0.4, this.name, 'value'),
    ];
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const g = this.gains.map((x) => 1 + rng.uniform(-1, 1) * x) as [number, number, number];
    return hsvGains(image, g);
  }
}

/** Per-channel shift drawn uniformly in `[-limit, limit]` per channel (albumentations `RGBShift`, default 20). */
export class ChannelShift extends ImageTransform {
  readonly name = 'ChannelShift';
  private readonly limits: [number, number][];
  constructor(opts: { limits?: readonly (number | readonly [number, number])[] } = {}) {
    super();
    const l = opts.limits ?? [20, 20, 20];
    if (!Array.isArray(l) || l.length === 0)
      throw new TypeError(`${this.name}: limits: expected one range per channel`);
    this.limits = l.map((v, k) => range(v, this.name, `limits[${k}]`, { center: 0 }));
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    if (image.channels !== this.limits.length) {
      throw new RangeError(
        `${this.name}: image.channels: expected ${this.limits.length} (one limit each), got ${image.channels}`,
      );
    }
    return shiftChannels(
      image,
      this.limits.map(([lo, hi]) => drawUniform(rng, lo, hi)),
    );
  }
}

/** AlexNet's PCA lighting noise with `alpha ~ N(0, alphaStd)` per eigenvector (default 0.1). */
export class PcaLighting extends ImageTransform {
  readonly name = 'PcaLighting';
  private readonly alphaStd: number;
  constructor(opts: { alphaStd?: number } = {}) {
    super();
    this.alphaStd = nonNegative(opts.alphaStd ?? 0.1, this.name, 'alphaStd');
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const a: [number, number, number] = [
      rng.normal(0, this.alphaStd),
      rng.normal(0, this.alphaStd),
      rng.normal(0, this.alphaStd),
    ];
    return pcaLighting(image, a);
  }
}

/** Gaussian noise with `std` drawn uniformly from a range (or fixed). */
export class GaussianNoise extends ImageTransform {
  readonly name = 'GaussianNoise';
  private readonly std: [number, number];
  constructor(
    private readonly opts: { std?: number | readonly [number, number]; mean?: number; perChannel?: boolean } = {},
  ) {
    super();
    const s = opts.std ?? 10;
    this.std = typeof s === 'number' ? [nonNegative(s, this.name, 'std'), s] : range(s, this.name, 'std', { min: 0 });
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    return gaussianNoise(image, rng, drawUniform(rng, ...this.std), this.opts.mean ?? 0, this.opts.perChannel ?? true);
  }
}

/** Grayscale with probability `p` (default 0.1), keeping the channel count (torchvision `RandomGrayscale`). */
export class RandomGrayscale extends ImageTransform {
  readonly name = 'RandomGrayscale';
  private readonly p: number;
  constructor(opts: { p?: number } = {}) {
    super();
    this.p = probability(opts.p ?? 0.1, this.name);
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    if (rng.uniform() >= this.p || image.channels === 1) return image;
    return rgbToGrayscale(image, 3);
  }
}

/** torchvision `GaussianBlur`: sigma uniform in `sigma` (default [0.1, 2]) with an odd `kernelSize`. */
export class GaussianBlur extends ImageTransform {
  readonly name = 'GaussianBlur';
  private readonly sigma: [number, number];
  constructor(
    private readonly kernelSize: number | readonly [number, number],
    opts: { sigma?: number | readonly [number, number] } = {},
  ) {
    super();
    const s = opts.sigma ?? [0.1, 2];
    this.sigma = typeof s === 'number' ? [s, s] : range(s, this.name, 'sigma');
    if (this.sigma[0] <= 0) throw new RangeError(`${this.name}: sigma: expected values > 0, got [${this.sigma}]`);
    const ks = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    for (const k of ks) {
      integer(k, this.name, 'kernelSize', 1);
      if (k % 2 === 0) throw new RangeError(`${this.name}: kernelSize: expected odd sizes, got ${k}`);
    }
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const sigma = drawUniform(rng, ...this.sigma);
    return gaussianBlur(image, this.kernelSize, sigma);
  }
}

export interface RandomErasingOptions {
  p?: number;
  /** Erased area as a fraction of the image. Default [0.02, 0.33]. */
  scale?: readonly [number, number];
  /** Aspect ratio range (log-uniform). Default [0.3, 3.3]. */
  ratio?: readonly [number, number];
  /** Fill: a number, one per channel, or 'random'. Default 0. */
  value?: number | readonly number[] | 'random';
}

/** torchvision `RandomErasing` (cutout): up to 10 tries for a rectangle that fits, erased with `value`. */
export class RandomErasing extends ImageTransform {
  readonly name = 'RandomErasing';
  private readonly p: number;
  private readonly scale: [number, number];
  private readonly ratio: [number, number];
  constructor(private readonly opts: RandomErasingOptions = {}) {
    super();
    this.p = probability(opts.p ?? 0.5, this.name);
    this.scale = range(opts.scale ?? [0.02, 0.33], this.name, 'scale', { min: 0, max: 1 });
    this.ratio = range(opts.ratio ?? [0.3, 3.3], this.name, 'ratio');
    if (this.ratio[0] <= 0) throw new RangeError(`${this.name}: ratio: expected values > 0, got [${this.ratio}]`);
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    if (rng.uniform() >= this.p) return image;
    const { height: ih, width: iw } = image;
    const area = ih * iw;
    const logLo = Math.log(this.ratio[0]);
    const logHi = Math.log(this.ratio[1]);
    for (let k = 0; k < 10; k++) {
      const target = area * drawUniform(rng, ...this.scale);
      const aspect = Math.exp(drawUniform(rng, logLo, logHi));
      const h = Math.round(Math.sqrt(target * aspect));
      const w = Math.round(Math.sqrt(target / aspect));
      if (!(h < ih && w < iw)) continue;
      const top = drawInt(rng, 0, ih - h);
      const left = drawInt(rng, 0, iw - w);
      return erase(image, top, left, h, w, this.opts.value ?? 0, rng);
    }
    return image;
  }
}

/** Grid dropout with the cell size drawn in `unit` (default [10, 40] px) and a random grid offset. */
export class GridDropout extends ImageTransform {
  readonly name = 'GridDropout';
  private readonly unit: [number, number];
  private readonly ratio: number;
  constructor(
    private readonly opts: { ratio?: number; unit?: readonly [number, number]; fill?: number | readonly number[] } = {},
  ) {
    super();
    this.ratio = probability(opts.ratio ?? 0.5, this.name, 'ratio');
    if (this.ratio === 0 || this.ratio === 1)
      throw new RangeError(`${this.name}: ratio: expected a value in (0, 1), got ${this.ratio}`);
    this.unit = range(opts.unit ?? [10, 40], this.name, 'unit', { min: 2 });
    integer(this.unit[0], this.name, 'unit[0]', 2);
    integer(this.unit[1], this.name, 'unit[1]', 2);
  }
  protected image(image: ImageU8, rng: Rng): ImageU8 {
    const unit = drawInt(rng, ...this.unit);
    const sx = drawInt(rng, 0, unit - 1);
    const sy = drawInt(rng, 0, unit - 1);
    return gridDropout(image, unit, this.ratio, sx, sy, this.opts.fill ?? 0);
  }
}
