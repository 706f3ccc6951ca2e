/**
 * Geometric functional ops on a whole sample (image, boxes, labels, masks, keypoints), each returning a new
 * sample, with torchvision.transforms.v2.functional's semantics for every target (see box-geometry.ts, warp.ts,
 * resize-image.ts). Boxes are returned exactly as torchvision returns them; pass `boxFilter` to also clip them and
 * drop those below a minimum area or visibility.
 */
import { type AffineParams, affineMatrix, perspectiveCoeffs as perspectiveCoeffsFor } from './affine-matrix.js';
import { type BoxFilter, checkBoxFilter, finishTargets } from './box-filter.js';
import {
  affineGeometry,
  affineKeypoints,
  type BoxRule,
  cropBoxes,
  flipBoxes,
  mapKeypoints,
  perspectiveGeometry,
  resizeBoxes,
} from './box-geometry.js';
import { finite, integer, oneOfStr, positive, size2 } from './internal/check.js';
import { cropPlanes, flipPlanes, rot90Planes, withData } from './pixels.js';
import { resizeBilinear, resizeNearest } from './resize-image.js';
import { assertSample, boxesToPixelXyxy, maskCount, type Sample } from './sample.js';
import { affineRowMapper, type Interpolation, perspectiveRowMapper, warpImage, warpMasks } from './warp.js';

export type { Interpolation } from './warp.js';

export interface GeometryOptions {
  boxFilter?: BoxFilter;
}

export interface WarpOptions extends GeometryOptions {
  /** How boxes follow rotate/affine: torchvision's corner `'envelope'` (default) or the tighter `'ellipse'`. */
  boxRule?: BoxRule;
  /** Default 'nearest' (torchvision's default for rotate, affine and perspective). */
  interpolation?: Interpolation;
  /** Value for pixels from outside the image: a number or one per channel. Default: zero padding. */
  fill?: number | readonly number[];
}

const INTERP: readonly Interpolation[] = ['nearest', 'bilinear'];

function flip<L>(sample: Sample<L>, horizontal: boolean, opts: GeometryOptions, fn: string): Sample<L> {
  assertSample(sample, fn);
  const filter = checkBoxFilter(opts.boxFilter, fn);
  const [h, w] = sample.canvasSize;
  const image =
    sample.image && withData(sample.image, flipPlanes(sample.image.data, 1, h, w, sample.image.channels, horizontal));
  const masks = sample.masks && flipPlanes(sample.masks, maskCount(sample), h, w, 1, horizontal);
  let keypoints = sample.keypoints;
  if (keypoints) {
    keypoints = keypoints.slice();
    for (let p = horizontal ? 0 : 1; p < keypoints.length; p += 2)
      keypoints[p] = (horizontal ? w : h) - 1 - keypoints[p]!;
  }
  const geom = sample.boxes && flipBoxes(boxesToPixelXyxy(sample), [h, w], horizontal);
  return { ...sample, image, keypoints, ...finishTargets(sample, geom, [h, w], masks, filter) } as Sample<L>;
}

/** Mirrors left-right (torchvision `horizontal_flip`: x -> W - x for boxes, W - 1 - x for keypoints). */
export function horizontalFlip<L>(sample: Sample<L>, opts: GeometryOptions = {}): Sample<L> {
  return flip(sample, true, opts, 'horizontalFlip');
}

/** Mirrors top-bottom (torchvision `vertical_flip`). */
export function verticalFlip<L>(sample: Sample<L>, opts: GeometryOptions = {}): Sample<L> {
  return flip(sample, false, opts, 'verticalFlip');
}

/**
 * Crops `[top, top + height) x [left, left + width)` (torchvision `crop`): the region may extend past the image,
 * which is padded with zeros; boxes are shifted and clamped to the new canvas, keypoints shifted.
 */
