import { Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, brightnessContrastAdjust } from './color.js';
import { compose, oneOf, randomApply, someOf } from './compose.js';
import { patternImage } from './internal/test-images.js';
import { letterbox, letterboxInverseBoxes } from './letterbox.js';
import type { Sample } from './sample.js';
import { augment, drawUniform, type Transform } from './transform.js';
import {
  Letterbox,
  RandomAffine,
  RandomCrop,
  RandomHorizontalFlip,
  RandomPerspective,
  RandomResizedCrop,
  RandomRotation,
  RandomVerticalFlip,
  Resize,
  resizedCropParams,
} from './transforms-geometric.js';
import {
  ChannelShift,
  ColorJitter,
  GaussianBlur,
  GaussianNoise,
  GridDropout,
  HsvJitter,
  PcaLighting,
  RandomBrightnessContrast,
  RandomErasing,
  RandomGrayscale,
} from './transforms-pixel.js';

function detectionSample(): Sample<string> {
  const h = 48;
  const w = 64;
  const masks = new Uint8Array(2 * h * w);
  for (let y = 10; y < 20; y++) for (let x = 8; x < 24; x++) masks[y * w + x] = 1;
  for (let y = 30; y < 44; y++) for (let x = 40; x < 60; x++) masks[h * w + y * w + x] = 1;
  return {
    image: patternImage(h, w),
    boxes: Float32Array.of(8, 10, 24, 20, 40, 30, 60, 44),
    labels: ['cat', 'dog'],
    masks,
    keypoints: Float32Array.of(16, 15, 50, 37),
    canvasSize: [h, w],
  };
}

const ALL: Transform[] = [
  new RandomHorizontalFlip({ p: 0.5 }),
  new RandomVerticalFlip({ p: 0.5 }),
  new RandomRotation(20, { interpolation: 'bilinear' }),
  new RandomAffine(10, { translate: [0.1, 0.1], scale: [0.8, 1.2], shear: 5 }),
  new RandomCrop([40, 56]),
  new RandomResizedCrop([32, 32]),
  new RandomPerspective({ p: 1 }),
  new Resize([24, 32]),
  new Letterbox([64, 64]),
  new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
  new HsvJitter(),
  new RandomBrightnessContrast(),
  new ChannelShift(),
  new PcaLighting(),
  new GaussianNoise({ std: [5, 15] }),
  new RandomGrayscale({ p: 0.5 }),
  new GaussianBlur(5),
  new RandomErasing({ p: 1 }),
  new GridDropout(),
];

describe('determinism', () => {
  for (const t of ALL) {
    it(`${t.name}: same seed -> identical output; other seeds -> different output (when random)`, () => {
      const s = detectionSample();
      const a = augment(t, s, 42);
      const b = augment(t, s, 42);
      expect(a.image!.data).toEqual(b.image!.data);
      expect(a.boxes).toEqual(b.boxes);
      expect(a.masks).toEqual(b.masks);
      expect(a.canvasSize).toEqual([a.image!.height, a.image!.width]);
      expect(a.masks!.length).toBe(2 * a.canvasSize[0] * a.canvasSize[1]);
      if (t.name === 'Resize' || t.name === 'Letterbox') return;
      const differs = [1, 2, 3, 4, 5, 6, 7, 8].some((seed) => {
        const c = augment(t, s, seed);
        return c.image!.data.length !== a.image!.data.length || c.image!.data.some((v, i) => v !== a.image!.data[i]);
      });
      expect(differs).toBe(true);
    });
  }

  it('a pipeline draws once per call and applies the same geometry to image, boxes, masks and keypoints', () => {
    const pipeline = compose([new RandomHorizontalFlip({ p: 1 }), new RandomRotation([90, 90], { expand: true })]);
    const out = augment(pipeline, detectionSample(), 7);
    // hflip then a quarter turn counter-clockwise of a 48x64 canvas: (x, y) -> (y, W - 1 - (W - 1 - x)) = (y, x).
    expect(out.canvasSize).toEqual([64, 48]);
    // Each mask's box and the transformed box agree.
    for (let k = 0; k < 2; k++) {
      const plane = out.masks!.subarray(k * 64 * 48, (k + 1) * 64 * 48);
      let x1 = 1e9;
      let y1 = 1e9;
      let x2 = -1;
      let y2 = -1;
      plane.forEach((v, i) => {
        if (!v) return;
        const y = Math.floor(i / 48);
        const x = i % 48;
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      });
      const b = [...out.boxes!.subarray(4 * k, 4 * k + 4)].map((v) => Math.round(v));
      expect(b).toEqual([x1, y1, x2, y2]);
    }
    expect(out.labels).toEqual(['cat', 'dog']);
  });
});

