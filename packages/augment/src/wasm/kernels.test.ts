/**
 * The WebAssembly SIMD kernels: the checked-in module equals a fresh compile of wat/*.wat, and every op that
 * uses them gives the bytes of its JavaScript path (setWasmEnabled(false)) on random images of many sizes.
 */
import { readFileSync } from 'node:fs';
import { Rng } from '@striate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { compileKernels, GEN_PATH, genSource } from '../../scripts/build-wasm.js';
import { resizeTapsWat, TAPS_WAT_PATH } from '../../scripts/gen-resize-wat.js';
import { adjustBrightness, adjustBrightnessContrast, adjustContrast } from '../color.js';
import { affine, rotate } from '../geometric.js';
import { HDIV, hsvFixedFactors, hsvGains, hsvMultipliers } from '../hsv.js';
import { gaussianNoise } from '../noise.js';
import { cropPlanes, flipPlanes } from '../pixels.js';
import { resizeBilinear } from '../resize-image.js';
import type { ImageU8 } from '../sample.js';
import { setWasmEnabled, wasmStatus } from './kernels.js';
import { fixedPointMap, nibbleMap, scaleOffsetWasm } from './ops.js';

function noisy(h: number, w: number, c: number, seed: number): ImageU8 {
  const data = new Uint8Array(h * w * c);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, height: h, width: w, channels: c };
}

/** Runs `fn` on the JavaScript path and on the WebAssembly path. */
function bothPaths<T>(fn: () => T): { js: T; wasm: T } {
  setWasmEnabled(false);
  const js = fn();
  setWasmEnabled(true);
  return { js, wasm: fn() };
}

afterEach(() => setWasmEnabled(true));

describe('wasm kernels module', () => {
  it('is in use in Node (SIMD compiles here)', () => {
    expect(wasmStatus()).toEqual({ active: true });
  });

  it('kernels.gen.ts equals a fresh compile of wat/*.wat (run `pnpm build:wasm` after editing the WAT)', async () => {
    const fresh = genSource(await compileKernels());
    expect(readFileSync(GEN_PATH, 'utf8')).toBe(fresh);
  });

  it('results are copied out into plain, unshared Uint8Arrays of their own', () => {
    const img = noisy(7, 9, 3, 3);
    const a = rotate({ image: img, canvasSize: [7, 9] }, 10, { interpolation: 'bilinear' }).image!.data;
    const b = rotate({ image: img, canvasSize: [7, 9] }, 10, { interpolation: 'bilinear' }).image!.data;
    expect(Object.getPrototypeOf(a)).toBe(Uint8Array.prototype);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(7 * 9 * 3);
    expect(a.buffer).not.toBe(b.buffer);
    a.fill(1);
    expect(b).toEqual(rotate({ image: img, canvasSize: [7, 9] }, 10, { interpolation: 'bilinear' }).image!.data);
  });

  it('wat/resize-taps.wat equals a fresh generation by scripts/gen-resize-wat.ts (`pnpm build:wasm` runs it)', () => {
    expect(readFileSync(TAPS_WAT_PATH, 'utf8')).toBe(resizeTapsWat());
  });

  it('lumaSum quotient: floor(l * f32(1e-4) + f32(5e-5)) in float32 is floor(l / 10000) for all l <= 2550000', () => {
    const f = Math.fround;
    const inv = f(1e-4);
    const half = f(5e-5);
    let bad = -1;
    for (let l = 0; l <= 2550000 && bad < 0; l++) {
      if (Math.floor(f(f(f(l) * inv) + half)) !== Math.floor(l / 10000)) bad = l;
    }
    expect(bad).toBe(-1);
  });
});

