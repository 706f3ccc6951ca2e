import { DTypeError, ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { affine, crop, horizontalFlip, perspective, resize, resizedCrop, rotate, verticalFlip } from './geometric.js';
import { patternImage, px, smoothImage } from './internal/test-images.js';
import type { Sample } from './sample.js';

function sampleOf(h: number, w: number, extra: Partial<Sample> = {}): Sample {
  return { image: patternImage(h, w), canvasSize: [h, w], ...extra };
}

describe('flips', () => {
  it('mirror the image, masks, keypoints and boxes together', () => {
    const masks = new Uint8Array(2 * 4 * 5);
    masks[0 * 20 + 1 * 5 + 0] = 1; // mask 0: (y 1, x 0)
    masks[1 * 20 + 3 * 5 + 4] = 1; // mask 1: (y 3, x 4)
    const s = sampleOf(4, 5, {
      boxes: Float32Array.of(0, 1, 2, 3, 1, 0, 5, 4),
      labels: ['a', 'b'],
      masks,
      keypoints: Float32Array.of(0, 0, 4, 3),
    });
    const h = horizontalFlip(s);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 5; x++)
        for (let k = 0; k < 3; k++) expect(px(h.image!, y, x, k)).toBe(px(s.image!, y, 4 - x, k));
    expect([...h.boxes!]).toEqual([3, 1, 5, 3, 0, 0, 4, 4]);
    expect(h.labels).toEqual(['a', 'b']);
    expect(h.masks![1 * 5 + 4]).toBe(1);
    expect(h.masks![20 + 3 * 5 + 0]).toBe(1);
    expect([...h.keypoints!]).toEqual([4, 0, 0, 3]);
    const v = verticalFlip(s);
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 5; x++) expect(px(v.image!, y, x, 2)).toBe(px(s.image!, 3 - y, x, 2));
    expect([...v.boxes!]).toEqual([0, 1, 2, 3, 1, 0, 5, 4]);
    expect([...v.keypoints!]).toEqual([0, 3, 4, 0]);
    expect(horizontalFlip(h).image!.data).toEqual(s.image!.data);
  });

  it('keep the box format and normalisation', () => {
    const s: Sample = {
      canvasSize: [10, 20],
      boxes: Float32Array.of(0.25, 0.5, 0.1, 0.2),
      boxFormat: 'cxcywh',
      normalized: true,
    };
    const out = horizontalFlip(s).boxes!;
    expect(out[0]).toBeCloseTo(0.75, 6);
    expect(out[1]).toBeCloseTo(0.5, 6);
    expect(out[2]).toBeCloseTo(0.1, 6);
    expect(out[3]).toBeCloseTo(0.2, 6);
  });

  it('drop boxes (with labels and per-box masks) below the visibility threshold when asked', () => {
    const s: Sample = {
      canvasSize: [10, 10],
      boxes: Float32Array.of(0, 0, 4, 4, 8, 8, 14, 14),
      labels: [1, 2],
      masks: new Uint8Array(200).fill(1, 100, 200),
    };
    const out = horizontalFlip(s, { boxFilter: { minVisibility: 0.5 } });
    expect(out.labels).toEqual([1]);
    expect([...out.boxes!]).toEqual([6, 0, 10, 4]);
    expect(out.masks!.length).toBe(100);
    expect(out.masks!.every((v) => v === 0)).toBe(true);
  });
});

describe('crop', () => {
  it('copies the region and pads outside the image with zeros', () => {
    const s = sampleOf(6, 8, { keypoints: Float32Array.of(3, 2) });
    const out = crop(s, 2, 3, 3, 4);
    expect(out.image!.height).toBe(3);
    expect(out.image!.width).toBe(4);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++) expect(px(out.image!, y, x, 1)).toBe(px(s.image!, y + 2, x + 3, 1));
    expect([...out.keypoints!]).toEqual([0, 0]);
    const padded = crop(s, -1, 6, 3, 4);
    expect(px(padded.image!, 0, 0)).toBe(0);
    expect(px(padded.image!, 1, 0)).toBe(px(s.image!, 0, 6));
    expect(px(padded.image!, 1, 2)).toBe(0);
  });
});

