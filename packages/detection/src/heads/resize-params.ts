/**
 * Geometry of the resizes a detector's input goes through, and the transform of boxes back to the original image:
 * `resizeForDetection` (torchvision's GeneralizedRCNNTransform: shorter side to `minSize`, longer side at most
 * `maxSize`, aspect kept), `letterbox` (YOLO-style: fit inside a fixed canvas, aspect kept, pad the rest).
 */

/** How an image of `inputHeight` x `inputWidth` maps onto the network's canvas: x' = x * scaleX + padLeft. */
export interface ResizeParams {
  readonly inputHeight: number;
  readonly inputWidth: number;
  /** Size of the resized image content (before padding). */
  readonly resizedHeight: number;
  readonly resizedWidth: number;
  /** Size of the canvas the network sees (resized size plus padding). */
  readonly canvasHeight: number;
  readonly canvasWidth: number;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly padLeft: number;
  readonly padTop: number;
}

function dim(v: unknown, name: string, ctx: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`${ctx}: ${name}: expected an integer >= 1, got ${String(v)}`);
  }
  return v;
}

export interface ResizeForDetectionOptions {
  /** Target size of the shorter side (torchvision default 800). */
  readonly minSize?: number;
  /** Upper bound of the longer side (torchvision default 1333). */
  readonly maxSize?: number;
}

/**
 * torchvision's `_resize_image_and_masks`: scale = min(minSize / min(h, w), maxSize / max(h, w)); the output is
 * floor(h * scale) x floor(w * scale) (interpolate with recompute_scale_factor), and boxes scale by the exact
 * ratios output / input per axis (torchvision's `resize_boxes`).
 */
export function resizeForDetection(
  image: { readonly height: number; readonly width: number },
  options: ResizeForDetectionOptions = {},
): ResizeParams {
  const ctx = 'resizeForDetection';
  const h = dim(image?.height, 'image.height', ctx);
  const w = dim(image?.width, 'image.width', ctx);
  const minSize = dim(options.minSize ?? 800, 'minSize', ctx);
  const maxSize = dim(options.maxSize ?? 1333, 'maxSize', ctx);
  const scale = Math.min(minSize / Math.min(h, w), maxSize / Math.max(h, w));
  const rh = Math.max(1, Math.floor(h * scale));
  const rw = Math.max(1, Math.floor(w * scale));
  return {
    inputHeight: h,
    inputWidth: w,
    resizedHeight: rh,
    resizedWidth: rw,
    canvasHeight: rh,
    canvasWidth: rw,
    scaleX: rw / w,
    scaleY: rh / h,
    padLeft: 0,
    padTop: 0,
  };
}

export interface LetterboxOptions {
  /** Canvas size: one number (square) or [height, width]. */
  readonly size: number | readonly [number, number];
  /** Allow enlarging small images (default true; false only shrinks, as ultralytics' scaleup=False). */
  readonly scaleUp?: boolean;
  /** Centre the content (default true) or put it at the top-left. */
  readonly center?: boolean;
}

/**
 * YOLO letterbox (ultralytics' `LetterBox`): r = min(H / h, W / w) (at most 1 without scaleUp), content
 * round(w * r) x round(h * r), padding split in two with round(d - 0.1) before and the rest after.
 */
export function letterbox(
  image: { readonly height: number; readonly width: number },
  options: LetterboxOptions,
): ResizeParams {
  const ctx = 'letterbox';
  const h = dim(image?.height, 'image.height', ctx);
  const w = dim(image?.width, 'image.width', ctx);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${ctx}: options: expected an object with size, got ${String(options)}`);
  }
  const size = options.size;
  const [th, tw] = typeof size === 'number' ? [size, size] : Array.isArray(size) ? size : [NaN, NaN];
  dim(th, 'size (height)', ctx);
  dim(tw, 'size (width)', ctx);
  let r = Math.min(th! / h, tw! / w);
  if (options.scaleUp === false) r = Math.min(r, 1);
  const rw = Math.max(1, Math.round(w * r));
  const rh = Math.max(1, Math.round(h * r));
  const center = options.center ?? true;
  const padLeft = center ? Math.max(0, Math.round((tw! - rw) / 2 - 0.1)) : 0;
  const padTop = center ? Math.max(0, Math.round((th! - rh) / 2 - 0.1)) : 0;
  return {
    inputHeight: h,
    inputWidth: w,
    resizedHeight: rh,
    resizedWidth: rw,
    canvasHeight: th!,
    canvasWidth: tw!,
    scaleX: rw / w,
    scaleY: rh / h,
    padLeft,
    padTop,
  };
}

function boxArray(boxes: Float32Array | Float64Array, ctx: string): void {
  if (!(boxes instanceof Float32Array || boxes instanceof Float64Array) || boxes.length % 4 !== 0) {
    throw new TypeError(
      `${ctx}: boxes: expected a Float32Array or Float64Array of 4N numbers, got length ${boxes?.length}`,
    );
  }
}

/** Boxes (x1, y1, x2, y2) from original-image pixels to canvas pixels. */
export function boxesToCanvas(boxes: Float32Array | Float64Array, p: ResizeParams): Float32Array {
  boxArray(boxes, 'boxesToCanvas');
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = boxes[i]! * p.scaleX + p.padLeft;
    out[i + 1] = boxes[i + 1]! * p.scaleY + p.padTop;
    out[i + 2] = boxes[i + 2]! * p.scaleX + p.padLeft;
    out[i + 3] = boxes[i + 3]! * p.scaleY + p.padTop;
  }
  return out;
}

/**
 * The inverse: canvas boxes back to original-image pixels, (x - padLeft) / scaleX, clipped to the image
 * ([0, width] x [0, height]) unless `clip: false`.
 */
export function boxesToOriginal(
  boxes: Float32Array | Float64Array,
  p: ResizeParams,
  options: { readonly clip?: boolean } = {},
): Float32Array {
  boxArray(boxes, 'boxesToOriginal');
  const clip = options.clip ?? true;
  const out = new Float32Array(boxes.length);
  const fx = (v: number) => {
    const x = (v - p.padLeft) / p.scaleX;
    return clip ? Math.min(Math.max(x, 0), p.inputWidth) : x;
  };
  const fy = (v: number) => {
    const y = (v - p.padTop) / p.scaleY;
    return clip ? Math.min(Math.max(y, 0), p.inputHeight) : y;
  };
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = fx(boxes[i]!);
    out[i + 1] = fy(boxes[i + 1]!);
    out[i + 2] = fx(boxes[i + 2]!);
    out[i + 3] = fy(boxes[i + 3]!);
  }
  return out;
}