describe('wasm paths give the JavaScript paths bytes', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [3, 5],
    [7, 15],
    [2, 16],
    [5, 17],
    [9, 33],
    [31, 47],
    [48, 64],
    [61, 101],
    [97, 173], // 50,343 bytes: past one 32 KB chunk (throughChunks)
    [13, 2900], // rows of 8,700 bytes: three rows per chunk
  ];

  it('horizontal flip of RGB planes (any width, several planes, unaligned views)', () => {
    for (const [h, w] of sizes) {
      for (const planes of [1, 3]) {
        const backing = noisy(1, planes * h * w * 3 + 1, 1, h * 31 + w).data;
        const data = backing.subarray(1);
        const { js, wasm } = bothPaths(() => flipPlanes(data, planes, h, w, 3, true));
        expect(wasm).toEqual(js);
      }
    }
  });

  it('brightness and contrast (1 and 3 channels, factors 0 to 1e39 (infinite in float32), odd lengths)', () => {
    for (const [h, w] of sizes) {
      for (const c of [1, 3]) {
        const img = noisy(h, w, c, h + 7 * w + c);
        for (const f of [0, 0.3, 0.8, 1, 1.2, 1.5, 2.25, 3.7, 1e30, 1e39]) {
          const { js, wasm } = bothPaths(() => [adjustBrightness(img, f).data, adjustContrast(img, f).data]);
          expect(wasm).toEqual(js);
        }
      }
    }
  });

  it('fixed-point byte map: every byte for 5,000 random (factor, offset) pairs, or the float32 kernel', () => {
    const all = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);
    const img: ImageU8 = { data: all, height: 1, width: 256, channels: 3 };
    const rng = new Rng(5);
    let fitted = 0;
    let ordinaryPairs = 0;
    const pairs = 5000;
    for (let i = 0; i < pairs; i++) {
      // Factors to 300 (the kernel takes m < 2^24, f < 256) and offsets far outside [-255, 255] (saturation).
      const f = Math.fround(i % 8 === 1 ? rng.uniform(4, 300) : i % 4 === 0 ? rng.uniform(0, 1.5) : rng.uniform(0, 4));
      const off = Math.fround(i % 10 === 3 ? rng.uniform(-40000, 40000) : i % 2 === 0 ? rng.uniform(-300, 300) : 0);
      const ordinary = f <= 4 && Math.abs(off) <= 300;
      if (ordinary) ordinaryPairs++;
      if (ordinary && fixedPointMap(f, off)) fitted++;
      const want = Uint8Array.from(all, (v) => {
        const x = Math.fround(Math.fround(v * f) + off);
        return x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
      });
      const got = scaleOffsetWasm(img.data, f, off, 'fixed')!; // mapFixed where it fits, not mapNibble
      let same = got.length === want.length;
      for (let v = 0; same && v < want.length; v++) same = got[v] === want[v];
      if (!same) expect(got, `f ${f} off ${off}`).toEqual(want);
    }
    // Most pairs with factor <= 4 and |offset| <= 300 take the fixed-point kernel (the rest, and the far ones
    // whose 255 m + |c| would pass 2^31, the float32 one); the bytes are equal either way.
    console.log(`fixed-point byte map fitted ${fitted} of ${ordinaryPairs} ordinary (factor, offset) pairs`);
    expect(fitted).toBeGreaterThan(ordinaryPairs * 0.9);
  });

  it('nibble byte map: every byte for 6,000 random (factor, offset) pairs and odd lengths, or the fallbacks', () => {
    // Every byte value three times, then 5 more (a partial last vector), and 7 bytes (no whole vector).
    const all = Uint8Array.from({ length: 256 * 3 + 5 }, (_, i) => (i * 7) % 256);
    const short = all.subarray(250, 257);
    const rng = new Rng(11);
    let fitted = 0;
    let ordinaryPairs = 0;
    let withN = 0;
    const pairs: [number, number][] = [
      [Math.fround(1.2), Math.fround((-10 / 255) * 255)], // the bench's brightnessContrastAdjust(image, 1.2, -10 / 255)
      [0, 0],
      [0, 100],
      [0, -5],
      [1, 0],
      [1, 0.5],
      [1, -0.5],
      [16, 0],
      [17, -3],
      [300, 0],
    ];
    for (let i = 0; i < 6000; i++) {
      const f = Math.fround(i % 8 === 1 ? rng.uniform(4, 300) : i % 4 === 0 ? rng.uniform(0, 1.5) : rng.uniform(0, 4));
      const far = i % 10 === 3 ? rng.uniform(-40000, 40000) : i % 2 === 0 ? rng.uniform(-300, 300) : 0;
      // Some offsets whole (sums landing exactly on integers), some near-whole factors (1 + 2^-20).
      const off = Math.fround(i % 7 === 2 ? Math.round(far) : far);
      pairs.push([i % 11 === 5 ? Math.fround(Math.round(f) + 2 ** -20) : f, off]);
    }
    for (const [f, off] of pairs) {
      const ordinary = f <= 4 && Math.abs(off) <= 300;
      if (ordinary) ordinaryPairs++;
      const tables = nibbleMap(f, off);
      if (ordinary && tables) fitted++;
      if (tables?.subarray(16, 32).some((x) => x > 0)) withN++; // the kernel's five-lookup loop, else four
      for (const data of [all, short]) {
        const want = Uint8Array.from(data, (v) => {
          const x = Math.fround(Math.fround(v * f) + off);
          return x <= 0 ? 0 : x >= 255 ? 255 : Math.trunc(x);
        });
        const got = scaleOffsetWasm(data, f, off)!;
        let same = got.length === want.length;
        for (let v = 0; same && v < want.length; v++) same = got[v] === want[v];
        if (!same) expect(got, `f ${f} off ${off} length ${data.length}`).toEqual(want);
      }
    }
    expect(nibbleMap(pairs[0]![0], pairs[0]![1])).not.toBeNull();
    // Factors over about 16 need IB(15) > 254: mapFixed or scaleOffset run then, with the same bytes.
    console.log(`nibble byte map fitted ${fitted} of ${ordinaryPairs} ordinary (factor, offset) pairs`);
    expect(fitted).toBeGreaterThan(ordinaryPairs * 0.99);
    expect(withN).toBeGreaterThan(1000);
    expect(fitted - withN).toBeGreaterThan(1000);
  });

  it('fused brightness + contrast equals the two ops in sequence, both orders, both paths', () => {
    const factors = [0, 0.7, 1.3, 1e39];
    for (const [h, w] of sizes.filter((_, i) => i % 2 === 0)) {
      for (const c of [1, 3]) {
        const img = noisy(h, w, c, 3 * h + w + c);
        for (const fb of factors) {
          for (const fc of factors) {
            const label = `${h}x${w}x${c} brightness ${fb} contrast ${fc}`;
            const { js: bc, wasm: bcW } = bothPaths(() => adjustContrast(adjustBrightness(img, fb), fc).data);
            const { js: cb, wasm: cbW } = bothPaths(() => adjustBrightness(adjustContrast(img, fc), fb).data);
            expect(bcW, label).toEqual(bc);
            expect(cbW, label).toEqual(cb);
            const fused = bothPaths(() => adjustBrightnessContrast(img, fb, fc).data);
            expect(fused.js, label).toEqual(bc);
            expect(fused.wasm, label).toEqual(bc);
            const swapped = bothPaths(() => adjustBrightnessContrast(img, fb, fc, { contrastFirst: true }).data);
            expect(swapped.js, label).toEqual(cb);
            expect(swapped.wasm, label).toEqual(cb);
          }
        }
      }
    }
  });

  it('contrast mean over every RGB triple whose luma is an exact multiple of 10000 (the float32 corner)', () => {
    const px: number[] = [];
    for (let r = 0; r < 256; r++) {
      for (let g = 0; g < 256; g++) {
        for (let b = 0; b < 256; b += 1) {
          if ((2989 * r + 5870 * g + 1140 * b) % 10000 === 0) px.push(r, g, b);
        }
      }
    }
    expect(px.length / 3).toBeGreaterThan(1000);
    const img: ImageU8 = { data: Uint8Array.from(px), height: 1, width: px.length / 3, channels: 3 };
    for (const f of [0, 0.5, 1.7]) {
      const { js, wasm } = bothPaths(() => adjustContrast(img, f).data);
      expect(wasm).toEqual(js);
    }
  });

  it('bilinear resize, antialiased or not, down and up, odd sizes', () => {
    const cases: [number, number, number, number][] = [
      [48, 64, 24, 32],
      [48, 64, 17, 29],
      [37, 53, 11, 7],
      [37, 53, 80, 101],
      [37, 53, 37, 20],
      [37, 53, 19, 53],
      [9, 9, 5, 5],
      [6, 6, 2, 3],
      [120, 160, 21, 23],
      // 2x and 2.2x down (groups of windows two pixels apart, k = 2, 4 and 6), tails of 0 to 3 pixels,
      // several bands of output rows
      [120, 160, 60, 80],
      [60, 100, 27, 45],
      [40, 90, 20, 45],
      [41, 94, 20, 47],
      [200, 64, 100, 32],
      [33, 640, 17, 320],
      // vertical only (rows copied as bytes, resizeV) and both passes (16-bit rows, resizeV16): 2x down in rows
      // (output rows in pairs sharing tap pairs), an odd row count, 2.2x (pairs and single rows mixed)
      [66, 30, 33, 30],
      [66, 40, 33, 20],
      [73, 21, 33, 21],
      [73, 24, 33, 12],
    ];
    for (const [h, w, oh, ow] of cases) {
      const img = noisy(h, w, 3, h * w + oh);
      for (const antialias of [true, false]) {
        const { js, wasm } = bothPaths(() => resizeBilinear(img, oh, ow, antialias).data);
        expect(wasm, `${h}x${w} -> ${oh}x${ow} antialias ${antialias}`).toEqual(js);
      }
    }
  });
});

