import { describeValue, ShapeError } from '../errors.js';
import type { Attrs } from '../graph.js';
import type { Value } from '../graph-builder.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { bool, type IntOrPair, intPair, oneOf, options, type Pair } from './args.js';
import { Module } from './module.js';
import { constantValue, joinName, recordOp } from './trace.js';

export type InterpolateMode = 'nearest' | 'bilinear';

export interface InterpolateOptions {
  /** Output [h, w] (or one size for both). Give this or `scaleFactor`. */
  readonly size?: IntOrPair;
  /** Output = floor(input * scale) per axis. */
  readonly scaleFactor?: number | readonly [number, number];
  /** Default 'nearest'. */
  readonly mode?: InterpolateMode;
  /** Bilinear only: map corner pixel centers onto each other (default false). */
  readonly alignCorners?: boolean;
}

/** A validated interpolation request. */
export interface ResizeSpec {
  readonly size: Pair | null;
  readonly scale: Pair | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean;
}

export function resizeSpec(opts: InterpolateOptions | undefined, ctx: string): ResizeSpec {
  const o = options(opts, ctx);
  if ((o.size === undefined) === (o.scaleFactor === undefined)) {
    throw new TypeError(
      `${ctx}: expected exactly one of size and scaleFactor, got ${o.size === undefined ? 'neither' : 'both'}`,
    );
  }
  const mode = oneOf(o.mode ?? 'nearest', 'mode', ctx, ['nearest', 'bilinear']);
  if (o.alignCorners !== undefined && mode === 'nearest') {
    throw new RangeError(`${ctx}: alignCorners: can only be set with mode 'bilinear', got mode 'nearest'`);
  }
  const alignCorners = bool(o.alignCorners ?? false, 'alignCorners', ctx);
  let scale: Pair | null = null;
  if (o.scaleFactor !== undefined) {
    const s = o.scaleFactor;
    const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
    if (ok(s)) scale = [s, s];
    else if (Array.isArray(s) && s.length === 2 && ok(s[0]) && ok(s[1])) scale = [s[0], s[1]];
    else
      throw new RangeError(
        `${ctx}: scaleFactor: expected a positive number or [h, w] of them, got ${describeValue(s)}`,
      );
  }
  const size = o.size === undefined ? null : intPair(o.size, 'size', ctx, 1);
  return { size, scale, mode, alignCorners };
}

/**
 * The float32 scale nearest above output / input for which floor(input * s) = output whether the product is
 * taken in float64 or rounded to float32 (runtimes differ; onnxruntime multiplies in float32).
 */
function scaleFor(input: number, output: number): number {
  const f32 = new Float32Array(1);
  const bits = new Uint32Array(f32.buffer);
  f32[0] = output / input;
  for (let i = 0; i < 4 && Math.floor(input * f32[0]!) < output; i++) bits[0]! += 1;
  return f32[0]!;
}

/**
 * Records a Resize with PyTorch's coordinate mapping: nearest -> asymmetric + floor; bilinear -> half_pixel
 * (align_corners false; equal to torch for every output size) or align_corners. A `size` with known N and C is
 * given as `sizes`; with a symbolic N or C it becomes `scales` = output / input (needs known H and W).
 */
export function resizeAs(x: Value, spec: ResizeSpec, name: string): Value {
  if (x.shape.length !== 4)
    throw new ShapeError(`${name} (Resize): expected a 4-D input [N, C, H, W], got ${formatShape(x.shape)}`);
  const b = x.builder;
  const attrs: Attrs =
    spec.mode === 'nearest'
      ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
      : { mode: 'linear', coordinate_transformation_mode: spec.alignCorners ? 'align_corners' : 'half_pixel' };
  const scalesOf = (s: readonly number[]) =>
    constantValue(b, `${name}.scales`, new Tensor('float32', [4], Float32Array.from([1, 1, ...s])));
  if (spec.scale) return recordOp(b, 'Resize', [x, null, scalesOf(spec.scale)], attrs, name)[0]!;
  const [n, c, h, w] = x.shape;
  const size = spec.size!;
  if (typeof n === 'number' && typeof c === 'number') {
    const sizes = new Tensor('int64', [4], BigInt64Array.from([n, c, ...size].map(BigInt)));
    return recordOp(b, 'Resize', [x, null, null, constantValue(b, `${name}.sizes`, sizes)], attrs, name)[0]!;
  }
  if (typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(
      `${name} (Resize): a target size with symbolic N or C needs known H and W, got input ${formatShape(x.shape)}`,
    );
  }
  return recordOp(b, 'Resize', [x, null, scalesOf([scaleFor(h, size[0]), scaleFor(w, size[1])])], attrs, name)[0]!;
}

/** Upsampling (PyTorch `nn.Upsample`): nearest or bilinear, to a size or by a scale factor (ONNX Resize). */
export class Upsample extends Module {
  readonly spec: ResizeSpec;
  constructor(opts: InterpolateOptions) {
    super();
    this.spec = resizeSpec(opts, 'Upsample');
  }
  override forward(x: Value): Value {
    return resizeAs(x, this.spec, joinName(this.pathIn(x)));
  }
}
