/**
 * The unrolled / word-wise fast paths against the plain per-pixel paths they replace: same bytes, every size,
 * channel count and alignment (the fast paths only apply to some of them and must agree where they do).
 */
import { describe, expect, it } from 'vitest';
import { affineMatrix } from './affine-matrix.js';
import { hsvGains, hsvToRgb, rgbToHsv } from './hsv.js';
import { flipPlanes } from './pixels.js';
import { resizeBilinear } from './resize-image.js';
import type { ImageU8 } from './sample.js';
import { affineRowMapper, type RowMapper, warpImage } from './warp.js';

function noisy(h: number, w: number, c: number, seed = 1): ImageU8 {
  const data = new Uint8Array(h * w * c);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, height: h, width: w, channels: c };
}

/** Left-right mirror, one byte at a time. */
function mirror(data: Uint8Array, planes: number, h: number, w: number, c: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let p = 0; p < planes * h; p++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) out[(p * w + x) * c + k] = data[(p * w + w - 1 - x) * c + k]!;
    }
  }
  return out;
}

describe('word-wise horizontal flip', () => {
  it('equals the byte-wise mirror for 1, 3 and 4 channels, any width, aligned or not', () => {
    for (const c of [1, 3, 4]) {
      for (const w of [1, 3, 4, 5, 8, 12, 640]) {
        for (const offset of [0, 1, 4]) {
          const planes = 2;
          const h = 3;
          const backing = noisy(1, planes * h * w * c + offset, 1, w + c).data;
          const data = backing.subarray(offset);
          expect(flipPlanes(data, planes, h, w, c, true)).toEqual(mirror(data, planes, h, w, c));
        }
      }
    }
  });
});

describe('affine bilinear RGB row path', () => {
  it('gives the bytes of the generic per-pixel path (edges, fill, expand, scale and shear)', () => {
    const img = noisy(37, 53, 3);
    const cases = [
      { angle: 15, fill: undefined },
      { angle: -33.3, fill: [10, 300, -5] },
      { angle: 7, scale: 1.7, shear: [12, -4] as [number, number], fill: 77 },
      { angle: 90, translate: [5, -3] as [number, number], fill: undefined },
    ];
    for (const { fill, ...params } of cases) {
      const inverse = affineMatrix([0, 0], { translate: [0, 0], scale: 1, shear: [0, 0], ...params }, true);
      for (const [oh, ow] of [
        [37, 53],
        [50, 61],
      ] as const) {
        const fast = affineRowMapper(inverse, 37, 53, oh, ow);
        expect(fast.rowStart).toBeDefined();
        const generic: RowMapper = (i, xs, ys) => fast(i, xs, ys); // no rowStart: the per-pixel path
        const a = warpImage(img, oh, ow, fast, 'bilinear', fill, 't');
        const b = warpImage(img, oh, ow, generic, 'bilinear', fill, 't');
        expect(a.data).toEqual(b.data);
        expect(a.data.some((v) => v !== 0)).toBe(true);
      }
    }
  });
});

describe('unrolled resize passes', () => {
  it('an RGB resize equals resizing each channel alone (generic single-channel horizontal pass)', () => {
    const img = noisy(45, 61, 3, 9);
    const plane = (k: number): ImageU8 => ({
      data: img.data.filter((_, i) => i % 3 === k),
      height: img.height,
      width: img.width,
      channels: 1,
    });
    for (const [oh, ow] of [
      [24, 32],
      [20, 29],
      [45, 30],
      [90, 122],
      [13, 17],
      [7, 9],
    ] as const) {
      for (const antialias of [true, false]) {
        const rgb = resizeBilinear(img, oh, ow, antialias);
        for (let k = 0; k < 3; k++) {
          const one = resizeBilinear(plane(k), oh, ow, antialias);
          expect(rgb.data.filter((_, i) => i % 3 === k)).toEqual(one.data);
        }
      }
    }
  });
});

describe('fused HSV jitter loop', () => {
  it('equals rgbToHsv, the gain tables and hsvToRgb for all 2^24 RGB triples', () => {
    const n = 1 << 24;
    const data = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      data[3 * i] = i >>> 16;
      data[3 * i + 1] = (i >>> 8) & 255;
      data[3 * i + 2] = i & 255;
    }
    const all: ImageU8 = { data, height: 4096, width: 4096, channels: 3 };
    const gains: [number, number, number] = [1.3, 0.7, 1.2];
    const hsv = rgbToHsv(all).data;
    for (let i = 0; i < hsv.length; i += 3) {
      hsv[i] = Math.trunc((hsv[i]! * gains[0]) % 180);
      hsv[i + 1] = Math.min(255, Math.trunc(hsv[i + 1]! * gains[1]));
      hsv[i + 2] = Math.min(255, Math.trunc(hsv[i + 2]! * gains[2]));
    }
    const want = hsvToRgb({ ...all, data: hsv }).data;
    const got = hsvGains(all, gains).data;
    let mismatches = 0;
    for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) mismatches++;
    expect(mismatches).toBe(0);
  });
});
