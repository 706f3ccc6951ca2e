import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { yoloV1Loss } from './yolo-v1-loss.js';

// S = 2, B = 2, C = 2. One object in cell 3 (row 1, col 1): centre offset (0.5, 0.5), size 0.4 x 0.4, class 1.
// Truth in image coordinates: centre (0.75, 0.75) -> [0.55, 0.55, 0.95, 0.95].
const options = { gridSize: 2, boxesPerCell: 2, numClasses: 2 };
const targets = new Float32Array(4 * 7);
targets.set([0.5, 0.5, 0.4, 0.4, 1, 0, 1], 3 * 7);
const predictions = new Float64Array(4 * 12);
// cell 0: no object, confidences 0.2 and 0.1
predictions[4] = 0.2;
predictions[9] = 0.1;
// cell 3, box 0: (0.5, 0.5, 0.2, 0.2) conf 0.6 -> [0.65, 0.65, 0.85, 0.85], IoU 0.04 / 0.16 = 0.25
// cell 3, box 1: (0.6, 0.5, 0.36, 0.4) conf 0.3 -> [0.62, 0.55, 0.98, 0.95], inter 0.33 * 0.4 = 0.132,
//   union 0.16 + 0.144 - 0.132 = 0.172, IoU 33/43 = 0.767: box 1 is responsible.
predictions.set([0.5, 0.5, 0.2, 0.2, 0.6, 0.6, 0.5, 0.36, 0.4, 0.3, 0.2, 0.7], 3 * 12);

describe('yoloV1Loss (hand-computed)', () => {
  it('picks the responsible predictor by IoU and sums the five terms', () => {
    const r = yoloV1Loss(predictions, targets, options);
    expect(Array.from(r.responsible)).toEqual([-1, -1, -1, 1]);
    expect(r.coord).toBeCloseTo(5 * (0.1 * 0.1), 7); // 0.05
    expect(r.size).toBeCloseTo(5 * (Math.sqrt(0.4) - 0.6) ** 2, 7); // 0.0052668
    expect(r.object).toBeCloseTo((33 / 43 - 0.3) ** 2, 6); // 0.2185019
    // lambda_noobj * (0.2^2 + 0.1^2 (cell 0) + 0.6^2 (cell 3, non-responsible box 0))
    expect(r.noObject).toBeCloseTo(0.5 * 0.41, 7);
    expect(r.classes).toBeCloseTo(0.2 ** 2 + 0.3 ** 2, 7); // 0.13
    expect(r.total).toBeCloseTo(0.6087687007, 6);
  });

  it("confidenceTarget 'one' and custom lambdas", () => {
    const r = yoloV1Loss(predictions, targets, { ...options, confidenceTarget: 'one' });
    expect(r.object).toBeCloseTo(0.49, 6);
    expect(r.total).toBeCloseTo(0.8802668078, 6);
    const w = yoloV1Loss(predictions, targets, { ...options, lambdaCoord: 1, lambdaNoobj: 1 });
    expect(w.coord).toBeCloseTo(0.01, 12);
    expect(w.noObject).toBeCloseTo(0.41, 12);
  });

  it('a perfect prediction has zero loss; batches sum', () => {
    const perfect = new Float32Array(4 * 12);
    perfect.set([0.5, 0.5, 0.4, 0.4, 1, 0, 0, 0, 0, 0, 0, 1], 3 * 12);
    expect(yoloV1Loss(perfect, targets, options).total).toBeCloseTo(0, 6);
    const two = new Float64Array(96);
    two.set(predictions);
    two.set(predictions, 48);
    const t2 = new Float32Array(56);
    t2.set(targets);
    t2.set(targets, 28);
    expect(yoloV1Loss(two, t2, options).total).toBeCloseTo(2 * 0.6087687007, 6);
  });

  it('rejects mismatched layouts', () => {
    expect(() => yoloV1Loss(new Float32Array(47), targets, options)).toThrow(ShapeError);
    expect(() => yoloV1Loss(predictions, new Float32Array(27), options)).toThrow(/targets: expected 4 cells/);
    expect(() => yoloV1Loss(predictions, targets, { ...options, gridSize: 0 })).toThrow(RangeError);
  });
});
