import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import {
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  brightnessContrastAdjust,
  flooredLuma,
  pcaLighting,
  pcaOffsets,
  rgbToGrayscale,
  shiftChannels,
} from './color.js';
import { hsvGains, hsvToRgb, rgbToHsv } from './hsv.js';
import { patternImage, px } from './internal/test-images.js';
import type { ImageU8 } from './sample.js';
import { setWasmEnabled } from './wasm/kernels.js';

const rgb = (pixels: number[][]): ImageU8 => ({
  data: Uint8Array.from(pixels.flat()),
  height: 1,
  width: pixels.length,
  channels: 3,
});

describe('torchvision colour adjustments (uint8)', () => {
  it('brightness multiplies, clamps and truncates', () => {
    const out = adjustBrightness(rgb([[10, 100, 200]]), 1.5);
    expect([...out.data]).toEqual([15, 150, 255]);
    expect([...adjustBrightness(rgb([[3, 7, 9]]), 0.5).data]).toEqual([1, 3, 4]);
  });

  it('grayscale is the truncated 0.2989/0.587/0.114 luma, 1 or 3 channels', () => {
    const img = rgb([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [100, 150, 200],
    ]);
    expect([...rgbToGrayscale(img).data]).toEqual([76, 149, 29, 140]);
    const g3 = rgbToGrayscale(img, 3);
    expect(g3.channels).toBe(3);
    expect([...g3.data.subarray(9, 12)]).toEqual([140, 140, 140]);
  });

  it('contrast blends with the mean of the floored luma', () => {
    const img = rgb([
      [0, 0, 0],
      [200, 200, 200],
    ]);
    // luma of (200,200,200) = 199.99998 -> floor 199; mean = 99.5.
    const out = adjustContrast(img, 0.5);
    expect([...out.data]).toEqual([49, 49, 49, 149, 149, 149]);
    expect(adjustContrast(img, 1).data).toEqual(img.data);
  });

  it('the integer floored luma equals torchvision float32 luma floored, for all 2^24 RGB triples', () => {
    const f = Math.fround;
    const [wr, wg, wb] = [f(0.2989), f(0.587), f(0.114)];
    let mismatches = 0;
    let floatPath = 0;
    for (let r = 0; r < 256; r++) {
      for (let g = 0; g < 256; g++) {
        const rg = f(f(r * wr) + f(g * wg));
        for (let b = 0; b < 256; b++) {
          const want = Math.floor(f(rg + f(b * wb)));
          if (flooredLuma(r, g, b) !== want) mismatches++;
          if ((2989 * r + 5870 * g + 1140 * b) / 10000 !== want && (2989 * r + 5870 * g + 1140 * b) % 10000 === 0)
            floatPath++;
        }
      }
    }
    expect(mismatches).toBe(0);
    expect(floatPath).toBe(20); // the exact multiples of 10000 that float32 rounds below the integer
  });

  it('saturation 0 gives the floored luma, 1 the input', () => {
    const img = rgb([[100, 150, 200]]);
    expect([...adjustSaturation(img, 0).data]).toEqual([140, 140, 140]);
    expect(adjustSaturation(img, 1).data).toEqual(img.data);
    expect([...adjustSaturation(img, 2).data]).toEqual([60, 160, 255]);
  });

  it('hue: a shift of 1/3 cycles the primaries; 0 keeps the image', () => {
    const img = rgb([
      [255, 0, 0],
      [0, 255, 0],
    ]);
    expect([...adjustHue(img, 1 / 3).data]).toEqual([0, 255, 0, 0, 0, 255]);
    const p = patternImage(8, 8);
    const same = adjustHue(p, 0);
    let maxDiff = 0;
    for (let i = 0; i < p.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(same.data[i]! - p.data[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(() => adjustHue(img, 0.6)).toThrow(/adjustHue: hueFactor/);
  });

  it('channel shifts round and clamp per channel; PCA lighting adds the eigen offsets', () => {
    expect([...shiftChannels(rgb([[10, 250, 100]]), [-20, 20, 20]).data]).toEqual([0, 255, 120]);
    const off = pcaOffsets([0.1, 0, 0]);
    expect(off[0]).toBeCloseTo(255 * -0.5675 * 0.1 * 0.2175, 9);
    const out = pcaLighting(rgb([[100, 100, 100]]), [0.1, 0, 0]);
    expect([...out.data]).toEqual(off.map((o) => Math.round(100 + o)));
    expect(() => shiftChannels(rgb([[1, 2, 3]]), [1, 2])).toThrow(/shiftChannels: shifts/);
    expect(() => pcaLighting({ data: new Uint8Array(1), height: 1, width: 1, channels: 1 }, [0, 0, 0])).toThrow(
      ShapeError,
    );
  });
});

describe('albumentations brightness_contrast_adjust (uint8)', () => {
  // The tables from albumentations' _brightness_contrast_adjust_uint run with numpy 1.24 (float32 lookup table):
  // lut = np.arange(256).astype('float32'); lut *= alpha; lut += beta * 255 (or (alpha * beta) * np.mean(img));
  // np.clip(lut, 0, 255).astype(np.uint8), read at these values.
  const at = [0, 1, 7, 8, 9, 100, 127, 128, 200, 212, 213, 254, 255];
  const cases: [number, number, number[]][] = [
    [1.2, -10 / 255, [0, 0, 0, 0, 0, 110, 142, 143, 230, 244, 245, 255, 255]],
    [0.8, 0.3, [76, 77, 82, 82, 83, 156, 178, 178, 236, 246, 246, 255, 255]],
    [1.37, 0.05, [12, 14, 22, 23, 25, 149, 186, 188, 255, 255, 255, 255, 255]],
  ];
  const ramp: ImageU8 = { data: Uint8Array.from(at), height: 1, width: at.length, channels: 1 };

  it("gives albumentations' bytes with beta by max, on the WebAssembly and the JavaScript path", () => {
    for (const [alpha, beta, want] of cases) {
      expect([...brightnessContrastAdjust(ramp, alpha, beta).data], `alpha ${alpha} beta ${beta}`).toEqual(want);
      setWasmEnabled(false);
      try {
        expect([...brightnessContrastAdjust(ramp, alpha, beta).data], `JS path, alpha ${alpha}`).toEqual(want);
      } finally {
        setWasmEnabled(true);
      }
    }
  });

  it('beta by the mean of all bytes (brightnessByMax false), any channel count', () => {
    const data = Uint8Array.from({ length: 18 }, (_, i) => (i * 13) % 256); // mean 110.5
    const img: ImageU8 = { data, height: 2, width: 3, channels: 3 };
    const want = [0, 0, 0, 12, 26, 41, 55, 69, 84, 98, 112, 126, 141, 155, 169, 184, 198, 212];
    expect([...brightnessContrastAdjust(img, 1.1, -0.25, { betaByMax: false }).data]).toEqual(want);
  });

  it('rejects a non-finite alpha or beta and a non-boolean option, naming them', () => {
    expect(() => brightnessContrastAdjust(ramp, Number.NaN, 0)).toThrow(/brightnessContrastAdjust: alpha/);
    expect(() => brightnessContrastAdjust(ramp, 1, Number.POSITIVE_INFINITY)).toThrow(/brightnessContrastAdjust: beta/);
    expect(() => brightnessContrastAdjust(ramp, 1, 0, { betaByMax: 1 as unknown as boolean })).toThrow(
      /brightnessContrastAdjust: opts.betaByMax: expected a boolean/,
    );
  });
});

describe('OpenCV HSV (YOLO jitter)', () => {
  it('converts primaries with hue in [0, 180)', () => {
    const hsv = rgbToHsv(
      rgb([
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [128, 128, 128],
        [255, 128, 0],
      ]),
    );
    expect([...hsv.data]).toEqual([0, 255, 255, 60, 255, 255, 120, 255, 255, 0, 0, 128, 15, 255, 255]);
  });

  it('round trip is within a few levels and unit gains are the round trip', () => {
    const p = patternImage(16, 16);
    const back = hsvToRgb(rgbToHsv(p));
    let maxDiff = 0;
    for (let i = 0; i < p.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(back.data[i]! - p.data[i]!));
    expect(maxDiff).toBeLessThanOrEqual(4);
    expect(hsvGains(p, [1, 1, 1]).data).toEqual(back.data);
    expect(() => hsvToRgb(rgb([[180, 0, 0]]))).toThrow(/hsvToRgb: image.data\[0\]: hue/);
    expect(() => hsvGains(p, [1, Number.NaN, 1])).toThrow(/hsvGains: gains\[1\]/);
    const darker = hsvGains(p, [1, 1, 0.5]);
    expect(px(darker, 3, 3, 0) + px(darker, 3, 3, 1) + px(darker, 3, 3, 2)).toBeLessThan(
      px(p, 3, 3, 0) + px(p, 3, 3, 1) + px(p, 3, 3, 2),
    );
  });
});

describe('lookup-table paths', () => {
  it('word-wise and byte-wise paths agree, aligned or not, for 1 and 3 channels', () => {
    const img = patternImage(7, 9);
    const shifted = shiftChannels(img, [-7, 3, 11]);
    for (let i = 0; i < img.data.length; i++) {
      const k = i % 3;
      expect(shifted.data[i]).toBe(Math.min(255, Math.max(0, img.data[i]! + [-7, 3, 11][k]!)));
    }
    const buf = new Uint8Array(img.data.length + 1);
    buf.set(img.data, 1);
    const unaligned = { ...img, data: buf.subarray(1) };
    expect(shiftChannels(unaligned, [-7, 3, 11]).data).toEqual(shifted.data);
    // The contrast mean reads whole words where aligned: the same result from an unaligned copy (63 pixels: the
    // last three take the byte-wise tail).
    expect(adjustContrast(unaligned, 0.6).data).toEqual(adjustContrast(img, 0.6).data);
    let sum = 0;
    for (let p = 0; p < 63; p++) sum += flooredLuma(img.data[3 * p]!, img.data[3 * p + 1]!, img.data[3 * p + 2]!);
    const offset = Math.fround(Math.fround(sum / 63) * Math.fround(1 - Math.fround(0.6)));
    const v = img.data[5]!;
    expect(adjustContrast(img, 0.6).data[5]).toBe(Math.trunc(Math.fround(Math.fround(v * Math.fround(0.6)) + offset)));
    const gray = { data: img.data.subarray(0, 63), height: 7, width: 9, channels: 1 };
    const bright = adjustBrightness(gray, 1.3);
    for (let i = 0; i < 63; i++)
      expect(bright.data[i]).toBe(Math.min(255, Math.trunc(Math.fround(gray.data[i]! * Math.fround(1.3)))));
  });
});
