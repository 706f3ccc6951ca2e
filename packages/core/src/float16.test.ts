import { describe, expect, it } from 'vitest';
import {
  bfloat16ToFloat32Array,
  float16BitsToFloat32,
  float16ToFloat32Array,
  float32ToBfloat16Array,
  float32ToFloat16Array,
  float32ToFloat16Bits,
} from './float16.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 next to `x` (x > 0) in direction `dir`. */
function f32Step(x: number, dir: 1 | -1): number {
  f32[0] = x;
  u32[0]! += dir;
  return f32[0]!;
}

const isHalfNaN = (bits: number): boolean => (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
const ALL_BITS = Uint16Array.from({ length: 65536 }, (_, i) => i);

describe('float16: exhaustive over the 65,536 bit patterns', () => {
  it('bits -> float32 -> bits is the identity, except that NaNs stay NaN (payload normalised)', () => {
    const values = float16ToFloat32Array(ALL_BITS);
    const back = float32ToFloat16Array(values);
    const wrong: number[] = [];
    for (let b = 0; b < 65536; b++) {
      const ok = isHalfNaN(b) ? Number.isNaN(values[b]) && isHalfNaN(back[b]!) : back[b] === b;
      // The lookup-table decoder agrees with the scalar one (NaN aside, Object.is also tells -0 from 0).
      const scalar = float16BitsToFloat32(b);
      const same = Object.is(scalar, values[b]) || (Number.isNaN(scalar) && Number.isNaN(values[b]));
      if (!ok || !same) wrong.push(b);
    }
    expect(wrong).toEqual([]);
    // The scalar encoder agrees with the array one.
    expect(Array.from(values, (v) => float32ToFloat16Bits(v))).toEqual(Array.from(back));
  });

  it('decodes to exact float32 values, strictly increasing with the bits for the positive finite halves', () => {
    let prev = Number.NEGATIVE_INFINITY;
    const wrong: number[] = [];
    for (let b = 0; b <= 0x7c00; b++) {
      const v = float16BitsToFloat32(b);
      if (Math.fround(v) !== v || v <= prev || !Object.is(float16BitsToFloat32(b | 0x8000), -v)) wrong.push(b);
      prev = v;
    }
    expect(wrong).toEqual([]);
    expect(prev).toBe(Number.POSITIVE_INFINITY);
  });

  it('rounds every midpoint between neighbours to the even one, and values beside it to the nearest', () => {
    // Midpoints of adjacent halves need 12 significant bits, so they are exact float32 values; one float32 ulp
    // on either side must round to the nearer half. Covers subnormals, the subnormal/normal boundary and carries
    // into the next binade.
    const wrong: string[] = [];
    for (let h = 0; h < 0x7bff; h++) {
      const lo = float16BitsToFloat32(h);
      const hi = float16BitsToFloat32(h + 1);
      const mid = (lo + hi) / 2;
      const even = h % 2 === 0 ? h : h + 1;
      const got = [
        float32ToFloat16Bits(mid),
        float32ToFloat16Bits(f32Step(mid, -1)),
        float32ToFloat16Bits(f32Step(mid, 1)),
      ];
      const negative = float32ToFloat16Bits(-mid);
      if (got[0] !== even || got[1] !== h || got[2] !== h + 1 || negative !== (even | 0x8000)) {
        wrong.push(`${h}: ${got.join(',')} ${negative}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('float16: known values', () => {
  it('encodes the landmarks of the format', () => {
    const cases: [number, number][] = [
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // largest finite half
      [2 ** -14, 0x0400], // smallest normal
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // halfway between 0 and 2^-24: ties to even (0)
      [3 * 2 ** -25, 0x0002], // halfway between 1 and 2 (x 2^-24): ties to even (2)
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and 1 + 2^-10: ties to even
      [1 + 3 * 2 ** -11, 0x3c02], // halfway between 0x3c01 and 0x3c02: ties to even
      [1 / 3, 0x3555],
      [2 ** -150, 0x0000], // a float32 subnormal underflows to zero
    ];
    for (const [value, bits] of cases) expect([value, float32ToFloat16Bits(value)]).toEqual([value, bits]);
  });

  it('overflows to Infinity from 65520 (the midpoint to 2^16), keeps signs of zeros and infinities', () => {
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(f32Step(65520, -1))).toBe(0x7bff);
    expect(float32ToFloat16Bits(-65520)).toBe(0xfc00);
    expect(float32ToFloat16Bits(1e10)).toBe(0x7c00);
    expect(float32ToFloat16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(float32ToFloat16Bits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(0)).toBe(0x0000);
    expect(Object.is(float16BitsToFloat32(0x8000), -0)).toBe(true);
    expect(float32ToFloat16Bits(-1e-10)).toBe(0x8000); // underflow keeps the sign
  });

  it('keeps NaN a NaN (quiet) in both directions', () => {
    expect(isHalfNaN(float32ToFloat16Bits(Number.NaN))).toBe(true);
    expect(float32ToFloat16Bits(Number.NaN) & 0x0200).toBe(0x0200);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
    expect(float16BitsToFloat32(0xfc01)).toBeNaN();
  });

  it('array helpers write into a given output and read subarrays', () => {
    const bits = Uint16Array.from([0x0000, 0x3c00, 0x4000, 0xc200]);
    const out = new Float32Array(2);
    expect(float16ToFloat32Array(bits.subarray(1, 3), out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 2]);
    expect(Array.from(float16ToFloat32Array(bits))).toEqual([0, 1, 2, -3]);
    const outBits = new Uint16Array(3);
    expect(float32ToFloat16Array([0.5, -0.25, 65504], outBits)).toBe(outBits);
    expect(Array.from(outBits)).toEqual([0x3800, 0xb400, 0x7bff]);
    expect(float32ToFloat16Array([])).toEqual(new Uint16Array(0));
  });
});

describe('bfloat16', () => {
  it('round-trips all 65,536 patterns exactly (NaNs stay NaN)', () => {
    const values = bfloat16ToFloat32Array(ALL_BITS);
    const back = float32ToBfloat16Array(values);
    const wrong: number[] = [];
    for (let b = 0; b < 65536; b++) {
      const nan = (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;
      const ok = nan
        ? Number.isNaN(values[b]) && (back[b]! & 0x7f80) === 0x7f80 && (back[b]! & 0x7f) !== 0
        : back[b] === b;
      if (!ok) wrong.push(b);
    }
    expect(wrong).toEqual([]);
  });

  it('is the top half of a float32, rounding the bottom half to nearest even', () => {
    expect(
      Array.from(float32ToBfloat16Array([1, -2, Math.PI, 1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20])),
    ).toEqual([0x3f80, 0xc000, 0x4049, 0x3f80, 0x3f82, 0x3f81]);
    expect(float32ToBfloat16Array([3.4028234663852886e38])[0]).toBe(0x7f80); // float32 max rounds up to Infinity
    expect(float32ToBfloat16Array([Number.NEGATIVE_INFINITY])[0]).toBe(0xff80);
    expect(float32ToBfloat16Array([-0])[0]).toBe(0x8000);
    expect(float32ToBfloat16Array([Number.NaN])[0]! & 0x7fc0).toBe(0x7fc0);
    expect(Array.from(bfloat16ToFloat32Array(Uint16Array.from([0x3f80, 0xc049, 0x0001])))).toEqual([
      1,
      -3.140625,
      2 ** -133,
    ]);
  });
});
