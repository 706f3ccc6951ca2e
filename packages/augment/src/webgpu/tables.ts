/**
 * Constant tables the WGSL kernels read, built on the CPU with the same arithmetic as the CPU ops, so that the
 * GPU's integer work reproduces the CPU's bytes: resize taps (14-bit fixed point, as resize-image.ts), OpenCV's
 * HSV reciprocal tables and HSV->RGB multipliers (as hsv.ts, each multiplier split into an integer mantissa and a
 * shift so that `round(v * m)` is integer arithmetic), torchvision's float32 luma terms (as color.ts) and the
 * xoshiro128** jump matrices that let each GPU thread start the noise stream at its own offset.
 */

import { HDIV, hsvMultipliers, SDIV } from '../hsv.js';

const f32 = Math.fround;

/** Resize taps: the windows and 14-bit weights of resize-image.ts, the same function. */
export { computeTaps as resizeTaps, type Taps } from '../resize-image.js';

/** OpenCV's 12-bit reciprocal tables `SDIV`, `HDIV` (256 each) as in hsv.ts. */
export function hsvDivTables(): Int32Array {
  const t = new Int32Array(512);
  t.set(SDIV, 0);
  t.set(HDIV, 256);
  return t;
}

/**
 * hsv.ts's float32 HSV->RGB multipliers for every (hue < 180, saturation) pair and channel, each packed as
 * `mantissa | shift << 24` with `m = mantissa * 2^-shift` exactly (mantissa < 2^24), so that the CPU's float64
 * `floor(v * m + 0.5)` is `((v * mantissa >> (shift - 1)) + 1) >> 1` in 32-bit integers.
 */
export function hsvMultiplierTable(): Uint32Array {
  const m = hsvMultipliers();
  const out = new Uint32Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = packMantissa(m[i]!);
  return out;
}

function packMantissa(m: number): number {
  if (m === 0) return 0;
  if (!(m > 0 && m <= 1)) throw new RangeError(`hsvMultiplierTable: multiplier ${m} outside (0, 1]`);
  let shift = 0;
  let mant = m;
  while (mant < 2 ** 23) {
    mant *= 2;
    shift++;
  }
  if (!Number.isInteger(mant) || shift > 255) throw new RangeError(`hsvMultiplierTable: ${m} is not a float32`);
  return (mant | (shift << 24)) >>> 0;
}

/** torchvision's float32 luma terms `fround(v * 0.2989)`, `* 0.587`, `* 0.114` for v < 256, as float32 bits. */
export function lumaTerms(): Uint32Array {
  const w = [f32(0.2989), f32(0.587), f32(0.114)];
  const t = new Float32Array(768);
  for (let c = 0; c < 3; c++) for (let v = 0; v < 256; v++) t[c * 256 + v] = f32(v * w[c]!);
  return new Uint32Array(t.buffer);
}

/** One xoshiro128** state transition (the output is not needed) on a 4-word state, in place. */
function xoshiroStep(s: Uint32Array): void {
  const t = (s[1]! << 9) >>> 0;
  s[2] ^= s[0]!;
  s[3] ^= s[1]!;
  s[1] ^= s[2]!;
  s[0] ^= s[3]!;
  s[2] ^= t;
  s[3] = ((s[3]! << 11) | (s[3]! >>> 21)) >>> 0;
}

type BitMatrix = Uint32Array; // 128 columns of 4 words: column b is the image of state bit b

function stepMatrix(): BitMatrix {
  const m = new Uint32Array(512);
  const s = new Uint32Array(4);
  for (let b = 0; b < 128; b++) {
    s.fill(0);
    s[b >> 5] = (1 << (b & 31)) >>> 0;
    xoshiroStep(s);
    m.set(s, 4 * b);
  }
  return m;
}

/** `a * b` over GF(2): column j of the product is a applied to column j of b. */
function multiply(a: BitMatrix, b: BitMatrix): BitMatrix {
  const out = new Uint32Array(512);
  for (let j = 0; j < 128; j++) {
    for (let bit = 0; bit < 128; bit++) {
      if (((b[4 * j + (bit >> 5)]! >>> (bit & 31)) & 1) === 0) continue;
      for (let k = 0; k < 4; k++) out[4 * j + k] ^= a[4 * bit + k]!;
    }
  }
  return out;
}

const jumpCache = new Map<string, Uint32Array>();

/**
 * `levels` matrices `M^(steps * 2^j)` (M the xoshiro128** transition), concatenated (512 words each): a thread that
 * starts `c * steps` draws into the stream applies those whose bit is set in `c`.
 */
export function xoshiroJumpMatrices(steps: number, levels: number): Uint32Array {
  const key = `${steps}:${levels}`;
  const hit = jumpCache.get(key);
  if (hit) return hit;
  const step = stepMatrix();
  // M^steps by square-and-multiply.
  let power: BitMatrix | null = null;
  let base = step;
  for (let e = steps; e > 0; e >>= 1) {
    if (e & 1) power = power ? multiply(base, power) : base;
    base = multiply(base, base);
  }
  const out = new Uint32Array(512 * levels);
  let cur = power!;
  for (let j = 0; j < levels; j++) {
    out.set(cur, 512 * j);
    cur = multiply(cur, cur);
  }
  jumpCache.set(key, out);
  return out;
}
