/**
 * `moveTargets` against the CPU twins, on the CPU only (no GPU device: `drawStepParams` needs none). Per step list
 * and seed, the params are drawn as `WebGpuAugmenter.run` draws them (`new Rng(seed)`, the canvas following each
 * resize), applied to a sample's targets, and compared with `cpuPipeline(steps).apply(sample, new Rng(seed))`:
 * canvas size, labels and masks exactly, boxes (xyxy pixels, and cxcywh normalised) and keypoints within 1e-4.
 */
import { Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { compose } from '../compose.js';
import { patternImage } from '../internal/test-images.js';
import { pixelXyxyToBoxes, type Sample } from '../sample.js';
import type { Transform } from '../transform.js';
import {
  RandomAffine,
  RandomHorizontalFlip,
  RandomRotation,
  RandomVerticalFlip,
  Resize,
} from '../transforms-geometric.js';
import { cpuPipeline, drawStepParams, type GpuStep, type StepParams } from './steps.js';
import { moveTargets } from './targets.js';

const SEEDS = Array.from({ length: 30 }, (_, k) => 1000 + 7 * k);

/** Box 0 sits near the top-left corner (a rotation pushes it partly out), box 4 in the corner (a filter drops it). */
const XYXY = [2, 3, 20, 18, 10, 8, 40, 30, 30, 20, 51, 35, 0, 0, 52, 36, 0, 0, 4, 3];

function makeSample(h: number, w: number, format: 'xyxy' | 'cxcywh'): Sample<string> {
  const n = XYXY.length / 4;
  const xyxy = Float32Array.from(XYXY, (v, i) => Math.min(v, i % 2 === 0 ? w : h));
  const masks = new Uint8Array(n * h * w);
  for (let k = 0; k < n; k++) {
    const [x1, y1, x2, y2] = xyxy.subarray(4 * k, 4 * k + 4);
    for (let y = Math.floor(y1!); y < Math.ceil(y2!); y++)
      for (let x = Math.floor(x1!); x < Math.ceil(x2!); x++)
        masks[k * h * w + y * w + x] = 1 + ((x * 3 + y * 5 + k) % 7);
  }
  const base: Sample<string> = {
    image: patternImage(h, w),
    canvasSize: [h, w],
    labels: ['a', 'b', 'c', 'd', 'e'],
    masks,
    keypoints: Float32Array.of(0, 0, w - 1, h - 1, w / 2, h / 2, 5.5, h - 6.25, w - 3, 2),
  };
  if (format === 'xyxy') return { ...base, boxes: xyxy };
  const like = { ...base, boxFormat: 'cxcywh', normalized: true } as const;
  return { ...like, boxes: pixelXyxyToBoxes(xyxy, like, [h, w]) };
}

/** The params one sample draws, as `WebGpuAugmenter.run` draws them (the canvas follows each resize). */
function drawParams(steps: readonly GpuStep[], seed: number, canvas: readonly [number, number]): StepParams[] {
  const rng = new Rng(seed);
  let c: [number, number] = [canvas[0], canvas[1]];
  return steps.map((step) => {
    const p = drawStepParams(step, rng, c);
    if (p.op === 'resize') c = p.size;
    return p;
  });
}

function expectClose(got: Float32Array | undefined, want: Float32Array | undefined, what: string): void {
  expect(got === undefined, what).toBe(want === undefined);
  if (!got || !want) return;
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst, what).toBeLessThanOrEqual(1e-4);
}

function expectSameTargets(got: Sample, want: Sample, what: string): void {
  expect(got.image, what).toBeUndefined();
  expect(got.canvasSize, what).toEqual(want.canvasSize);
  expect(got.boxFormat, what).toBe(want.boxFormat);
  expect(got.normalized, what).toBe(want.normalized);
  expect(got.labels, what).toEqual(want.labels);
  expectClose(got.boxes, want.boxes, `${what} boxes`);
  expectClose(got.keypoints, want.keypoints, `${what} keypoints`);
  expect(got.masks?.length, what).toBe(want.masks?.length);
  expect(got.masks && Buffer.compare(got.masks, want.masks!), `${what} masks`).toBe(0);
}

