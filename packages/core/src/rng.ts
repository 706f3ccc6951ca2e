/**
 * A seeded random number generator that gives the same stream in every JavaScript engine.
 *
 * Generator: xoshiro128** 1.1 (Blackman and Vigna, 2018), 128 bits of state, period 2^128 - 1, seeded as its
 * authors recommend: the seed goes through SplitMix64 and two of its 64-bit outputs fill the state (low word
 * first). Everything is integer arithmetic (`Math.imul`, shifts) or IEEE 754 basic operations (+, -, *, /, sqrt),
 * which every engine rounds the same way; the logarithm the normal sampler needs is computed here (fdlibm's
 * algorithm) rather than taken from `Math.log`, whose last bit the standard leaves to the engine.
 *
 * - `uniform`: 53 random bits, `(a >>> 5) * 2^26 + (b >>> 6)` over 2^53, scaled to [low, high).
 * - `normal`: Marsaglia's polar method; the second value of each pair is kept for the next call.
 * - `integers`: unbiased by rejection (OpenBSD's `arc4random_uniform` for ranges up to 2^32, the same idea on 53
 *   bits above that).
 */

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const MASK64 = (1n << 64n) - 1n;
/** xoshiro128**'s jump polynomial: `jump()` is 2^64 calls of the generator. */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
/** Consecutive misses after which `normalIn` gives up. */
const MAX_REJECTIONS = 100_000;