describe('rotate and affine', () => {
  it('rotate by 90 with expand is torch.rot90 (counter-clockwise) and swaps the canvas', () => {
    const s = sampleOf(3, 5);
    const out = rotate(s, 90, { expand: true });
    expect(out.canvasSize).toEqual([5, 3]);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) expect(px(out.image!, i, j)).toBe(px(s.image!, j, 4 - i));
  });

  it('the general warp at 180 degrees equals the exact half turn (pixel-centre convention)', () => {
    const s = sampleOf(7, 9);
    const warped = affine(s, { angle: 180 });
    const exact = rotate(s, 180);
    expect(warped.image!.data).toEqual(exact.image!.data);
    for (let y = 0; y < 7; y++)
      for (let x = 0; x < 9; x++) expect(px(exact.image!, y, x)).toBe(px(s.image!, 6 - y, 8 - x));
  });

  it('a half-pixel bilinear translation averages neighbours; outside pixels take the fill', () => {
    const s = { image: smoothImage(6, 8), canvasSize: [6, 8] as [number, number] };
    const out = affine(s, { translate: [0.5, 0], interpolation: 'bilinear' });
    for (let y = 0; y < 6; y++) {
      for (let x = 1; x < 8; x++) {
        const expected = (px(s.image, y, x - 1, 0) + px(s.image, y, x, 0)) / 2;
        const r = Math.round(expected);
        const even = r - expected === 0.5 && r % 2 === 1 ? r - 1 : r;
        expect(px(out.image!, y, x, 0)).toBe(even);
      }
    }
    const shifted = affine(s, { translate: [3, 0], fill: [10, 20, 30] });
    expect([0, 1, 2].map((k) => px(shifted.image!, 2, 1, k))).toEqual([10, 20, 30]);
    expect(px(shifted.image!, 2, 5, 0)).toBe(px(s.image, 2, 2, 0));
  });

  it('rotates masks with nearest and keypoints with the box matrix', () => {
    const masks = new Uint8Array(16);
    masks[1 * 4 + 0] = 1;
    const s: Sample = { canvasSize: [4, 4], masks, keypoints: Float32Array.of(0.5, 1.5) };
    const out = rotate(s, -90);
    // Clockwise quarter turn of a square: (y 1, x 0) -> (y 0, x 2).
    expect(out.masks![0 * 4 + 2]).toBe(1);
    expect(out.masks!.reduce((a, b) => a + b, 0)).toBe(1);
    expect(out.keypoints![0]).toBeCloseTo(2.5, 5);
    expect(out.keypoints![1]).toBeCloseTo(0.5, 5);
  });

  it('expands the canvas to hold the rotated image', () => {
    const s = sampleOf(80, 120);
    const out = rotate(s, 30, { expand: true, interpolation: 'bilinear' });
    expect(out.canvasSize).toEqual([out.image!.height, out.image!.width]);
    expect(out.image!.width).toBe(Math.ceil(120 * Math.cos(Math.PI / 6) + 80 * 0.5));
    expect(out.image!.height).toBe(Math.ceil(120 * 0.5 + 80 * Math.cos(Math.PI / 6)));
    expect(px(out.image!, 0, 0)).toBe(0);
  });
});

describe('visibility filter on warps', () => {
  it('drops a box pushed mostly off the canvas together with its label and mask', () => {
    const masks = new Uint8Array(2 * 40 * 40);
    for (let y = 5; y < 15; y++) for (let x = 2; x < 12; x++) masks[y * 40 + x] = 1;
    for (let y = 20; y < 30; y++) for (let x = 20; x < 30; x++) masks[1600 + y * 40 + x] = 1;
    const s: Sample<string> = {
      canvasSize: [40, 40],
      boxes: Float32Array.of(2, 5, 12, 15, 20, 20, 30, 30),
      labels: ['edge', 'centre'],
      masks,
    };
    const kept = affine(s, { translate: [-8, 0] });
    expect(kept.labels).toEqual(['edge', 'centre']);
    expect([...kept.boxes!.subarray(0, 4)]).toEqual([0, 5, 4, 15]);
    const out = affine(s, { translate: [-8, 0], boxFilter: { minVisibility: 0.5 } });
    expect(out.labels).toEqual(['centre']);
    expect([...out.boxes!]).toEqual([12, 20, 22, 30]);
    expect(out.masks!.length).toBe(1600);
    expect(out.masks![25 * 40 + 12]).toBe(1);
    expect(out.masks![25 * 40 + 11]).toBe(0);
  });
});