const CASES: Record<string, GpuStep[]> = {
  hflip: [{ op: 'hflip' }],
  vflip: [{ op: 'vflip', p: 0.7 }],
  'rotate nearest': [{ op: 'rotate', degrees: 40 }],
  'rotate bilinear, fill': [{ op: 'rotate', degrees: [-180, 180], interpolation: 'bilinear', fill: 128 }],
  'rotate 90 (warped)': [{ op: 'rotate', degrees: [90, 90] }],
  'rotate 180 (rot90 fast path on the CPU)': [{ op: 'rotate', degrees: [180, 180] }],
  'affine translate, scale, shear': [
    { op: 'affine', degrees: 15, translate: [0.2, 0.1], scale: [0.7, 1.3], shear: 10 },
  ],
  'affine x and y shear, bilinear': [
    { op: 'affine', degrees: [-30, 60], scale: [1, 1.5], shear: [-10, 10, -20, 5], interpolation: 'bilinear' },
  ],
  resize: [{ op: 'resize', size: [30, 24] }],
  colorJitter: [{ op: 'colorJitter', brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }],
  hsv: [{ op: 'hsv' }],
  noise: [{ op: 'noise', std: [2, 12] }],
  'mix: flips, affine, colour, noise, resize, then warps on the new canvas': [
    { op: 'hflip' },
    { op: 'affine', degrees: 10, translate: [0.1, 0.1], scale: [0.8, 1.2], interpolation: 'bilinear' },
    { op: 'colorJitter', brightness: 0.3, contrast: 0.3 },
    { op: 'hsv' },
    { op: 'noise', std: 5 },
    { op: 'resize', size: [40, 40], antialias: false },
    { op: 'vflip' },
    { op: 'rotate', degrees: 25 },
    { op: 'affine', degrees: 0, translate: [0.3, 0.3] },
    { op: 'resize', size: [48, 32] },
  ],
};