export function crop<L>(
  sample: Sample<L>,
  top: number,
  left: number,
  height: number,
  width: number,
  opts: GeometryOptions = {},
): Sample<L> {
  const fn = 'crop';
  assertSample(sample, fn);
  integer(top, fn, 'top');
  integer(left, fn, 'left');
  integer(height, fn, 'height', 1);
  integer(width, fn, 'width', 1);
  const filter = checkBoxFilter(opts.boxFilter, fn);
  const [h, w] = sample.canvasSize;
  const image =
    sample.image &&
    withData(
      sample.image,
      cropPlanes(sample.image.data, 1, h, w, sample.image.channels, top, left, height, width),
      height,
      width,
    );
  const masks = sample.masks && cropPlanes(sample.masks, maskCount(sample), h, w, 1, top, left, height, width);
  let keypoints = sample.keypoints;
  if (keypoints) {
    keypoints = keypoints.slice();
    for (let p = 0; p < keypoints.length; p += 2) {
      keypoints[p] = keypoints[p]! - left;
      keypoints[p + 1] = keypoints[p + 1]! - top;
    }
  }
  const geom = sample.boxes && cropBoxes(boxesToPixelXyxy(sample), top, left, height, width);
  return {
    ...sample,
    image,
    keypoints,
    canvasSize: [height, width],
    ...finishTargets(sample, geom, [height, width], masks, filter),
  } as Sample<L>;
}

export interface ResizeOptions extends GeometryOptions {
  /** Default 'bilinear' (torchvision's default for resize). Masks are always nearest. */
  interpolation?: Interpolation;
  /** Antialiased bilinear when downscaling (torchvision's default, true). */
  antialias?: boolean;
}

/** Resizes to `[height, width]` (torchvision `resize`): boxes and keypoints scaled, not clamped. */
export function resize<L>(sample: Sample<L>, size: readonly [number, number], opts: ResizeOptions = {}): Sample<L> {
  const fn = 'resize';
  assertSample(sample, fn);
  const [oh, ow] = size2(size, fn, 'size');
  const interpolation = oneOfStr(opts.interpolation ?? 'bilinear', INTERP, fn, 'interpolation');
  const filter = checkBoxFilter(opts.boxFilter, fn);
  const [h, w] = sample.canvasSize;
  let image = sample.image;
  if (image && (oh !== h || ow !== w)) {
    image =
      interpolation === 'bilinear'
        ? resizeBilinear(image, oh, ow, opts.antialias ?? true)
        : withData(image, resizeNearest(image.data, 1, h, w, image.channels, oh, ow), oh, ow);
  }
  const masks = sample.masks && resizeNearest(sample.masks, maskCount(sample), h, w, 1, oh, ow);
  let keypoints = sample.keypoints;
  if (keypoints) {
    keypoints = keypoints.slice();
    for (let p = 0; p < keypoints.length; p += 2) {
      keypoints[p] = keypoints[p]! * (ow / w);
      keypoints[p + 1] = keypoints[p + 1]! * (oh / h);
    }
  }
  const geom = sample.boxes && resizeBoxes(boxesToPixelXyxy(sample), [h, w], [oh, ow]);
  return {
    ...sample,
    image,
    keypoints,
    canvasSize: [oh, ow],
    ...finishTargets(sample, geom, [oh, ow], masks, filter),
  } as Sample<L>;
}

/**
 * Crops `[top, top + height) x [left, left + width)` and resizes the crop to `size` (torchvision `resized_crop`):
 * the same sample as `resize(crop(sample, top, left, height, width, opts), size, resizeOptions)`, where `opts`'s
 * box filter applies after the crop (as `RandomResizedCrop` does). A bilinear resize of a window inside the image
 * reads the window in place, with no crop copy.
 */
