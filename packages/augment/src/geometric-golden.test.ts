import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { affine, crop, horizontalFlip, resize, rotate, verticalFlip } from './index.js';
import type { Sample } from './sample.js';

interface BoxCases {
  boxes: number[][];
  canvas: [number, number];
  hflip: number[][];
  vflip: number[][];
  rotate30_expand: number[][];
  rotate30: number[][];
  crop_10_20_50_60: number[][];
  resize_40_60: number[][];
  affine: number[][];
}

const golden = readGoldenJson<{ cases: { box_transforms: BoxCases } }>('ops.json').cases.box_transforms;
const sample: Sample = { boxes: Float32Array.from(golden.boxes.flat()), canvasSize: golden.canvas, boxFormat: 'xyxy' };

function expectBoxes(actual: Float32Array | undefined, expected: number[][]): void {
  expect(actual).toBeDefined();
  const flat = expected.flat();
  expect(actual!.length).toBe(flat.length);
  let maxDiff = 0;
  for (let i = 0; i < flat.length; i++) maxDiff = Math.max(maxDiff, Math.abs(actual![i]! - flat[i]!));
  expect(maxDiff).toBeLessThan(1e-3);
}

describe('box geometry matches torchvision.transforms.v2 (ops.json box_transforms)', () => {
  it('hflip', () => expectBoxes(horizontalFlip(sample).boxes, golden.hflip));
  it('vflip (not clamped, as torchvision)', () => expectBoxes(verticalFlip(sample).boxes, golden.vflip));
  it('rotate 30 with expand', () => expectBoxes(rotate(sample, 30, { expand: true }).boxes, golden.rotate30_expand));
  it('rotate 30', () => expectBoxes(rotate(sample, 30).boxes, golden.rotate30));
  it('crop(top 10, left 20, 50, 60)', () => {
    const out = crop(sample, 10, 20, 50, 60);
    expect(out.canvasSize).toEqual([50, 60]);
    expectBoxes(out.boxes, golden.crop_10_20_50_60);
  });
  it('resize to 40x60', () => {
    const out = resize(sample, [40, 60]);
    expect(out.canvasSize).toEqual([40, 60]);
    expectBoxes(out.boxes, golden.resize_40_60);
  });
  it('affine (angle 15, translate (5, -3), scale 1.2)', () =>
    expectBoxes(affine(sample, { angle: 15, translate: [5, -3], scale: 1.2, shear: [0, 0] }).boxes, golden.affine));
});