describe('resize of a crop window read in place', () => {
  it('gives the bytes of resizing the cropped copy, on both paths, 1 and 3 channels', () => {
    // [h, w, top, left, height, width, oh, ow]: interior, touching each edge, full width (rows copied), 1 row/col.
    const cases: [number, number, number, number, number, number, number, number][] = [
      [48, 64, 5, 7, 30, 41, 13, 17],
      [48, 64, 0, 0, 48, 63, 24, 32],
      [48, 64, 17, 23, 31, 41, 50, 60],
      [48, 64, 3, 0, 40, 64, 20, 64],
      [48, 64, 5, 10, 30, 40, 15, 40],
      [48, 64, 9, 11, 1, 20, 3, 7],
      [37, 53, 2, 52, 30, 1, 5, 4],
      [120, 160, 0, 20, 120, 120, 56, 56],
      [100, 130, 3, 5, 90, 120, 45, 60],
    ];
    for (const [h, w, top, left, ch, cw, oh, ow] of cases) {
      for (const c of [1, 3]) {
        const img = noisy(h, w, c, h * w + top + c);
        const cropped: ImageU8 = {
          data: cropPlanes(img.data, 1, h, w, c, top, left, ch, cw),
          height: ch,
          width: cw,
          channels: c,
        };
        for (const antialias of [true, false]) {
          const label = `${h}x${w} [${top}, ${left}, ${ch}, ${cw}] -> ${oh}x${ow} c ${c} antialias ${antialias}`;
          const want = bothPaths(() => resizeBilinear(cropped, oh, ow, antialias).data);
          const win = { top, left, height: ch, width: cw };
          const got = bothPaths(() => resizeBilinear(img, oh, ow, antialias, win).data);
          expect(want.wasm, label).toEqual(want.js);
          expect(got.js, label).toEqual(want.js);
          expect(got.wasm, label).toEqual(want.js);
        }
      }
    }
  });

  it('rejects a window outside the image', () => {
    const img = noisy(10, 10, 3, 1);
    expect(() => resizeBilinear(img, 4, 4, true, { top: 2, left: 3, height: 9, width: 4 })).toThrow(
      /resizeBilinear: crop: expected a window inside the 10x10 image, got top 2, left 3, height 9, width 4/,
    );
  });
});

