/**
 * The steps the WebGPU batch path runs, each the GPU twin of a CPU transform class, and the per-sample parameter
 * draws. `drawStepParams` consumes the caller's `Rng` exactly as the CPU classes' `apply` does (same draws, same
 * order), so `cpuPipeline(steps).apply(sample, new Rng(seed))` and the GPU path with `new Rng(seed)` apply the same
 * parameters; `webgpu-parity.test.ts` checks this image by image.
 */
import type { Rng } from '@striate/core';
import { affineMatrix, type Matrix2x3 } from '../affine-matrix.js';
import { compose } from '../compose.js';
import { nonNegative, probability, range, size2 } from '../internal/check.js';
import { drawUniform, type Transform } from '../transform.js';
import {
  RandomAffine,
  RandomHorizontalFlip,
  RandomRotation,
  RandomVerticalFlip,
  Resize,
} from '../transforms-geometric.js';
import { ColorJitter, type ColorJitterOptions, GaussianNoise, HsvJitter } from '../transforms-pixel.js';

export type GpuInterpolation = 'nearest' | 'bilinear';

/** One step of a GPU pipeline; options as the CPU class named in `op`'s comment. */
export type GpuStep =
  /** `RandomHorizontalFlip({ p })` */
  | { op: 'hflip'; p?: number }
  /** `RandomVerticalFlip({ p })` */
  | { op: 'vflip'; p?: number }
  /** `RandomRotation(degrees, { interpolation, fill })` (no `expand`: the batch keeps one size). */
  | {
      op: 'rotate';
      degrees: number | readonly [number, number];
      interpolation?: GpuInterpolation;
      fill?: number | readonly number[];
    }
  /** `RandomAffine(degrees, { translate, scale, shear, interpolation, fill })` */
  | {
      op: 'affine';
      degrees: number | readonly [number, number];
      translate?: readonly [number, number];
      scale?: readonly [number, number];
      shear?: number | readonly [number, number] | readonly [number, number, number, number];
      interpolation?: GpuInterpolation;
      fill?: number | readonly number[];
    }
  /** `Resize(size, { antialias })` (bilinear). */
  | { op: 'resize'; size: readonly [number, number]; antialias?: boolean }
  /** `ColorJitter({ brightness, contrast, saturation, hue })` */
  | ({ op: 'colorJitter' } & ColorJitterOptions)
  /** `HsvJitter({ hue, saturation, value })` (YOLO's gains). */
  | { op: 'hsv'; hue?: number; saturation?: number; value?: number }
  /** `GaussianNoise({ std, mean })` (per channel). */
  | { op: 'noise'; std?: number | readonly [number, number]; mean?: number };

/** The parameters one step drew for one sample (also what a caller needs to move boxes with the functional ops). */
export type StepParams =
  | { op: 'flip'; horizontal: boolean; apply: boolean }
  | { op: 'warp'; inverse: Matrix2x3; interpolation: GpuInterpolation; fill: number[] | null; angle: number }
  | { op: 'resize'; size: [number, number]; antialias: boolean }
  | { op: 'colorJitter'; order: number[]; factors: (number | undefined)[] }
  | { op: 'hsv'; gains: [number, number, number] }
  | { op: 'noise'; std: number; mean: number; seeds: [number, number, number, number] };

/** The CPU transform each step mirrors (constructing it also validates the step's options with the CPU messages). */
export function cpuTransform(step: GpuStep): Transform {
  switch (step.op) {
    case 'hflip':
      return new RandomHorizontalFlip({ p: step.p });
    case 'vflip':
      return new RandomVerticalFlip({ p: step.p });
    case 'rotate':
      return new RandomRotation(step.degrees, { interpolation: step.interpolation, fill: step.fill });
    case 'affine':
      return new RandomAffine(step.degrees, {
        translate: step.translate,
        scale: step.scale,
        shear: step.shear,
        interpolation: step.interpolation,
        fill: step.fill,
      });
    case 'resize':
      return new Resize(step.size, { interpolation: 'bilinear', antialias: step.antialias });
    case 'colorJitter':
      return new ColorJitter(step);
    case 'hsv':
      return new HsvJitter(step);
    case 'noise':
      return new GaussianNoise({ std: step.std, mean: step.mean, perChannel: true });
    default:
      throw new TypeError(`webgpu: steps: unknown op ${JSON.stringify((step as { op: unknown }).op)}`);
  }
}

/** `compose` of the CPU twins: the reference the GPU path reproduces. */
export function cpuPipeline(steps: readonly GpuStep[]): Transform {
  return compose(steps.map(cpuTransform));
}

function fillVector(fill: number | readonly number[] | undefined): number[] | null {
  if (fill === undefined) return null;
  const arr = typeof fill === 'number' ? [fill, fill, fill] : [...fill];
  return arr.length === 1 ? [arr[0]!, arr[0]!, arr[0]!] : arr;
}