describe('box rules', () => {
  it("'ellipse' bounds the rotated inscribed ellipse: tighter than the corner envelope", () => {
    const s: Sample = { canvasSize: [100, 100], boxes: Float32Array.of(40, 40, 60, 60) };
    const env = rotate(s, 45).boxes!;
    const ell = rotate(s, 45, { boxRule: 'ellipse' }).boxes!;
    expect(env[2]! - env[0]!).toBeCloseTo(20 * Math.SQRT2, 4);
    expect(ell[2]! - ell[0]!).toBeCloseTo(20, 4);
    expect(ell[0]! + ell[2]!).toBeCloseTo(100, 4);
    const wide: Sample = { canvasSize: [100, 100], boxes: Float32Array.of(30, 45, 70, 55) };
    const quarter = rotate(wide, 90, { boxRule: 'ellipse' }).boxes!;
    expect([...quarter].map((v) => Math.round(v * 1e3) / 1e3)).toEqual([45, 30, 55, 70]);
    expect(() => rotate(s, 10, { boxRule: 'circle' as 'ellipse' })).toThrow(/rotate: boxRule/);
  });
});

describe('resize', () => {
  it('keeps a constant image constant and resizes masks with nearest', () => {
    const image = { data: new Uint8Array(30 * 40 * 3).fill(77), height: 30, width: 40, channels: 3 };
    const masks = new Uint8Array(30 * 40);
    masks[0] = 1;
    const out = resize({ image, masks, canvasSize: [30, 40], keypoints: Float32Array.of(10, 10) }, [15, 60]);
    expect(out.image!.data.every((v) => v === 77)).toBe(true);
    expect(out.masks!.length).toBe(15 * 60);
    expect(out.masks![0]).toBe(1);
    expect(out.masks![1]).toBe(1); // 60/40: output x 1 -> floor(1 * 0.667) = 0
    expect(out.masks![2]).toBe(0);
    expect([...out.keypoints!]).toEqual([15, 5]);
  });

  it('antialiased downscaling matches a float triangle-filter reference within one level', () => {
    const s = { image: patternImage(24, 32), canvasSize: [24, 32] as [number, number] };
    const out = resize(s, [10, 12]).image!;
    const ref = referenceResize(s.image, 10, 12);
    let maxDiff = 0;
    for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - out.data[i]!));
    expect(maxDiff).toBeLessThanOrEqual(1);
    const up = resize(s, [48, 64], { antialias: false }).image!;
    // Upsampling by 2: output (10, 21) sits at input (y 4.75, x 10.25).
    const p = (y: number, x: number) => px(s.image, y, x, 2);
    const expected = 0.25 * (0.75 * p(4, 10) + 0.25 * p(4, 11)) + 0.75 * (0.75 * p(5, 10) + 0.25 * p(5, 11));
    expect(Math.abs(px(up, 10, 21, 2) - expected)).toBeLessThanOrEqual(0.5);
  });

  it('nearest resize of the image picks floor(i * in / out)', () => {
    const s = sampleOf(4, 6);
    const out = resize(s, [2, 3], { interpolation: 'nearest' }).image!;
    expect(px(out, 1, 2)).toBe(px(s.image!, 2, 4));
  });
});

describe('resizedCrop', () => {
  it('equals resize(crop(...)) for image, boxes, labels, masks and keypoints, inside and past the image', () => {
    const h = 40;
    const w = 56;
    const masks = new Uint8Array(2 * h * w);
    for (let i = 0; i < masks.length; i++) masks[i] = (i * 7) % 5 === 0 ? 1 : 0;
    const s: Sample<string> = {
      image: patternImage(h, w),
      masks,
      boxes: Float32Array.of(2, 3, 30, 20, 40, 25, 55, 39),
      labels: ['a', 'b'],
      keypoints: Float32Array.of(10, 12, 50, 30),
      canvasSize: [h, w],
    };
    const windows: [number, number, number, number][] = [
      [5, 7, 30, 41],
      [0, 0, h, w],
      [0, 10, h, 30],
      [-4, 30, 20, 40], // past the top and right edges: padded with zeros, the copying path
    ];
    for (const [top, left, ch, cw] of windows) {
      for (const opts of [{}, { antialias: false }, { interpolation: 'nearest' as const }]) {
        for (const size of [
          [17, 23],
          [ch, cw],
          [64, 80],
        ] as [number, number][]) {
          const boxFilter = { minVisibility: 0.5 };
          const want = resize(crop(s, top, left, ch, cw, { boxFilter }), size, opts);
          const got = resizedCrop(s, top, left, ch, cw, size, { ...opts, boxFilter });
          expect(got, `[${top}, ${left}, ${ch}, ${cw}] -> ${size} ${JSON.stringify(opts)}`).toEqual(want);
        }
      }
    }
  });

  it('names itself and the argument in errors', () => {
    const s = sampleOf(10, 10);
    expect(() => resizedCrop(s, 0.5, 0, 5, 5, [4, 4])).toThrow(/resizedCrop: top/);
    expect(() => resizedCrop(s, 0, 0, 5, 5, [0, 4])).toThrow(/resizedCrop: size/);
    expect(() => resizedCrop(s, 0, 0, 5, 5, [4, 4], { interpolation: 'cubic' as 'nearest' })).toThrow(
      /resizedCrop: interpolation/,
    );
  });
});

