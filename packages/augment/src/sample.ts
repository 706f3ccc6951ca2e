/**
 * The sample every transform takes and returns, and its validation.
 *
 * - `image`: HWC uint8 pixels, `{ data, height, width, channels }` (row-major, channel last; 1, 3 or 4 channels;
 *   colour ops that need RGB say so). A uint8 `[H, W, C]` core `Tensor` converts with `imageFromTensor`.
 * - `boxes`: 4N coordinates in `boxFormat` (`'xyxy'`, `'xywh'`, `'cxcywh'`), in pixels, or divided by the canvas
 *   width and height when `normalized` is true. Output boxes keep the input's format and normalisation.
 * - `labels`: one label per box (numbers or any values); dropped together with their boxes.
 * - `masks`: N masks of `canvasSize`, one Uint8Array of N*H*W bytes (`[N, H, W]`); always resampled with nearest.
 * - `keypoints`: 2K coordinates `(x, y)` in pixels, torchvision's keypoint convention (a flip maps x to W - 1 - x).
 * - `canvasSize`: `[height, width]`, the frame the boxes, masks and keypoints live in (equal to the image's size
 *   when there is an image).
 *
 * Pixel convention (as torchvision and PIL): pixel (row i, column j) covers [j, j+1) x [i, i+1), its centre is
 * (j + 0.5, i + 0.5), and box coordinates are continuous positions in that frame (a box covering the whole image is
 * `[0, 0, W, H]`). Rotations and affine maps turn about the continuous centre `(W/2, H/2)`.
 */
import { type BoxFormat, boxConvert, DTypeError, describeValue, ShapeError, Tensor } from '@striate/core';