describe('RandomBrightnessContrast', () => {
  it('draws alpha = 1 + U(contrastLimit), then beta = U(brightnessLimit), and applies brightnessContrastAdjust', () => {
    const image = patternImage(21, 34);
    const t = new RandomBrightnessContrast({ brightnessLimit: [-0.3, 0.1], contrastLimit: 0.4 });
    for (let seed = 0; seed < 8; seed++) {
      const got = t.apply({ image, canvasSize: [21, 34] }, new Rng(seed)).image!;
      const rng = new Rng(seed);
      const alpha = 1 + drawUniform(rng, -0.4, 0.4);
      const beta = drawUniform(rng, -0.3, 0.1);
      expect(got.data, `seed ${seed}`).toEqual(brightnessContrastAdjust(image, alpha, beta).data);
    }
    expect(() => new RandomBrightnessContrast({ contrastLimit: [0.2, -0.2] })).toThrow(
      /RandomBrightnessContrast: contrastLimit: expected min <= max/,
    );
  });
});

describe('ColorJitter', () => {
  it('gives the bytes of the four exact ops in its drawn order (brightness + contrast fused when adjacent)', () => {
    const image = patternImage(37, 53);
    const ranges: ([number, number] | undefined)[][] = [
      [
        [0.6, 1.4],
        [0.5, 1.5],
        [0.7, 1.3],
        [-0.1, 0.1],
      ],
      [[0.6, 1.4], [0.5, 1.5], undefined, undefined],
      [[0.6, 1.4], undefined, [0.7, 1.3], undefined],
      [undefined, [0.5, 1.5], [0.7, 1.3], [-0.1, 0.1]],
    ];
    let adjacent = 0;
    for (const [b, c, s, h] of ranges) {
      const jitter = new ColorJitter({ brightness: b, contrast: c, saturation: s, hue: h });
      for (let seed = 0; seed < 24; seed++) {
        const got = jitter.apply({ image, canvasSize: [37, 53] }, new Rng(seed)).image!;
        const rng = new Rng(seed);
        const order = rng.permutation(4);
        const factors = [b, c, s, h].map((r) => (r ? drawUniform(rng, r[0], r[1]) : undefined));
        const applied = [...order].filter((k) => factors[k] !== undefined);
        for (let i = 0; i + 1 < applied.length; i++) if (applied[i]! + applied[i + 1]! === 1) adjacent++;
        let want = image;
        for (const k of applied) {
          const f = factors[k]!;
          want = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue][k]!(want, f);
        }
        expect(got.data, `ranges ${JSON.stringify([b, c, s, h])} seed ${seed}`).toEqual(want.data);
      }
    }
    expect(adjacent).toBeGreaterThan(10); // the fused path ran
  });
});

describe('RandomResizedCrop parameters', () => {
  it('follow torchvision: area and ratio within range, crop inside the image', () => {
    const rng = new Rng(3);
    for (let k = 0; k < 200; k++) {
      const [top, left, h, w] = resizedCropParams(rng, [100, 150], [0.08, 1], [3 / 4, 4 / 3]);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top + h).toBeLessThanOrEqual(100);
      expect(left + w).toBeLessThanOrEqual(150);
      expect((h * w) / 15000).toBeLessThanOrEqual(1.02);
      expect(w / h).toBeGreaterThan(0.7);
      expect(w / h).toBeLessThan(1.4);
    }
    // Impossible ranges fall back to a centre crop with the ratio clamped.
    expect(resizedCropParams(new Rng(1), [10, 100], [2, 3], [1, 1])).toEqual([0, 45, 10, 10]);
  });
});