describe('perspective', () => {
  it('identity points leave the image unchanged; boxes follow a shift', () => {
    const s = sampleOf(10, 12, { boxes: Float32Array.of(2, 2, 6, 6) });
    const pts: [number, number][] = [
      [0, 0],
      [11, 0],
      [11, 9],
      [0, 9],
    ];
    expect(perspective(s, pts, pts).image!.data).toEqual(s.image!.data);
    const shifted = pts.map(([x, y]) => [x + 2, y + 1] as [number, number]);
    const out = perspective(s, pts, shifted);
    const b = out.boxes!;
    expect([b[0], b[1], b[2], b[3]].map((v) => Math.round(v! * 1e4) / 1e4)).toEqual([4, 3, 8, 7]);
    expect(px(out.image!, 5, 5)).toBe(px(s.image!, 4, 3));
  });
});

describe('bad input', () => {
  it('throws typed errors naming the op and the argument', () => {
    const s = sampleOf(4, 4);
    expect(() => horizontalFlip({ ...s, image: { ...s.image!, channels: 2, data: new Uint8Array(32) } })).toThrow(
      ShapeError,
    );
    expect(() =>
      horizontalFlip({ ...s, image: { ...s.image!, data: new Float32Array(48) as unknown as Uint8Array } }),
    ).toThrow(DTypeError);
    expect(() => horizontalFlip({ ...s, boxes: Float32Array.of(3, 0, 1, 2) })).toThrow(/x2 >= x1/);
    expect(() => horizontalFlip({ ...s, boxes: Float32Array.of(5, 0, 9, 2) })).toThrow(
      /horizontalFlip: sample.boxes\[0\].*outside/,
    );
    expect(() => horizontalFlip({ ...s, boxes: Float32Array.of(4, 4, 4, 4) })).not.toThrow();
    expect(() => horizontalFlip({ ...s, boxes: Float32Array.of(0, 0, 1, 2), labels: [1, 2] })).toThrow(ShapeError);
    expect(() => horizontalFlip({ ...s, canvasSize: [5, 4] })).toThrow(/canvasSize/);
    expect(() => rotate(s, Number.NaN)).toThrow(/rotate: degrees/);
    expect(() => rotate(s, 10, { interpolation: 'cubic' as 'nearest' })).toThrow(/rotate: interpolation/);
    expect(() => affine(s, { scale: 0 })).toThrow(/affine: scale/);
    expect(() => crop(s, 0, 0, 0, 2)).toThrow(/crop: height/);
    expect(() => resize(s, [2.5, 3])).toThrow(/resize: size/);
    expect(() => horizontalFlip(s, { boxFilter: { minVisibility: 2 } })).toThrow(/minVisibility/);
    expect(() => affine(s, { fill: [1, 2] })).toThrow(/affine: fill/);
  });
});

/** Float reference of torch's antialiased bilinear (`_upsample_bilinear2d_aa`), separable, rounded once. */
function referenceResize(
  img: { data: Uint8Array; height: number; width: number; channels: number },
  oh: number,
  ow: number,
): Float64Array {
  const weights = (inSize: number, outSize: number) => {
    const scale = inSize / outSize;
    const support = Math.max(scale, 1);
    return Array.from({ length: outSize }, (_, i) => {
      const center = scale * (i + 0.5);
      const lo = Math.max(Math.trunc(center - support + 0.5), 0);
      const hi = Math.min(Math.trunc(center + support + 0.5), inSize);
      const ws: [number, number][] = [];
      for (let j = lo; j < hi; j++) ws.push([j, Math.max(0, 1 - Math.abs((j - center + 0.5) / support))]);
      const total = ws.reduce((a, [, v]) => a + v, 0);
      return ws.map(([j, v]) => [j, v / total] as [number, number]);
    });
  };
  const wx = weights(img.width, ow);
  const wy = weights(img.height, oh);
  const c = img.channels;
  const out = new Float64Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      for (let k = 0; k < c; k++) {
        let v = 0;
        for (const [sy, a] of wy[y]!)
          for (const [sx, b] of wx[x]!) v += a * b * img.data[(sy * img.width + sx) * c + k]!;
        out[(y * ow + x) * c + k] = Math.round(v);
      }
    }
  }
  return out;
}