/** An HWC uint8 image. */
export interface ImageU8 {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface Sample<L = unknown> {
  readonly image?: ImageU8;
  readonly boxes?: Float32Array;
  readonly labels?: readonly L[];
  readonly masks?: Uint8Array;
  readonly keypoints?: Float32Array;
  readonly canvasSize: readonly [number, number];
  readonly boxFormat?: BoxFormat;
  readonly normalized?: boolean;
}

/** Builds an `ImageU8` after checking its fields. */
export function makeImage(data: Uint8Array, height: number, width: number, channels: number): ImageU8 {
  const image = { data, height, width, channels };
  assertImage(image, 'makeImage');
  return image;
}

/** Wraps a uint8 `[H, W, C]` tensor as an image (no copy). */
export function imageFromTensor(tensor: Tensor): ImageU8 {
  if (!(tensor instanceof Tensor))
    throw new TypeError(`imageFromTensor: expected a Tensor, got ${describeValue(tensor)}`);
  if (tensor.dtype !== 'uint8') {
    throw new DTypeError(`imageFromTensor: expected a uint8 [H, W, C] tensor, got dtype ${tensor.dtype}`);
  }
  if (tensor.rank !== 3) {
    throw new ShapeError(`imageFromTensor: expected shape [H, W, C], got [${tensor.shape.join(', ')}]`);
  }
  const [h, w, c] = tensor.shape as [number, number, number];
  return makeImage(tensor.data as Uint8Array, h, w, c);
}

/** The image as a uint8 `[H, W, C]` tensor (no copy). */
export function imageToTensor(image: ImageU8): Tensor<'uint8'> {
  assertImage(image, 'imageToTensor');
  return new Tensor('uint8', [image.height, image.width, image.channels], image.data);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Throws a typed error unless `image` is a well-formed HWC uint8 image. */
export function assertImage(image: unknown, fn: string): asserts image is ImageU8 {
  if (image === null || typeof image !== 'object') {
    throw new TypeError(`${fn}: image: expected { data, height, width, channels }, got ${describeValue(image)}`);
  }
  const im = image as Partial<ImageU8>;
  if (!(im.data instanceof Uint8Array)) {
    throw new DTypeError(`${fn}: image.data: expected a Uint8Array (HWC uint8), got ${describeValue(im.data)}`);
  }
  for (const key of ['height', 'width', 'channels'] as const) {
    if (!isPositiveInt(im[key])) {
      throw new RangeError(`${fn}: image.${key}: expected a positive integer, got ${describeValue(im[key])}`);
    }
  }
  const c = im.channels as number;
  if (c !== 1 && c !== 3 && c !== 4) {
    throw new ShapeError(`${fn}: image.channels: expected 1, 3 or 4, got ${c}`);
  }
  const need = (im.height as number) * (im.width as number) * c;
  if (im.data.length !== need) {
    throw new ShapeError(`${fn}: image.data: ${im.height}x${im.width}x${c} needs ${need} bytes, got ${im.data.length}`);
  }
}

/** Throws unless the image is RGB (3 channels). */
export function assertRgb(image: ImageU8, fn: string): void {
  if (image.channels !== 3) throw new ShapeError(`${fn}: image.channels: expected 3 (RGB), got ${image.channels}`);
}

/**
 * Validates a sample: canvas size, image size equal to the canvas, boxes (4N finite, x2 >= x1 and y2 >= y1 after
 * conversion to xyxy), labels count, mask size and keypoints. Boxes may lie partly outside the canvas (torchvision
 * allows it; they are clipped where the geometry says so) or be degenerate on its edge (what clamping produces);
 * a box wholly outside the canvas (usually a format or normalisation mistake) and an inverted box are errors.
 */
export function assertSample(sample: unknown, fn: string): asserts sample is Sample {
  if (sample === null || typeof sample !== 'object') {
    throw new TypeError(`${fn}: sample: expected an object with canvasSize, got ${describeValue(sample)}`);
  }
  const s = sample as Sample;
  const cs = s.canvasSize as unknown;
  if (!Array.isArray(cs) || cs.length !== 2 || !isPositiveInt(cs[0]) || !isPositiveInt(cs[1])) {
    throw new TypeError(
      `${fn}: sample.canvasSize: expected [height, width] positive integers, got ${describeValue(cs)}`,
    );
  }
  const [h, w] = cs as [number, number];
  if (s.image !== undefined) {
    assertImage(s.image, fn);
    if (s.image.height !== h || s.image.width !== w) {
      throw new ShapeError(`${fn}: sample.image is ${s.image.height}x${s.image.width} but canvasSize is [${h}, ${w}]`);
    }
  }
  if (s.boxFormat !== undefined && s.boxFormat !== 'xyxy' && s.boxFormat !== 'xywh' && s.boxFormat !== 'cxcywh') {
    throw new RangeError(
      `${fn}: sample.boxFormat: expected 'xyxy', 'xywh' or 'cxcywh', got ${describeValue(s.boxFormat)}`,
    );
  }
  if (s.boxes !== undefined) {
    if (!(s.boxes instanceof Float32Array)) {
      throw new TypeError(
        `${fn}: sample.boxes: expected a Float32Array of 4N coordinates, got ${describeValue(s.boxes)}`,
      );
    }
    if (s.boxes.length % 4 !== 0) {
      throw new ShapeError(`${fn}: sample.boxes: expected 4N coordinates, got ${s.boxes.length}`);
    }
    const xyxy = boxesToPixelXyxy(s);
    for (let p = 0; p < xyxy.length; p += 4) {
      const [x1, y1, x2, y2] = [xyxy[p]!, xyxy[p + 1]!, xyxy[p + 2]!, xyxy[p + 3]!];
      if (![x1, y1, x2, y2].every(Number.isFinite)) {
        throw new RangeError(
          `${fn}: sample.boxes[${p / 4}]: expected finite coordinates, got [${x1}, ${y1}, ${x2}, ${y2}]`,
        );
      }
      if (x2 < 0 || y2 < 0 || x1 > w || y1 > h) {
        throw new RangeError(
          `${fn}: sample.boxes[${p / 4}]: [${x1}, ${y1}, ${x2}, ${y2}] (xyxy, pixels) lies wholly outside the canvas ` +
            `[${h}, ${w}]. Hint: check boxFormat and normalized.`,
        );
      }
      if (x2 < x1 || y2 < y1) {
        throw new RangeError(
          `${fn}: sample.boxes[${p / 4}]: expected x2 >= x1 and y2 >= y1 (xyxy), got [${x1}, ${y1}, ${x2}, ${y2}]`,
        );
      }
    }
    if (s.labels !== undefined && s.labels.length !== s.boxes.length / 4) {
      throw new ShapeError(
        `${fn}: sample.labels: expected ${s.boxes.length / 4} labels (one per box), got ${s.labels.length}`,
      );
    }
  } else if (s.labels !== undefined && s.labels.length !== 0) {
    throw new ShapeError(`${fn}: sample.labels: given without boxes`);
  }
  if (s.masks !== undefined) {
    if (!(s.masks instanceof Uint8Array)) {
      throw new DTypeError(`${fn}: sample.masks: expected a Uint8Array [N, H, W], got ${describeValue(s.masks)}`);
    }
    if (s.masks.length % (h * w) !== 0) {
      throw new ShapeError(`${fn}: sample.masks: length ${s.masks.length} is not a multiple of H*W = ${h * w}`);
    }
  }
  if (s.keypoints !== undefined) {
    if (!(s.keypoints instanceof Float32Array) || s.keypoints.length % 2 !== 0) {
      throw new TypeError(
        `${fn}: sample.keypoints: expected a Float32Array of 2K coordinates, got ${describeValue(s.keypoints)}`,
      );
    }
  }
}

/** The sample's boxes as pixel xyxy (a new Float32Array; empty when there are none). */
export function boxesToPixelXyxy(s: Sample): Float32Array {
  if (!s.boxes) return new Float32Array(0);
  const b = s.boxFormat && s.boxFormat !== 'xyxy' ? boxConvert(s.boxes, s.boxFormat, 'xyxy') : s.boxes.slice();
  if (s.normalized) {
    const [h, w] = s.canvasSize;
    for (let p = 0; p < b.length; p += 4) {
      b[p] = b[p]! * w;
      b[p + 1] = b[p + 1]! * h;
      b[p + 2] = b[p + 2]! * w;
      b[p + 3] = b[p + 3]! * h;
    }
  }
  return b;
}

/** Pixel xyxy boxes back to the sample's format and normalisation for a canvas of `canvas`. */
export function pixelXyxyToBoxes(xyxy: Float32Array, like: Sample, canvas: readonly [number, number]): Float32Array {
  let b = xyxy;
  if (like.normalized) {
    b = b.slice();
    const [h, w] = canvas;
    for (let p = 0; p < b.length; p += 4) {
      b[p] = b[p]! / w;
      b[p + 1] = b[p + 1]! / h;
      b[p + 2] = b[p + 2]! / w;
      b[p + 3] = b[p + 3]! / h;
    }
  }
  return like.boxFormat && like.boxFormat !== 'xyxy' ? boxConvert(b, 'xyxy', like.boxFormat) : b;
}

/** Number of masks in the sample. */
export function maskCount(s: Sample): number {
  return s.masks ? s.masks.length / (s.canvasSize[0] * s.canvasSize[1]) : 0;
}