describe('combinators', () => {
  const tag = (name: string): Transform => ({
    name,
    apply: <L>(s: Sample<L>) => ({ ...s, labels: [...(s.labels ?? []), name as L] }),
  });
  const base: Sample<string> = { canvasSize: [4, 4], boxes: new Float32Array(0), labels: [] };

  it('oneOf applies exactly one (by weight), someOf n distinct, randomApply with p', () => {
    const counts = { a: 0, b: 0 };
    const rng = new Rng(5);
    const pick = oneOf([tag('a'), tag('b')], [3, 1]);
    for (let i = 0; i < 2000; i++) {
      const out = pick.apply(base, rng);
      expect(out.labels!.length).toBe(1);
      counts[out.labels![0] as 'a' | 'b']++;
    }
    expect(counts.a / 2000).toBeGreaterThan(0.7);
    expect(counts.a / 2000).toBeLessThan(0.8);
    const some = someOf([tag('a'), tag('b'), tag('c')], 2);
    const orders = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const l = some.apply(base, rng).labels!;
      expect(new Set(l).size).toBe(2);
      orders.add(l.join(''));
    }
    expect(orders.size).toBe(6);
    let applied = 0;
    const maybe = randomApply([tag('x'), tag('y')], 0.25);
    for (let i = 0; i < 2000; i++) {
      const l = maybe.apply(base, rng).labels!;
      if (l.length) {
        expect(l).toEqual(['x', 'y']);
        applied++;
      }
    }
    expect(applied / 2000).toBeGreaterThan(0.2);
    expect(applied / 2000).toBeLessThan(0.3);
  });

  it('compose drops boxes below the visibility threshold with their labels', () => {
    const s: Sample<string> = {
      canvasSize: [20, 20],
      boxes: Float32Array.of(0, 0, 10, 10, 2, 2, 6, 6),
      labels: ['big', 'small'],
    };
    const t = compose([new RandomCrop([10, 10])], { boxFilter: { minVisibility: 0.9 } });
    for (let seed = 0; seed < 20; seed++) {
      const out = augment(t, s, seed);
      expect(out.labels!.length).toBe(out.boxes!.length / 4);
    }
    const cropped = compose(
      [{ name: 'fixedCrop', apply: (x) => ({ ...x, boxes: Float32Array.of(-5, 0, 5, 10, 2, 2, 6, 6) }) }],
      {
        boxFilter: { minVisibility: 0.9 },
      },
    ).apply(s, new Rng(0));
    expect(cropped.labels).toEqual(['small']);
  });

  it('bad arguments throw typed errors naming the transform', () => {
    expect(() => new RandomHorizontalFlip({ p: 1.5 })).toThrow(/RandomHorizontalFlip: p/);
    expect(() => new RandomRotation([10, -10])).toThrow(/RandomRotation: degrees: expected min <= max/);
    expect(() => new ColorJitter({ hue: 0.7 })).toThrow(/ColorJitter: hue/);
    expect(() => new RandomResizedCrop([10, 10], { scale: [0.5, 0.1] })).toThrow(/RandomResizedCrop: scale/);
    expect(() => new GaussianBlur(4)).toThrow(/GaussianBlur: kernelSize/);
    expect(() => randomApply(new RandomVerticalFlip(), -0.1)).toThrow(/randomApply: p/);
    expect(() => someOf([new RandomVerticalFlip()], 2)).toThrow(/someOf: n/);
    expect(() => augment(new RandomVerticalFlip(), detectionSample(), 1.5)).toThrow(/augment: seed/);
    expect(() => new RandomVerticalFlip().apply(detectionSample(), 3 as unknown as Rng)).toThrow(
      /RandomVerticalFlip: rng/,
    );
    expect(() => augment(new RandomCrop([100, 10]), detectionSample(), 1)).toThrow(/RandomCrop: size/);
  });
});

describe('letterbox', () => {
  it('fits, centres, pads with 114 and inverts the box transform', () => {
    const s = detectionSample();
    const { sample, params } = letterbox(s, [64, 64]);
    expect(sample.canvasSize).toEqual([64, 64]);
    expect(params.pad).toEqual([8, 0]);
    expect(sample.image!.data[0]).toBe(114);
    expect(sample.image!.data[8 * 64 * 3]).toBe(s.image!.data[0]);
    expect([...sample.boxes!.subarray(0, 4)]).toEqual([8, 18, 24, 28]);
    const back = letterboxInverseBoxes(sample.boxes!, params);
    expect([...back]).toEqual([...s.boxes!]);
  });
});
