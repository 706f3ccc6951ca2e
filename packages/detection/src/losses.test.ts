import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { ciouLoss, diouLoss, giouLoss, sigmoidFocalLoss, smoothL1Loss } from './losses.js';

interface Golden {
  sigmoid_focal_loss: { inputs: number[]; targets: number[]; alpha: number; gamma: number; sum: number };
  box_iou: { a: number[][]; b: number[][]; giou: number[][]; diou: number[][]; ciou: number[][] };
}
const golden = readGoldenJson<{ cases: Golden }>('ops.json').cases;

describe('sigmoidFocalLoss', () => {
  it('equals torchvision (alpha 0.25, gamma 2, sum)', () => {
    const c = golden.sigmoid_focal_loss;
    const loss = sigmoidFocalLoss(Float32Array.from(c.inputs), Float32Array.from(c.targets), {
      alpha: c.alpha,
      gamma: c.gamma,
      reduction: 'sum',
    }) as number;
    expect(Math.abs(loss - c.sum) / c.sum).toBeLessThan(1e-6);
  });

  it('reduces to alpha-weighted BCE with gamma 0, is stable for large logits', () => {
    const x = Float64Array.of(0, 2, -3);
    const t = Float64Array.of(1, 0, 1);
    const none = sigmoidFocalLoss(x, t, { gamma: 0, alpha: -1 }) as Float32Array;
    expect(none[0]).toBeCloseTo(Math.log(2), 6);
    expect(none[1]).toBeCloseTo(2 + Math.log1p(Math.exp(-2)), 6);
    const big = sigmoidFocalLoss(Float64Array.of(1000, -1000), Float64Array.of(0, 1)) as Float32Array;
    expect(Array.from(big).every(Number.isFinite)).toBe(true);
    expect(() => sigmoidFocalLoss(x, Float64Array.of(1), {})).toThrow(ShapeError);
  });
});

describe('smoothL1Loss', () => {
  it('is quadratic below beta and linear above', () => {
    const input = Float32Array.of(0, 0.5, 3, -2);
    const target = new Float32Array(4);
    expect(Array.from(smoothL1Loss(input, target, { beta: 1, reduction: 'none' }) as Float32Array)).toEqual([
      0, 0.125, 2.5, 1.5,
    ]);
    expect(smoothL1Loss(input, target, { beta: 1 })).toBeCloseTo(4.125 / 4, 10);
    expect(smoothL1Loss(input, target, { beta: 0, reduction: 'sum' })).toBeCloseTo(5.5, 10);
    expect(() => smoothL1Loss(input, target, { reduction: 'avg' as 'mean' })).toThrow(RangeError);
  });
});

describe('GIoU / DIoU / CIoU losses', () => {
  // Pair a[i] with b[i]; torchvision's pairwise goldens give 1 - x on the diagonal.
  const a = Float32Array.from(golden.box_iou.a.flat());
  const b = Float32Array.from(golden.box_iou.b.slice(0, 20).flat());
  const diagonal = (m: number[][]) => m.map((row, i) => 1 - row[i]!);

  it.each([
    ['giou', giouLoss, golden.box_iou.giou],
    ['diou', diouLoss, golden.box_iou.diou],
    ['ciou', ciouLoss, golden.box_iou.ciou],
  ] as const)('%s loss equals 1 - torchvision %s on paired boxes', (_, fn, matrix) => {
    const loss = fn(a, b) as Float32Array;
    const expected = diagonal(matrix as number[][]);
    for (let i = 0; i < 20; i++) expect(Math.abs(loss[i]! - expected[i]!)).toBeLessThan(1e-5);
    expect(fn(a, b, { reduction: 'sum' })).toBeCloseTo(
      expected.reduce((s, v) => s + v, 0),
      4,
    );
  });

  it('known values: identical boxes 0, disjoint boxes', () => {
    const box = Float32Array.of(0, 0, 2, 2);
    expect((giouLoss(box, box) as Float32Array)[0]).toBeCloseTo(0, 6);
    expect((ciouLoss(box, box) as Float32Array)[0]).toBeCloseTo(0, 6);
    // [0,0,1,1] vs [2,0,3,1]: GIoU = 0 - (3 - 2) / 3 -> loss 4/3; DIoU: d^2 = 4, c^2 = 9 + 1 -> 1 + 0.4
    const p = Float32Array.of(0, 0, 1, 1);
    const g = Float32Array.of(2, 0, 3, 1);
    expect((giouLoss(p, g) as Float32Array)[0]).toBeCloseTo(4 / 3, 6);
    expect((diouLoss(p, g) as Float32Array)[0]).toBeCloseTo(1.4, 6);
    expect(giouLoss(new Float32Array(0), new Float32Array(0), { reduction: 'mean' })).toBe(0);
    expect(() => giouLoss(p, Float32Array.of(0, 0, 1, 1, 0, 0, 1, 1))).toThrow(ShapeError);
  });
});