export function resizedCrop<L>(
  sample: Sample<L>,
  top: number,
  left: number,
  height: number,
  width: number,
  size: readonly [number, number],
  opts: ResizeOptions = {},
): Sample<L> {
  const fn = 'resizedCrop';
  assertSample(sample, fn);
  integer(top, fn, 'top');
  integer(left, fn, 'left');
  integer(height, fn, 'height', 1);
  integer(width, fn, 'width', 1);
  const [oh, ow] = size2(size, fn, 'size');
  const interpolation = oneOfStr(opts.interpolation ?? 'bilinear', INTERP, fn, 'interpolation');
  const resizeOpts: ResizeOptions = { interpolation, antialias: opts.antialias };
  const src = sample.image;
  const [h, w] = sample.canvasSize;
  const inside = top >= 0 && left >= 0 && top + height <= h && left + width <= w;
  if (!src || interpolation !== 'bilinear' || !inside || (oh === height && ow === width)) {
    return resize(crop(sample, top, left, height, width, { boxFilter: opts.boxFilter }), [oh, ow], resizeOpts);
  }
  // Targets through crop and resize without the image; the image resized straight from the window.
  const targets = resize(
    crop({ ...sample, image: undefined }, top, left, height, width, { boxFilter: opts.boxFilter }),
    [oh, ow],
    resizeOpts,
  );
  const image = resizeBilinear(src, oh, ow, opts.antialias ?? true, { top, left, height, width });
  return { ...targets, image } as Sample<L>;
}

export interface AffineOptions extends WarpOptions {
  /** Degrees; positive turns the content clockwise on screen (torchvision `affine`). Default 0. */
  angle?: number;
  /** Pixels `[tx, ty]`. Default [0, 0]. */
  translate?: readonly [number, number];
  /** Default 1. */
  scale?: number;
  /** Degrees: a number (x shear) or `[sx, sy]`. Default 0. */
  shear?: number | readonly [number, number];
}

function warpAffine<L>(
  sample: Sample<L>,
  params: AffineParams,
  expand: boolean,
  opts: WarpOptions,
  fn: string,
  exact?: (data: Uint8Array, planes: number, channels: number) => Uint8Array,
): Sample<L> {
  const interpolation = oneOfStr(opts.interpolation ?? 'nearest', INTERP, fn, 'interpolation');
  const filter = checkBoxFilter(opts.boxFilter, fn);
  const [h, w] = sample.canvasSize;
  const rule = oneOfStr(opts.boxRule ?? 'envelope', ['envelope', 'ellipse'] as const, fn, 'boxRule');
  const geom = affineGeometry(boxesToPixelXyxy(sample), [h, w], params, expand, rule);
  const [oh, ow] = geom.canvas;
  const inverse = affineMatrix([0, 0], params, true);
  const mapper = affineRowMapper(inverse, h, w, oh, ow);
  const image =
    sample.image &&
    (exact
      ? withData(sample.image, exact(sample.image.data, 1, sample.image.channels), oh, ow)
      : warpImage(sample.image, oh, ow, mapper, interpolation, opts.fill, fn));
  const masks =
    sample.masks && (exact ? exact(sample.masks, maskCount(sample), 1) : warpMasks(sample.masks, h, w, oh, ow, mapper));
  const keypoints = sample.keypoints && affineKeypoints(sample.keypoints, geom);
  return {
    ...sample,
    image,
    keypoints,
    canvasSize: [oh, ow],
    ...finishTargets(sample, sample.boxes ? geom : undefined, [oh, ow], masks, filter),
  } as Sample<L>;
}