describe('moveTargets', () => {
  for (const format of ['xyxy', 'cxcywh'] as const) {
    for (const [name, steps] of Object.entries(CASES)) {
      it(`matches cpuPipeline's targets: ${name} (${format === 'xyxy' ? 'xyxy pixels' : 'cxcywh normalised'})`, () => {
        const sample = makeSample(36, 52, format);
        const cpu = cpuPipeline(steps);
        for (const seed of SEEDS) {
          const got = moveTargets(sample, drawParams(steps, seed, sample.canvasSize));
          expectSameTargets(got, cpu.apply(sample, new Rng(seed)), `seed ${seed}`);
        }
      });
    }
  }

  it('matches on a square canvas, where the CPU rotates by 90 and 270 degrees with exact copies', () => {
    const sample = makeSample(40, 40, 'xyxy');
    for (const degrees of [90, 270, -90]) {
      const steps: GpuStep[] = [{ op: 'rotate', degrees: [degrees, degrees] }];
      const got = moveTargets(sample, drawParams(steps, 1, sample.canvasSize));
      expectSameTargets(got, cpuPipeline(steps).apply(sample, new Rng(1)), `${degrees} degrees`);
    }
  });

  it('clamps a box a rotation pushes partly out of the canvas', () => {
    const sample = makeSample(36, 52, 'xyxy');
    const steps: GpuStep[] = [{ op: 'rotate', degrees: 40 }];
    let clamped = 0;
    for (const seed of SEEDS) {
      const b = moveTargets(sample, drawParams(steps, seed, sample.canvasSize)).boxes!;
      if (b[0] === 0 || b[1] === 0) clamped++;
      expect(b.length).toBe(XYXY.length);
    }
    expect(clamped).toBeGreaterThan(0);
  });

  it('with a boxFilter, drops boxes, labels and masks as the CPU transforms given the same filter', () => {
    const boxFilter = { minArea: 4, minVisibility: 0.6 };
    const steps: GpuStep[] = [
      { op: 'rotate', degrees: 35 },
      { op: 'hflip' },
      { op: 'affine', degrees: 10, translate: [0.15, 0.15], scale: [0.8, 1.2], shear: 5 },
      { op: 'hsv' },
      { op: 'resize', size: [30, 40] },
      { op: 'vflip' },
    ];
    const cpu: Transform = compose([
      new RandomRotation(35, { boxFilter }),
      new RandomHorizontalFlip({ boxFilter }),
      new RandomAffine(10, { translate: [0.15, 0.15], scale: [0.8, 1.2], shear: 5, boxFilter }),
      cpuPipeline([{ op: 'hsv' }]),
      new Resize([30, 40], { interpolation: 'bilinear' }),
      new RandomVerticalFlip({ boxFilter }),
    ]);
    for (const format of ['xyxy', 'cxcywh'] as const) {
      const sample = makeSample(36, 52, format);
      let dropped = 0;
      for (const seed of SEEDS) {
        const got = moveTargets(sample, drawParams(steps, seed, sample.canvasSize), { boxFilter });
        const want = cpu.apply(sample, new Rng(seed));
        expectSameTargets(got, want, `${format} seed ${seed}`);
        const n = got.boxes!.length / 4;
        expect(got.labels!.length).toBe(n);
        expect(got.masks!.length).toBe(n * 30 * 40);
        dropped += XYXY.length / 4 - n;
      }
      expect(dropped).toBeGreaterThan(0);
    }
  });

  it('drops the image (the GPU made the pixels) and gives the same targets for a sample without one', () => {
    const sample = makeSample(36, 52, 'xyxy');
    const steps: GpuStep[] = [
      { op: 'affine', degrees: 20, scale: [0.9, 1.1] },
      { op: 'resize', size: [24, 24] },
    ];
    const params = drawParams(steps, 5, sample.canvasSize);
    const got = moveTargets(sample, params);
    expect(got.image).toBeUndefined();
    expect(got.canvasSize).toEqual([24, 24]);
    expectSameTargets(moveTargets({ ...sample, image: undefined }, params), got, 'without image');
    const none = moveTargets(sample, []);
    expect(none.image).toBeUndefined();
    expect(none.boxes).toEqual(sample.boxes);
    expect(none.masks).toBe(sample.masks);
  });

  it('rejects bad input with typed errors naming the function and the argument', () => {
    const sample = makeSample(36, 52, 'xyxy');
    const warp = drawParams([{ op: 'rotate', degrees: 10 }], 1, [36, 52])[0]!;
    const bad = (params: unknown, opts?: unknown) => () =>
      moveTargets(sample, params as StepParams[], opts as { boxFilter?: undefined });
    expect(bad('flip')).toThrow(TypeError);
    expect(bad('flip')).toThrow(/^moveTargets: params: expected the StepParams\[\]/);
    expect(bad({ op: 'flip', horizontal: true, apply: true })).toThrow(/^moveTargets: params: /);
    expect(bad([warp, null])).toThrow(/^moveTargets: params\[1\]: expected a StepParams object, got null/);
    expect(bad([{ op: 'blur' }])).toThrow(TypeError);
    expect(bad([{ op: 'blur' }])).toThrow(/^moveTargets: params\[0\]\.op: expected one of 'flip', .* got "blur"/);
    expect(bad([{ op: 'flip', horizontal: true }])).toThrow(/^moveTargets: params\[0\]: expected boolean apply/);
    expect(bad([{ ...warp, inverse: [1, 0, 0] }])).toThrow(TypeError);
    expect(bad([{ ...warp, inverse: [1, 0, 0] }])).toThrow(/^moveTargets: params\[0\]\.inverse: expected six/);
    expect(bad([{ ...warp, inverse: [0, 0, 0, 0, 0, 0] }])).toThrow(RangeError);
    expect(bad([{ op: 'resize', size: [0, 4], antialias: true }])).toThrow(/^moveTargets: params\[0\]\.size\[0\]/);
    expect(bad([], { boxFilter: 3 })).toThrow(/^moveTargets: boxFilter: /);
    expect(bad([], null)).toThrow(/^moveTargets: options: /);
    expect(() => moveTargets({ canvasSize: [0, 4] }, [])).toThrow(/^moveTargets: sample\.canvasSize/);
  });
});
