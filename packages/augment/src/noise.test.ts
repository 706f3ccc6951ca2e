import { Rng, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { gaussianBlur } from './blur.js';
import { patternImage, px } from './internal/test-images.js';
import { erase, gaussianNoise, gridDropout } from './noise.js';
import { noiseOffsets, normalTable } from './noise-table.js';
import { normalize, toTensor } from './to-tensor.js';

describe('gaussianNoise', () => {
  it('has the requested mean and standard deviation and is seeded', () => {
    const image = { data: new Uint8Array(200 * 200 * 3).fill(128), height: 200, width: 200, channels: 3 };
    const out = gaussianNoise(image, new Rng(1), 10);
    let sum = 0;
    let sq = 0;
    for (const v of out.data) {
      sum += v - 128;
      sq += (v - 128) ** 2;
    }
    const n = out.data.length;
    expect(Math.abs(sum / n)).toBeLessThan(0.1);
    expect(Math.sqrt(sq / n - (sum / n) ** 2)).toBeCloseTo(Math.sqrt(100 + 1 / 12), 1);
    expect(gaussianNoise(image, new Rng(1), 10).data).toEqual(out.data);
    expect(gaussianNoise(image, new Rng(2), 10).data).not.toEqual(out.data);
    const gray = gaussianNoise(image, new Rng(3), 10, 0, false);
    expect(px(gray, 5, 5, 0)).toBe(px(gray, 5, 5, 2));
  });

  it('integer offsets: clamp(v + offset) is the float sum v + f32(mean + std z + 0.5) truncated and clamped, for all v and z', () => {
    const t = normalTable();
    const f = new Float32Array(1);
    for (const [std, mean] of [
      [10, 0],
      [3.7, -20.25],
      [0, 0.5],
      [200, 100],
      [1e30, 0], // offsets far outside [-256, 256]
    ] as const) {
      const offsets = noiseOffsets(std, mean);
      let bad = '';
      for (let i = 0; i < 65536 && !bad; i++) {
        f[0] = mean + std * t[i]! + 0.5;
        for (let v = 0; v < 256; v++) {
          const a = v + f[0];
          const want = a <= 0 ? 0 : Math.trunc(Math.min(a, 255));
          const got = Math.max(0, Math.min(255, v + offsets[i]!));
          if (got !== want) bad = `std ${std} mean ${mean} z[${i}] v ${v}: ${got} != ${want}`;
        }
      }
      expect(bad).toBe('');
    }
  });

  it('uses a symmetric, increasing quantile table of N(0, 1) (noiseOffsets relies on the order)', () => {
    const t = normalTable();
    let decreasing = -1;
    for (let i = 1; i < 65536 && decreasing < 0; i++) if (!(t[i]! > t[i - 1]!)) decreasing = i;
    expect(decreasing).toBe(-1);
    expect(t.length).toBe(65536);
    expect(t[32768]! + t[32767]!).toBeCloseTo(0, 6);
    expect(t[Math.round(0.8413447 * 65536)]!).toBeCloseTo(1, 3);
  });
});

describe('erase and grid dropout', () => {
  it('erase fills the clipped rectangle', () => {
    const img = patternImage(6, 6);
    const out = erase(img, 4, 4, 5, 5, [1, 2, 3]);
    expect([0, 1, 2].map((k) => px(out, 5, 5, k))).toEqual([1, 2, 3]);
    expect(px(out, 3, 3)).toBe(px(img, 3, 3));
    expect(() => erase(img, 0, 0, 1, 1, 300)).toThrow(/erase: value/);
  });

  it('grid dropout blanks the top-left square of each cell', () => {
    const img = { data: new Uint8Array(8 * 8).fill(9), height: 8, width: 8, channels: 1 };
    const out = gridDropout(img, 4, 0.5, 1, 0);
    expect(out.data[0 * 8 + 1]).toBe(0);
    expect(out.data[1 * 8 + 2]).toBe(0);
    expect(out.data[1 * 8 + 3]).toBe(9);
    expect(out.data[2 * 8 + 1]).toBe(9);
    expect(out.data.filter((v) => v === 0).length).toBe(16);
  });
});

describe('gaussianBlur', () => {
  it('keeps constants, spreads an impulse by the normalised kernel', () => {
    const img = { data: new Uint8Array(9 * 9), height: 9, width: 9, channels: 1 };
    img.data[4 * 9 + 4] = 200;
    const out = gaussianBlur(img, 3, 1);
    const k0 = Math.exp(-0.5) / (1 + 2 * Math.exp(-0.5));
    const k1 = 1 / (1 + 2 * Math.exp(-0.5));
    expect(out.data[4 * 9 + 4]).toBe(Math.round(200 * k1 * k1));
    expect(out.data[3 * 9 + 4]).toBe(Math.round(200 * k0 * k1));
    const flat = { data: new Uint8Array(5 * 5 * 3).fill(50), height: 5, width: 5, channels: 3 };
    expect(gaussianBlur(flat, [5, 3], [2, 1]).data.every((v) => v === 50)).toBe(true);
    expect(() => gaussianBlur(flat, 4, 1)).toThrow(/gaussianBlur: kernelSize/);
  });
});

describe('toTensor and normalize', () => {
  it('HWC uint8 -> CHW float32 in [0, 1], then per-channel normalisation', () => {
    const img = patternImage(2, 3);
    const t = toTensor(img);
    expect(t.shape).toEqual([3, 2, 3]);
    expect(t.data[1 * 6 + 1 * 3 + 2]).toBeCloseTo(px(img, 1, 2, 1) / 255, 7);
    const n = normalize(t, [0.5, 0.5, 0.5], [0.25, 0.5, 1]);
    expect(n.data[0]).toBeCloseTo((px(img, 0, 0, 0) / 255 - 0.5) / 0.25, 5);
    expect(n.data[6]).toBeCloseTo((px(img, 0, 0, 1) / 255 - 0.5) / 0.5, 5);
    expect(() => normalize(t, [0, 0], [1, 1])).toThrow(/normalize: mean/);
    expect(() => normalize(t, [0, 0, 0], [1, 0, 1])).toThrow(/normalize: std\[1\]/);
    expect(() => normalize(new Tensor('int32', [1, 1, 1], new Int32Array(1)), [0], [1])).toThrow(/float32/);
  });
});