describe('wasm HSV jitter', () => {
  it('gives the JavaScript bytes for many gains (hue wrap, saturation and value clipping), odd sizes', () => {
    // (pixel counts 1, 2, 3 and 0 mod 4: the kernel takes 4 pixels per step)
    for (const [h, w] of [
      [1, 1],
      [2, 3],
      [7, 13],
      [5, 5],
      [64, 64],
    ] as const) {
      const img = noisy(h, w, 3, 5 * h + w);
      for (const gains of [
        [1, 1, 1],
        [1.01, 0.8, 1.2],
        [0.5, 1.7, 0.3],
        [1.5, 0, 2],
        [0, 2.5, 1],
      ] as [number, number, number][]) {
        const { js, wasm } = bothPaths(() => hsvGains(img, gains).data);
        expect(wasm, `${h}x${w} gains ${gains}`).toEqual(js);
      }
    }
  });

  it('gives the JavaScript bytes on every RGB triple (2^24 pixels) with gains that move all three channels', () => {
    const data = new Uint8Array(3 << 24);
    for (let i = 0, p = 0; p < 1 << 24; p++, i += 3) {
      data[i] = p >>> 16;
      data[i + 1] = (p >>> 8) & 255;
      data[i + 2] = p & 255;
    }
    const img: ImageU8 = { data, height: 4096, width: 4096, channels: 3 };
    const { js, wasm } = bothPaths(() => hsvGains(img, [1.3, 0.7, 1.1]).data);
    expect(Buffer.compare(Buffer.from(wasm), Buffer.from(js))).toBe(0);
  });

  it("rounds as the JS path's float64 in 24-bit fixed point: every (value, factor) pair, u32 without overflow", () => {
    const m = hsvMultipliers();
    const fixed = hsvFixedFactors();
    expect(fixed.length).toBe(m.length);
    let differ = 0;
    let low = 0;
    let top = 0;
    for (let i = 0; i < m.length; i++) {
      const f = m[i]!;
      const q = fixed[i]!;
      low = Math.min(low, q);
      top = Math.max(top, 255 * q + 2 ** 23);
      // The kernel's (v M + 2^23) >> 24 on u32 lanes beside the JS path's trunc(v m + 0.5).
      for (let v = 0; v < 256; v++) if (Math.floor((v * q + 2 ** 23) / 2 ** 24) !== Math.trunc(v * f + 0.5)) differ++;
    }
    expect(differ).toBe(0);
    expect(low).toBe(0);
    expect(top).toBeLessThan(2 ** 32);
  });

  it('has the hue before its wrap in [-30, 150] (the kernel indexes its hue table from -30)', () => {
    let lo = 0;
    let hi = 0;
    for (let diff = 1; diff < 256; diff++) {
      // g - b, b - r + 2 diff or r - g + 4 diff, by the maximum's channel: -diff to 5 diff
      for (let num = -diff; num <= 5 * diff; num++) {
        const h = (num * HDIV[diff]! + 2048) >> 12;
        lo = Math.min(lo, h);
        hi = Math.max(hi, h);
      }
    }
    expect([lo, hi]).toEqual([-30, 150]);
  });
});

