/**
 * Random geometric transforms (torchvision.transforms.v2's parameter sampling), each drawing its parameters once
 * per call and applying them to image, boxes, masks and keypoints through the functional ops.
 */
import type { Rng } from '@striate/core';
import { type BoxFilter, checkBoxFilter } from './box-filter.js';
import type { BoxRule } from './box-geometry.js';
import {
  affine,
  crop,
  horizontalFlip,
  type Interpolation,
  perspective,
  resize,
  resizedCrop,
  rotate,
  verticalFlip,
} from './geometric.js';
import { nonNegative, probability, range, size2 } from './internal/check.js';
import { letterbox } from './letterbox.js';
import { assertSample, type Sample } from './sample.js';
import { checkRng, drawInt, drawUniform, type Transform } from './transform.js';

interface WarpTransformOptions {
  interpolation?: Interpolation;
  /** How boxes follow the warp (rotate/affine): 'envelope' (torchvision) or 'ellipse'. */
  boxRule?: BoxRule;
  fill?: number | readonly number[];
  boxFilter?: BoxFilter;
}

abstract class Base implements Transform {
  abstract readonly name: string;
  protected abstract run<L>(sample: Sample<L>, rng: Rng): Sample<L>;
  apply<L>(sample: Sample<L>, rng: Rng): Sample<L> {
    checkRng(rng, this.name);
    assertSample(sample, this.name);
    return this.run(sample, rng);
  }
}

/** Mirrors left-right with probability `p` (default 0.5). */
export class RandomHorizontalFlip extends Base {
  readonly name = 'RandomHorizontalFlip';
  private readonly p: number;
  private readonly boxFilter?: BoxFilter;
  constructor(opts: { p?: number; boxFilter?: BoxFilter } = {}) {
    super();
    this.p = probability(opts.p ?? 0.5, this.name);
    checkBoxFilter(opts.boxFilter, this.name);
    this.boxFilter = opts.boxFilter;
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    return rng.uniform() < this.p ? horizontalFlip(s, { boxFilter: this.boxFilter }) : s;
  }
}

/** Mirrors top-bottom with probability `p` (default 0.5). */
export class RandomVerticalFlip extends Base {
  readonly name = 'RandomVerticalFlip';
  private readonly p: number;
  private readonly boxFilter?: BoxFilter;
  constructor(opts: { p?: number; boxFilter?: BoxFilter } = {}) {
    super();
    this.p = probability(opts.p ?? 0.5, this.name);
    checkBoxFilter(opts.boxFilter, this.name);
    this.boxFilter = opts.boxFilter;
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    return rng.uniform() < this.p ? verticalFlip(s, { boxFilter: this.boxFilter }) : s;
  }
}

/** Rotates by an angle uniform in `degrees` (`d` means `[-d, d]`), as torchvision `RandomRotation`. */
export class RandomRotation extends Base {
  readonly name = 'RandomRotation';
  private readonly degrees: [number, number];
  constructor(
    degrees: number | readonly [number, number],
    private readonly opts: WarpTransformOptions & { expand?: boolean } = {},
  ) {
    super();
    this.degrees = range(degrees, this.name, 'degrees', { center: 0 });
    checkBoxFilter(opts.boxFilter, this.name);
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    return rotate(s, drawUniform(rng, ...this.degrees), this.opts);
  }
}

export interface RandomAffineOptions extends WarpTransformOptions {
  /** Maximum translation as fractions of width and height `[fx, fy]`. */
  translate?: readonly [number, number];
  /** Scale range. */
  scale?: readonly [number, number];
  /** x shear range in degrees (`s` means `[-s, s]`), or `[xmin, xmax, ymin, ymax]`. */
  shear?: number | readonly [number, number] | readonly [number, number, number, number];
}