/**
 * Draws one sample's parameters for `step` on a `[h, w]` canvas, consuming `rng` as the CPU twin does.
 * (RandomRotation: one uniform; RandomAffine: angle, translation, scale, shear in that order; ColorJitter: a
 * permutation of 4 then one uniform per enabled factor; HsvJitter: three uniforms; GaussianNoise: the std, then
 * four 32-bit seeds of its xoshiro128** stream.)
 */
export function drawStepParams(step: GpuStep, rng: Rng, canvas: readonly [number, number]): StepParams {
  const [h, w] = canvas;
  switch (step.op) {
    case 'hflip':
    case 'vflip': {
      const p = probability(step.p ?? 0.5, step.op);
      return { op: 'flip', horizontal: step.op === 'hflip', apply: rng.uniform() < p };
    }
    case 'rotate': {
      const d = range(step.degrees, 'RandomRotation', 'degrees', { center: 0 });
      const degrees = drawUniform(rng, ...d);
      const inverse = affineMatrix([0, 0], { angle: -degrees, translate: [0, 0], scale: 1, shear: [0, 0] }, true);
      return {
        op: 'warp',
        inverse,
        interpolation: step.interpolation ?? 'nearest',
        fill: fillVector(step.fill),
        angle: degrees,
      };
    }
    case 'affine': {
      const fn = 'RandomAffine';
      const d = range(step.degrees, fn, 'degrees', { center: 0 });
      const angle = drawUniform(rng, ...d);
      let translate: [number, number] = [0, 0];
      if (step.translate) {
        const mx = step.translate[0] * w;
        const my = step.translate[1] * h;
        translate = [Math.round(drawUniform(rng, -mx, mx)), Math.round(drawUniform(rng, -my, my))];
      }
      const scale = step.scale ? drawUniform(rng, ...range(step.scale, fn, 'scale')) : 1;
      const sh = step.shear;
      let shearX: [number, number] | undefined;
      let shearY: [number, number] | undefined;
      if (sh !== undefined) {
        if (Array.isArray(sh) && sh.length === 4) {
          shearX = [sh[0], sh[1]];
          shearY = [sh[2], sh[3]];
        } else {
          shearX = range(sh, fn, 'shear', { center: 0 });
        }
      }
      const shear: [number, number] = [
        shearX ? drawUniform(rng, ...shearX) : 0,
        shearY ? drawUniform(rng, ...shearY) : 0,
      ];
      const inverse = affineMatrix([0, 0], { angle, translate, scale, shear }, true);
      return {
        op: 'warp',
        inverse,
        interpolation: step.interpolation ?? 'nearest',
        fill: fillVector(step.fill),
        angle,
      };
    }
    case 'resize':
      return { op: 'resize', size: size2(step.size, 'Resize', 'size'), antialias: step.antialias ?? true };
    case 'colorJitter': {
      const fn = 'ColorJitter';
      const factor = (v: number | readonly [number, number] | undefined, name: string) => {
        if (v === undefined) return undefined;
        const r = range(v, fn, name, { center: 1 });
        if (typeof v === 'number') r[0] = Math.max(0, r[0]);
        return r;
      };
      const ranges = [
        factor(step.brightness, 'brightness'),
        factor(step.contrast, 'contrast'),
        factor(step.saturation, 'saturation'),
        step.hue === undefined ? undefined : range(step.hue, fn, 'hue', { center: 0, min: -0.5, max: 0.5 }),
      ];
      const order = Array.from(rng.permutation(4));
      const factors = ranges.map((r) => (r ? drawUniform(rng, r[0], r[1]) : undefined));
      return { op: 'colorJitter', order, factors };
    }
    case 'hsv': {
      const g = [
        nonNegative(step.hue ?? 0.015, 'HsvJitter', 'hue'),
        nonNegative(step.saturation ?? 0.7, 'HsvJitter', 'saturation'),
        nonNegative(step.value ?? 0.4, 'HsvJitter', 'value'),
      ];
      return { op: 'hsv', gains: g.map((x) => 1 + rng.uniform(-1, 1) * x) as [number, number, number] };
    }
    case 'noise': {
      const s = step.std ?? 10;
      const r: [number, number] = typeof s === 'number' ? [s, s] : range(s, 'GaussianNoise', 'std', { min: 0 });
      const std = drawUniform(rng, ...r);
      const seeds: [number, number, number, number] = [
        rng.nextUint32() | 0,
        rng.nextUint32() | 0,
        rng.nextUint32() | 0,
        rng.nextUint32() | 0,
      ];
      if ((seeds[0] | seeds[1] | seeds[2] | seeds[3]) === 0) seeds[0] = 1;
      return { op: 'noise', std, mean: step.mean ?? 0, seeds };
    }
    default:
      throw new TypeError(`webgpu: steps: unknown op ${JSON.stringify((step as { op: unknown }).op)}`);
  }
}