describe('wasm affine warp interior runs', () => {
  it('give the JavaScript bytes: rotations, expand, fill, scale and shear, odd sizes', () => {
    const cases: { deg: number; opts: Parameters<typeof rotate>[2] }[] = [
      { deg: 15, opts: { interpolation: 'bilinear' } },
      { deg: -33.3, opts: { interpolation: 'bilinear', fill: [10, 300, -5] } },
      { deg: 90, opts: { interpolation: 'bilinear', expand: true } },
      { deg: 7.5, opts: { interpolation: 'bilinear', expand: true, fill: 77 } },
      { deg: 180, opts: { interpolation: 'bilinear' } },
      { deg: 0.01, opts: { interpolation: 'bilinear' } },
      { deg: 45, opts: { interpolation: 'bilinear', expand: true } },
      { deg: -90, opts: { interpolation: 'bilinear' } },
    ];
    // Runs of every length and parity, pairs cut by the edge after their first pixel, 1- and 2-pixel images.
    for (const [h, w] of [
      [1, 1],
      [2, 2],
      [2, 3],
      [3, 3],
      [1, 9],
      [9, 1],
      [5, 64],
      [37, 53],
      [64, 48],
    ] as const) {
      const image = noisy(h, w, 3, h * 3 + w);
      for (const { deg, opts } of cases) {
        const { js, wasm } = bothPaths(() => rotate({ image, canvasSize: [h, w] }, deg, opts).image!.data);
        expect(wasm, `${h}x${w} rotate ${deg}`).toEqual(js);
      }
      const { js, wasm } = bothPaths(
        () =>
          affine(
            { image, canvasSize: [h, w] },
            { angle: 7, translate: [2, -3], scale: 1.7, shear: [12, -4], interpolation: 'bilinear', fill: 5 },
          ).image!.data,
      );
      expect(wasm).toEqual(js);
    }
  });

  it('give the JavaScript bytes where sums are halves (ties to even): scales 2 and 1/2, half-pixel shifts', () => {
    // Scale 1/2 of an even size samples at x.5 (weights 1/2), scale 2 at x.25 and x.75: many sums end in .5.
    for (const [h, w] of [
      [16, 24],
      [15, 21],
      [2, 2],
    ] as const) {
      const image = noisy(h, w, 3, h + w);
      for (const scale of [0.5, 2, 1, 1.5]) {
        for (const translate of [
          [0, 0],
          [0.5, 0],
          [0.25, -0.5],
        ] as const) {
          const { js, wasm } = bothPaths(
            () => affine({ image, canvasSize: [h, w] }, { scale, translate, interpolation: 'bilinear' }).image!.data,
          );
          expect(wasm, `${h}x${w} scale ${scale} translate ${translate}`).toEqual(js);
        }
      }
    }
  });
});