/** Affine map about the image centre (torchvision `affine`): boxes become the clamped envelope of their corners. */
export function affine<L>(sample: Sample<L>, opts: AffineOptions): Sample<L> {
  const fn = 'affine';
  assertSample(sample, fn);
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${fn}: options: expected an object, got ${opts}`);
  const angle = finite(opts.angle ?? 0, fn, 'angle');
  const t = opts.translate ?? [0, 0];
  if (!Array.isArray(t) || t.length !== 2) throw new TypeError(`${fn}: translate: expected [tx, ty], got ${t}`);
  const translate: [number, number] = [finite(t[0], fn, 'translate[0]'), finite(t[1], fn, 'translate[1]')];
  const scale = positive(opts.scale ?? 1, fn, 'scale');
  const sh = opts.shear ?? 0;
  const shear: [number, number] =
    typeof sh === 'number'
      ? [finite(sh, fn, 'shear'), 0]
      : [finite(sh[0], fn, 'shear[0]'), finite(sh[1], fn, 'shear[1]')];
  return warpAffine(sample, { angle, translate, scale, shear }, false, opts, fn);
}

export interface RotateOptions extends WarpOptions {
  /** Grow the canvas to hold the whole rotated image (torchvision `expand`). Default false. */
  expand?: boolean;
}

/**
 * Rotates by `degrees` counter-clockwise about the centre (torchvision `rotate`). Multiples of 90 degrees use
 * exact pixel copies for the image and masks (torchvision's `rot90` fast path: 180 always, 90/270 when expanding
 * or square).
 */
export function rotate<L>(sample: Sample<L>, degrees: number, opts: RotateOptions = {}): Sample<L> {
  const fn = 'rotate';
  assertSample(sample, fn);
  finite(degrees, fn, 'degrees');
  const expand = opts.expand ?? false;
  if (typeof expand !== 'boolean') throw new TypeError(`${fn}: expand: expected a boolean, got ${expand}`);
  const params: AffineParams = { angle: -degrees, translate: [0, 0], scale: 1, shear: [0, 0] };
  const a = ((degrees % 360) + 360) % 360;
  const [h, w] = sample.canvasSize;
  const k = a === 90 ? 1 : a === 180 ? 2 : a === 270 ? 3 : 0;
  const exact =
    a === 0
      ? (d: Uint8Array) => d.slice()
      : k === 2 || (k !== 0 && (expand || h === w))
        ? (d: Uint8Array, planes: number, c: number) => rot90Planes(d, planes, h, w, c, k as 1 | 2 | 3)
        : undefined;
  return warpAffine(sample, params, expand, opts, fn, exact);
}

export interface PerspectiveOptions extends WarpOptions {}

/**
 * Perspective warp taking the four `startpoints` (pixel coordinates, clockwise from top-left) to `endpoints`
 * (torchvision `perspective`); boxes become the clamped envelope of their transformed corners.
 */
export function perspective<L>(
  sample: Sample<L>,
  startpoints: readonly (readonly [number, number])[],
  endpoints: readonly (readonly [number, number])[],
  opts: PerspectiveOptions = {},
): Sample<L> {
  const fn = 'perspective';
  assertSample(sample, fn);
  for (const [name, pts] of [
    ['startpoints', startpoints],
    ['endpoints', endpoints],
  ] as const) {
    if (
      !Array.isArray(pts) ||
      pts.length !== 4 ||
      pts.some((p) => !Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite))
    ) {
      throw new TypeError(`${fn}: ${name}: expected four [x, y] points of finite numbers`);
    }
  }
  const interpolation = oneOfStr(opts.interpolation ?? 'nearest', INTERP, fn, 'interpolation');
  const filter = checkBoxFilter(opts.boxFilter, fn);
  const [h, w] = sample.canvasSize;
  const coeffs = perspectiveCoeffsFor(startpoints, endpoints);
  const mapper = perspectiveRowMapper(coeffs);
  const image = sample.image && warpImage(sample.image, h, w, mapper, interpolation, opts.fill, fn);
  const masks = sample.masks && warpMasks(sample.masks, h, w, h, w, mapper);
  const geom = perspectiveGeometry(boxesToPixelXyxy(sample), [h, w], coeffs);
  return {
    ...sample,
    image,
    keypoints: mapKeypoints(sample.keypoints, geom.map),
    ...finishTargets(sample, sample.boxes ? geom : undefined, [h, w], masks, filter),
  } as Sample<L>;
}