/** torchvision `RandomAffine`: angle, translation (rounded pixels), scale and shear drawn once per call. */
export class RandomAffine extends Base {
  readonly name = 'RandomAffine';
  private readonly degrees: [number, number];
  private readonly translate?: [number, number];
  private readonly scale?: [number, number];
  private readonly shearX?: [number, number];
  private readonly shearY?: [number, number];
  constructor(
    degrees: number | readonly [number, number],
    private readonly opts: RandomAffineOptions = {},
  ) {
    super();
    const fn = this.name;
    this.degrees = range(degrees, fn, 'degrees', { center: 0 });
    if (opts.translate !== undefined) {
      if (!Array.isArray(opts.translate)) throw new TypeError(`${fn}: translate: expected [fx, fy]`);
      this.translate = [
        probability(opts.translate[0], fn, 'translate[0]'),
        probability(opts.translate[1], fn, 'translate[1]'),
      ];
    }
    if (opts.scale !== undefined) {
      this.scale = range(opts.scale, fn, 'scale');
      if (this.scale[0] <= 0) throw new RangeError(`${fn}: scale: expected values > 0, got [${this.scale}]`);
    }
    const sh = opts.shear;
    if (sh !== undefined) {
      if (Array.isArray(sh) && sh.length === 4) {
        this.shearX = range([sh[0], sh[1]], fn, 'shear[0..1]');
        this.shearY = range([sh[2], sh[3]], fn, 'shear[2..3]');
      } else {
        this.shearX = range(sh, fn, 'shear', { center: 0 });
      }
    }
    checkBoxFilter(opts.boxFilter, fn);
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    const [h, w] = s.canvasSize;
    const angle = drawUniform(rng, ...this.degrees);
    let translate: [number, number] = [0, 0];
    if (this.translate) {
      const mx = this.translate[0] * w;
      const my = this.translate[1] * h;
      translate = [Math.round(drawUniform(rng, -mx, mx)), Math.round(drawUniform(rng, -my, my))];
    }
    const scale = this.scale ? drawUniform(rng, ...this.scale) : 1;
    const shear: [number, number] = [
      this.shearX ? drawUniform(rng, ...this.shearX) : 0,
      this.shearY ? drawUniform(rng, ...this.shearY) : 0,
    ];
    return affine(s, { ...this.opts, angle, translate, scale, shear });
  }
}

/** torchvision `RandomCrop`: a `[height, width]` window at a uniform integer position. */
export class RandomCrop extends Base {
  readonly name = 'RandomCrop';
  private readonly size: [number, number];
  constructor(
    size: readonly [number, number],
    private readonly opts: { boxFilter?: BoxFilter } = {},
  ) {
    super();
    this.size = size2(size, this.name, 'size');
    checkBoxFilter(opts.boxFilter, this.name);
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    const [h, w] = s.canvasSize;
    const [th, tw] = this.size;
    if (th > h || tw > w) {
      throw new RangeError(`${this.name}: size: the crop [${th}, ${tw}] is larger than the canvas [${h}, ${w}]`);
    }
    const top = drawInt(rng, 0, h - th);
    const left = drawInt(rng, 0, w - tw);
    return crop(s, top, left, th, tw, this.opts);
  }
}

export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image. Default [0.08, 1]. */
  scale?: readonly [number, number];
  /** Range of the crop's aspect ratio (w / h), sampled log-uniformly. Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
  interpolation?: Interpolation;
  antialias?: boolean;
  boxFilter?: BoxFilter;
}

/**
 * torchvision `RandomResizedCrop.get_params`: up to 10 tries of area `A * U(scale)` and ratio `exp(U(log ratio))`,
 * `w = round(sqrt(area * r))`, `h = round(sqrt(area / r))`, accepted when it fits; else a centre crop with the
 * ratio clamped to the range. Returns `[top, left, height, width]`.
 */
export function resizedCropParams(
  rng: Rng,
  canvas: readonly [number, number],
  scale: readonly [number, number],
  ratio: readonly [number, number],
): [number, number, number, number] {
  const [height, width] = canvas;
  const area = height * width;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let k = 0; k < 10; k++) {
    const target = area * drawUniform(rng, scale[0], scale[1]);
    const aspect = Math.exp(drawUniform(rng, logLo, logHi));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return [drawInt(rng, 0, height - h), drawInt(rng, 0, width - w), h, w];
    }
  }
  const inRatio = width / height;
  let w: number;
  let h: number;
  if (inRatio < ratio[0]) {
    w = width;
    h = Math.round(w / ratio[0]);
  } else if (inRatio > ratio[1]) {
    h = height;
    w = Math.round(h * ratio[1]);
  } else {
    w = width;
    h = height;
  }
  return [Math.trunc((height - h) / 2), Math.trunc((width - w) / 2), h, w];
}