/** A snapshot of an `Rng` (plain JSON): the four xoshiro128** state words and the cached second normal. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

/** What `shuffle` accepts: an array or a typed array, permuted in place. */
export type Shuffleable =
  | unknown[]
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  /** `seed`: an integer in [0, 2^53) as a number, or in [0, 2^64) as a bigint. */
  constructor(seed: number | bigint) {
    let x: bigint;
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw new RangeError(`seed: expected an integer in [0, 2^53), got ${seed}`);
      }
      x = BigInt(seed);
    } else if (typeof seed === 'bigint') {
      if (seed < 0n || seed > MASK64) throw new RangeError(`seed: expected a bigint in [0, 2^64), got ${seed}n`);
      x = seed;
    } else {
      throw new TypeError(`seed: expected an integer number or a bigint, got ${typeof seed}`);
    }
    // SplitMix64: state += golden gamma; output = mix(state). Two outputs -> four words, low half first.
    const words: number[] = [];
    for (let k = 0; k < 2; k++) {
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      z ^= z >> 31n;
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    // SplitMix64's output is a bijection of its state and two consecutive states differ, so the words are never
    // all zero (xoshiro's one forbidden state).
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
  }

  /** An `Rng` in an exact state, e.g. one saved with `getState()` or one shared with another xoshiro128**. */
  static fromState(state: RngState): Rng {
    const s = state?.s;
    if (!Array.isArray(s) || s.length !== 4) {
      throw new TypeError(`state.s: expected an array of 4 uint32 words, got ${JSON.stringify(s)}`);
    }
    for (let i = 0; i < 4; i++) {
      if (!Number.isInteger(s[i]) || s[i]! < 0 || s[i]! >= TWO_32) {
        throw new RangeError(`state.s[${i}]: expected an integer in [0, 2^32), got ${s[i]}`);
      }
    }
    if (s.every((w) => w === 0)) throw new RangeError('state.s: xoshiro128** cannot start from the all-zero state');
    const spare = state.spare ?? null;
    if (spare !== null && !Number.isFinite(spare)) {
      throw new RangeError(`state.spare: expected a finite number or null, got ${spare}`);
    }
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = s;
    r.spare = spare;
    return r;
  }

  /** The full state (restore it with `Rng.fromState`). */
  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  /** An independent copy in the same state: both produce the same values from here on. */
  clone(): Rng {
    return Rng.fromState(this.getState());
  }

  /** The next raw 32-bit output, an integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Advances the state by 2^64 draws (xoshiro128**'s jump function). */
  jump(): void {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = t0;
    this.s1 = t1;
    this.s2 = t2;
    this.s3 = t3;
  }

  /**
   * A new generator for an independent stream: it takes over this generator's current position and this one
   * jumps 2^64 draws ahead, so the streams of a parent and its forks never overlap within 2^64 draws each.
   */
  fork(): Rng {
    const child = Rng.fromState({ s: this.getState().s, spare: null });
    this.jump();
    return child;
  }

  /** A float64 uniform in [low, high) (53 random bits; a draw that rounds up to `high` is redrawn). */
  uniform(low = 0, high = 1): number {
    checkRange(low, high, 'uniform');
    return this.uniformUnchecked(low, high);
  }

  /** A normal variate with the given mean and standard deviation (`std` >= 0). */
  normal(mean = 0, std = 1): number {
    checkNormal(mean, std, 'normal');
    return mean + std * this.standardNormal();
  }

  /** A uniformly distributed integer in [low, high) (safe integers, high - low <= 2^53), without modulo bias. */
  integers(low: number, high: number): number {
    if (!Number.isSafeInteger(low)) throw new RangeError(`integers: low must be a safe integer, got ${low}`);
    if (!Number.isSafeInteger(high)) throw new RangeError(`integers: high must be a safe integer, got ${high}`);
    if (low >= high) throw new RangeError(`integers: expected low < high, got low=${low}, high=${high}`);
    // Written so that no rounding hides a range of 2^53 + 1 (high - low itself would round to 2^53).
    if (high - TWO_53 > low) throw new RangeError(`integers: high - low must be at most 2^53, got ${high} - ${low}`);
    return low + this.below(high - low);
  }

  /** Shuffles an array or typed array in place (Fisher-Yates, from the end) and returns it. */
  shuffle<T extends Shuffleable>(array: T): T {
    if (!Array.isArray(array) && !(ArrayBuffer.isView(array) && !(array instanceof DataView))) {
      throw new TypeError(`shuffle: expected an array or a typed array, got ${describe(array)}`);
    }
    const a = array as { length: number; [i: number]: unknown };
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0 .. n-1. */
  permutation(n: number): Int32Array {
    checkCount(n, 'permutation');
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * `n` uniforms in [low, high) as float32: each float64 draw is rounded to float32 and redrawn when the rounding
   * leaves [low, high), so every value is a float32 inside the interval (a RangeError when none exists).
   */
  uniformArray(n: number, low = 0, high = 1): Float32Array {
    checkCount(n, 'uniformArray');
    checkRange(low, high, 'uniformArray');
    if (f32AtLeast(low) >= high) {
      throw new RangeError(`uniformArray: no float32 value lies in [${low}, ${high})`);
    }
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v: number;
      do v = Math.fround(this.uniformUnchecked(low, high));
      while (v < low || v >= high);
      out[i] = v;
    }
    return out;
  }

  /** `n` normal variates (computed in float64, rounded to float32). */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    checkCount(n, 'normalArray');
    checkNormal(mean, std, 'normalArray');
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.standardNormal();
    return out;
  }

  /**
   * A normal variate conditioned on [low, high] (rejection: draws until one falls inside). Throws a RangeError
   * when 100,000 draws in a row miss, i.e. the interval holds almost none of the distribution.
   */
  normalIn(mean: number, std: number, low: number, high: number): number {
    checkNormal(mean, std, 'normalIn');
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
      throw new RangeError(`normalIn: expected finite low <= high, got low=${low}, high=${high}`);
    }
    for (let k = 0; k < MAX_REJECTIONS; k++) {
      const v = mean + std * this.standardNormal();
      if (v >= low && v <= high) return v;
    }
    throw new RangeError(
      `normalIn: ${MAX_REJECTIONS} draws of N(${mean}, ${std}^2) all fell outside [${low}, ${high}]; ` +
        'the interval holds too little of the distribution',
    );
  }

  private uniform53(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / TWO_53;
  }

  private uniformUnchecked(low: number, high: number): number {
    const span = high - low;
    for (;;) {
      const v = low + span * this.uniform53();
      if (v < high) return v;
    }
  }

  private standardNormal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform53() - 1;
      v = 2 * this.uniform53() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * portableLog(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** An unbiased integer in [0, range), 1 <= range <= 2^53. */
  private below(range: number): number {
    if (range <= TWO_32) {
      const threshold = (TWO_32 - range) % range; // 2^32 mod range: the draws below it would bias the result
      for (;;) {
        const x = this.nextUint32();
        if (x >= threshold) return x % range;
      }
    }
    const limit = TWO_53 - (TWO_53 % range);
    for (;;) {
      const x = (this.nextUint32() >>> 11) * TWO_32 + this.nextUint32();
      if (x < limit) return x % range;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

function checkRange(low: number, high: number, fn: string): void {
  if (typeof low !== 'number' || !Number.isFinite(low)) throw new RangeError(`${fn}: low must be finite, got ${low}`);
  if (typeof high !== 'number' || !Number.isFinite(high)) {
    throw new RangeError(`${fn}: high must be finite, got ${high}`);
  }
  if (low >= high) throw new RangeError(`${fn}: expected low < high, got low=${low}, high=${high}`);
  if (!Number.isFinite(high - low)) throw new RangeError(`${fn}: high - low overflows (low=${low}, high=${high})`);
}

function checkNormal(mean: number, std: number, fn: string): void {
  if (typeof mean !== 'number' || !Number.isFinite(mean)) {
    throw new RangeError(`${fn}: mean must be finite, got ${mean}`);
  }
  if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
    throw new RangeError(`${fn}: std must be a finite number >= 0, got ${std}`);
  }
}

function checkCount(n: number, fn: string): void {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new RangeError(`${fn}: n must be an integer in [0, 2^31), got ${n}`);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The smallest float32 >= x (x finite). */
function f32AtLeast(x: number): number {
  const r = Math.fround(x);
  if (r >= x) return r;
  if (r === 0) return 2 ** -149;
  f32[0] = r;
  u32[0] = r > 0 ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

// Natural logarithm with fdlibm's algorithm (e_log.c: argument reduction to [sqrt(2)/2, sqrt(2)), then a degree-14
// minimax polynomial in s = f/(2+f)), using only IEEE basic operations so every engine gets the same bits.
const f64 = new Float64Array(1);
const w32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word
const LO = 1 - HI;
const LN2_HI = 0.6931471803691238; // 0x3fe62e42 fee00000
const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 35793c76
const TWO54 = 1.8014398509481984e16;
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;

/** ln(x), bit-identical in every engine (fdlibm `__ieee754_log`). @internal */
export function portableLog(x: number): number {
  f64[0] = x;
  let hx = w32[HI]! | 0;
  const lx = w32[LO]!;
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY; // log(+-0)
    if (hx < 0) return Number.NaN; // log(negative)
    k -= 54;
    x *= TWO54; // subnormal: scale up
    f64[0] = x;
    hx = w32[HI]! | 0;
  }
  if (hx >= 0x7ff00000) return x + x; // Infinity or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  w32[HI] = hx | (i ^ 0x3ff00000); // normalise x or x/2
  k += i >> 20;
  const f = f64[0]! - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}
