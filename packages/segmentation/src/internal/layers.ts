/**
 * Layer factories of this package's heads. Every Conv2d / ConvTranspose2d draws its initial weights from one
 * `Rng` passed in `Init` (or from none with `skipInit`: weights stay zero-filled, as torch.nn.utils.skip_init, for
 * weights loaded next or for counting and tracing quickly).
 */
import {
  BatchNorm2d,
  Conv2d,
  type Conv2dOptions,
  ConvTranspose2d,
  type ConvTranspose2dOptions,
  describeValue,
  ReLU,
  Rng,
  Sequential,
} from '@striate/core';

/** A generator that draws nothing: arrays come back zero-filled. */
class SkipInitRng extends Rng {
  constructor() {
    super(0);
  }
  override uniformArray(n: number): Float32Array {
    return new Float32Array(n);
  }
  override normalArray(n: number): Float32Array {
    return new Float32Array(n);
  }
}

/** Where the initial weights of a head come from. */
export interface InitOptions {
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
  /** Leave the weights zero-filled (nothing drawn). */
  readonly skipInit?: boolean;
}

export function initRng(o: InitOptions | undefined, ctx: string): Rng {
  const seed = o?.seed ?? 0;
  if (!Number.isInteger(seed)) throw new TypeError(`${ctx}: seed: expected an integer, got ${describeValue(seed)}`);
  if (o?.skipInit !== undefined && typeof o.skipInit !== 'boolean') {
    throw new TypeError(`${ctx}: skipInit: expected a boolean, got ${describeValue(o.skipInit)}`);
  }
  return o?.skipInit ? new SkipInitRng() : new Rng(seed);
}

export function conv(rng: Rng, inC: number, outC: number, k: number, o: Conv2dOptions = {}): Conv2d {
  return new Conv2d(inC, outC, k, { ...o, rng });
}

export function convT(rng: Rng, inC: number, outC: number, k: number, o: ConvTranspose2dOptions = {}): ConvTranspose2d {
  return new ConvTranspose2d(inC, outC, k, { ...o, rng });
}

/** Conv (no bias) -> BatchNorm -> ReLU, as torchvision's Conv2dNormActivation / the ASPP branches. */
export function convBnRelu(rng: Rng, inC: number, outC: number, k: number, dilation = 1): Sequential {
  return new Sequential(
    conv(rng, inC, outC, k, { padding: ((k - 1) / 2) * dilation, dilation, bias: false }),
    new BatchNorm2d(outC),
    new ReLU(),
  );
}

/** A positive integer argument, or a TypeError/RangeError naming it. */
export function positiveInt(v: unknown, name: string, ctx: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${ctx}: ${name}: expected a positive integer, got ${describeValue(v)}`);
  }
  if (v < 1) throw new RangeError(`${ctx}: ${name}: expected a positive integer (>= 1), got ${v}`);
  return v;
}