/** torchvision `RandomResizedCrop`: crop with `resizedCropParams`, then resize to `size`. */
export class RandomResizedCrop extends Base {
  readonly name = 'RandomResizedCrop';
  private readonly size: [number, number];
  private readonly scale: [number, number];
  private readonly ratio: [number, number];
  constructor(
    size: readonly [number, number],
    private readonly opts: RandomResizedCropOptions = {},
  ) {
    super();
    const fn = this.name;
    this.size = size2(size, fn, 'size');
    this.scale = range(opts.scale ?? [0.08, 1], fn, 'scale', { min: 0 });
    this.ratio = range(opts.ratio ?? [3 / 4, 4 / 3], fn, 'ratio');
    if (this.ratio[0] <= 0) throw new RangeError(`${fn}: ratio: expected values > 0, got [${this.ratio}]`);
    checkBoxFilter(opts.boxFilter, fn);
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    const [top, left, h, w] = resizedCropParams(rng, s.canvasSize, this.scale, this.ratio);
    return resizedCrop(s, top, left, h, w, this.size, {
      boxFilter: this.opts.boxFilter,
      interpolation: this.opts.interpolation,
      antialias: this.opts.antialias,
    });
  }
}

/** Deterministic resize to `size` (a transform, so it composes). */
export class Resize extends Base {
  readonly name = 'Resize';
  private readonly size: [number, number];
  constructor(
    size: readonly [number, number],
    private readonly opts: { interpolation?: Interpolation; antialias?: boolean } = {},
  ) {
    super();
    this.size = size2(size, this.name, 'size');
  }
  protected run<L>(s: Sample<L>): Sample<L> {
    return resize(s, this.size, this.opts);
  }
}

/** Deterministic letterbox to `size` (the parameters are not returned: use `letterbox()` for the inverse). */
export class Letterbox extends Base {
  readonly name = 'Letterbox';
  private readonly size: [number, number];
  constructor(
    size: readonly [number, number],
    private readonly opts: { fill?: number | readonly number[]; scaleUp?: boolean } = {},
  ) {
    super();
    this.size = size2(size, this.name, 'size');
  }
  protected run<L>(s: Sample<L>): Sample<L> {
    return letterbox(s, this.size, this.opts).sample;
  }
}

/**
 * torchvision `RandomPerspective` (applied with probability `p`): each corner moves inwards by a random integer
 * up to `distortionScale` of half the width / height.
 */
export class RandomPerspective extends Base {
  readonly name = 'RandomPerspective';
  private readonly p: number;
  private readonly distortion: number;
  constructor(private readonly opts: WarpTransformOptions & { distortionScale?: number; p?: number } = {}) {
    super();
    this.p = probability(opts.p ?? 0.5, this.name);
    this.distortion = nonNegative(opts.distortionScale ?? 0.5, this.name, 'distortionScale');
    if (this.distortion > 1)
      throw new RangeError(`${this.name}: distortionScale: expected a value in [0, 1], got ${this.distortion}`);
    checkBoxFilter(opts.boxFilter, this.name);
  }
  protected run<L>(s: Sample<L>, rng: Rng): Sample<L> {
    if (rng.uniform() >= this.p) return s;
    const [h, w] = s.canvasSize;
    const dx = Math.trunc(this.distortion * Math.trunc(w / 2));
    const dy = Math.trunc(this.distortion * Math.trunc(h / 2));
    const tl: [number, number] = [drawInt(rng, 0, dx), drawInt(rng, 0, dy)];
    const tr: [number, number] = [drawInt(rng, w - dx - 1, w - 1), drawInt(rng, 0, dy)];
    const br: [number, number] = [drawInt(rng, w - dx - 1, w - 1), drawInt(rng, h - dy - 1, h - 1)];
    const bl: [number, number] = [drawInt(rng, 0, dx), drawInt(rng, h - dy - 1, h - 1)];
    const start: [number, number][] = [
      [0, 0],
      [w - 1, 0],
      [w - 1, h - 1],
      [0, h - 1],
    ];
    return perspective(s, start, [tl, tr, br, bl], this.opts);
  }
}