describe('wasm Gaussian noise', () => {
  it('gives the JavaScript bytes and advances the caller generator the same (odd lengths, mean, clipping)', () => {
    for (const [h, w, c] of [
      [1, 1, 1],
      [3, 5, 3],
      [31, 47, 3],
      [16, 16, 4],
      [101, 113, 3], // 34,239 values: past one 32 KB chunk, the stream carried over an even boundary
      [97, 339, 1], // odd, three chunks
    ] as const) {
      const img = noisy(h, w, c, h + w + c);
      for (const [std, mean] of [
        [10, 0],
        [0, 0],
        [40, -30],
        [3.3, 200],
      ] as const) {
        const { js, wasm } = bothPaths(() => {
          const rng = new Rng(h * 1000 + w);
          return [gaussianNoise(img, rng, std, mean).data, Uint8Array.of(rng.nextUint32() & 255)];
        });
        expect(wasm, `${h}x${w}x${c} std ${std} mean ${mean}`).toEqual(js);
      }
    }
  });
});

describe('why the HSV kernel does not round in float32', () => {
  it('float32 would round 572 (value, factor) pairs of trunc(v m + 0.5) the other way (hence its fitted integers)', () => {
    const f = Math.fround;
    let differ = 0;
    for (const m of new Set(hsvMultipliers())) {
      for (let v = 0; v < 256; v++) if (Math.floor(f(f(v * m) + 0.5)) !== Math.floor(v * m + 0.5)) differ++;
    }
    expect(differ).toBe(572);
  });
});
