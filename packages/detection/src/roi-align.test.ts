import { ShapeError, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../test-utils/fixtures.js';
import { lcg } from './internal/test-data.js';
import { assignFpnLevels, MultiScaleRoIAlign } from './multi-scale-roi-align.js';
import { roiAlign } from './roi-align.js';
import { roiPool } from './roi-pool.js';

interface AlignCase {
  input: unknown;
  rois: unknown;
  output_size: [number, number];
  spatial_scale: number;
  sampling_ratio: number;
  aligned: boolean;
  out: unknown;
}
const cases = readGoldenJson<{ cases: { roi_align: AlignCase[]; roi_pool: AlignCase } }>('ops.json').cases;

function toTensor(nested: unknown): Tensor<'float32'> {
  const { data, shape } = flattenNested(nested);
  return new Tensor('float32', shape, Float32Array.from(data));
}

function randomTensor(shape: number[], seed: number): Tensor<'float32'> {
  const next = lcg(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    'float32',
    shape,
    Float32Array.from({ length: size }, () => next() * 2 - 1),
  );
}

describe('roiAlign: torchvision goldens', () => {
  it.each(cases.roi_align.map((c, i) => [i, c.aligned, c.sampling_ratio, c.spatial_scale, c]))(
    'case %i (aligned %s, sampling %i, scale %s) within 1e-4',
    (_i, _a, _s, _sc, c) => {
      const out = roiAlign(toTensor(c.input), toTensor(c.rois), {
        outputSize: c.output_size,
        spatialScale: c.spatial_scale,
        samplingRatio: c.sampling_ratio,
        aligned: c.aligned,
      });
      const expected = flattenNested(c.out);
      expect(out.shape).toEqual(expected.shape);
      expect(maxAbsDiff(out.data, expected.data)).toBeLessThan(1e-4);
    },
  );

  it('the channels-last path (many RoIs) and the planar path (few RoIs, big map) agree', () => {
    const input = randomTensor([1, 3, 40, 50], 1);
    const next = lcg(2);
    const many = new Float32Array(5 * 40);
    for (let r = 0; r < 40; r++) {
      const x = next() * 60 - 5;
      const y = next() * 50 - 5;
      many.set([0, x, y, x + next() * 30, y + next() * 30], 5 * r);
    }
    const all = roiAlign(input, many, { outputSize: [5, 4], spatialScale: 0.8, samplingRatio: 0, aligned: true });
    for (let r = 0; r < 40; r += 7) {
      // one RoI on its own: k * bins * 16 < map size, the planar path
      const one = roiAlign(input, many.subarray(5 * r, 5 * r + 5), {
        outputSize: [5, 4],
        spatialScale: 0.8,
        samplingRatio: 0,
        aligned: true,
      });
      expect(maxAbsDiff(one.data, all.data.subarray(r * 60, (r + 1) * 60))).toBeLessThan(1e-6);
    }
  });

  it('the channels-last path agrees with the planar path for 4, 16 and 36 taps per bin, batches and empty bins', () => {
    // Sampling ratios 1, 2, 3: one zero-padded group of eight taps, two full groups, five groups with padding.
    const input = randomTensor([2, 5, 12, 10], 3);
    const next = lcg(4);
    const rois = new Float32Array(5 * 24);
    for (let r = 0; r < 24; r++) {
      const x = next() * 12 - 1;
      const y = next() * 14 - 1;
      rois.set([r % 2, x, y, x + 0.5 + next() * 9, y + 0.5 + next() * 9], 5 * r);
    }
    rois.set([1, 40, 40, 50, 50], 5 * 23); // fully outside: every bin has no taps
    for (const samplingRatio of [1, 2, 3]) {
      const opts = { outputSize: 3, samplingRatio, aligned: false } as const;
      const all = roiAlign(input, rois, opts);
      for (let r = 0; r < 24; r++) {
        const one = roiAlign(input, rois.subarray(5 * r, 5 * r + 5), opts);
        expect(maxAbsDiff(one.data, all.data.subarray(r * 45, (r + 1) * 45))).toBeLessThan(1e-6);
      }
      expect(Array.from(all.data.subarray(23 * 45))).toEqual(new Array(45).fill(0));
    }
  });

  it('padding taps add exactly 0: an infinite pixel reaches only the bins that sample it', () => {
    const values = new Float32Array(2 * 16 * 16).fill(1);
    values[16 * 16 + 15 * 16 + 15] = Number.POSITIVE_INFINITY; // channel 1, pixel (15, 15)
    const input = new Tensor('float32', [1, 2, 16, 16], values);
    const rois = new Float32Array(5 * 40);
    for (let r = 0; r < 40; r++) rois.set([0, 0, 0, 4, 4], 5 * r); // many RoIs: the channels-last path
    rois.set([0, 12, 12, 15, 15], 5 * 39);
    const out = roiAlign(input, rois, { outputSize: 2, samplingRatio: 2, aligned: false });
    expect(Array.from(out.data.subarray(0, 39 * 8)).every((v) => v === 1)).toBe(true);
    expect(Array.from(out.data.subarray(39 * 8, 39 * 8 + 4))).toEqual([1, 1, 1, 1]);
    expect(out.data[39 * 8 + 7]).toBe(Number.POSITIVE_INFINITY);
  });

  it('a RoI on a constant map averages to the constant; fully outside gives 0', () => {
    const input = new Tensor('float32', [1, 1, 8, 8], new Float32Array(64).fill(3));
    const rois = Float32Array.of(0, 1, 1, 6, 5, 0, 20, 20, 30, 30);
    const out = roiAlign(input, rois, { outputSize: 2, samplingRatio: 2, aligned: true });
    expect(Array.from(out.data.subarray(0, 4))).toEqual([3, 3, 3, 3].map(Math.fround));
    expect(Array.from(out.data.subarray(4))).toEqual([0, 0, 0, 0]);
  });

  it('rejects bad input', () => {
    const input = randomTensor([2, 1, 4, 4], 3);
    const opts = { outputSize: 2 };
    expect(() => roiAlign(input, Float32Array.of(2, 0, 0, 1, 1), opts)).toThrow(/batch index.*\[0, 2\)/);
    expect(() => roiAlign(input, Float32Array.of(0, 0, 0, 1), opts)).toThrow(ShapeError);
    expect(() => roiAlign(new Tensor('float32', [4, 4], new Float32Array(16)), new Float32Array(0), opts)).toThrow(
      ShapeError,
    );
    expect(() => roiAlign(input, new Float32Array(0), { outputSize: 0 })).toThrow(RangeError);
    expect(() => roiAlign(input, new Float32Array(0), { outputSize: 2, samplingRatio: 1.5 })).toThrow(RangeError);
    expect(() => roiAlign(input, new Float32Array(0), { outputSize: 2, spatialScale: 0 })).toThrow(RangeError);
    expect(roiAlign(input, new Float32Array(0), opts).shape).toEqual([0, 1, 2, 2]);
  });
});

describe('roiPool', () => {
  it('equals torchvision within 1e-4', () => {
    const c = cases.roi_pool;
    const out = roiPool(toTensor(c.input), toTensor(c.rois), {
      outputSize: c.output_size,
      spatialScale: c.spatial_scale,
    });
    const expected = flattenNested(c.out);
    expect(out.shape).toEqual(expected.shape);
    expect(maxAbsDiff(out.data, expected.data)).toBeLessThan(1e-4);
  });

  it('takes the maximum of each bin; empty bins give 0', () => {
    const data = Float32Array.from({ length: 16 }, (_, i) => i);
    const input = new Tensor('float32', [1, 1, 4, 4], data);
    const out = roiPool(input, Float32Array.of(0, 0, 0, 3, 3, 0, 10, 10, 12, 12), { outputSize: 2 });
    expect(Array.from(out.data.subarray(0, 4))).toEqual([5, 7, 13, 15]);
    expect(Array.from(out.data.subarray(4))).toEqual([0, 0, 0, 0]);
    expect(() => roiPool(input, Float32Array.of(0.5, 0, 0, 1, 1), { outputSize: 2 })).toThrow(RangeError);
  });
});

describe('MultiScaleRoIAlign', () => {
  it('assigns FPN levels as torchvision LevelMapper (k0 = 4, s0 = 224)', () => {
    // sqrt(area) 224 -> level 4; 112 -> 3; 448 -> 5; 56 -> 2; 1000 -> 6 clamped to 5; 10 -> clamped to 2.
    const sides = [224, 112, 448, 56, 1000, 10, 223.9];
    const boxes = Float32Array.from(sides.flatMap((s) => [0, 0, s, s]));
    expect(Array.from(assignFpnLevels(boxes, 2, 5))).toEqual([2, 1, 3, 0, 3, 0, 1]);
  });

  it('pools each box from its level with that level scale', () => {
    const features = { p2: randomTensor([2, 3, 64, 64], 4), p3: randomTensor([2, 3, 32, 32], 5) };
    const pooler = new MultiScaleRoIAlign({ featmapNames: ['p2', 'p3'], outputSize: 3, samplingRatio: 2 });
    // image 256x256: scales 1/4 and 1/8, levels 2..3; a 40 px box -> level 2 (clamped), 200 px -> level 3.
    const boxes = [Float32Array.of(10, 10, 50, 50), Float32Array.of(0, 0, 200, 200, 30, 40, 70, 80)];
    const out = pooler.forward(features, boxes, [
      [256, 256],
      [256, 256],
    ]);
    expect(out.shape).toEqual([3, 3, 3, 3]);
    const opts = { outputSize: 3, samplingRatio: 2, aligned: false };
    const a = roiAlign(features.p2, Float32Array.of(0, 10, 10, 50, 50), { ...opts, spatialScale: 0.25 });
    const b = roiAlign(features.p3, Float32Array.of(1, 0, 0, 200, 200), { ...opts, spatialScale: 0.125 });
    const c = roiAlign(features.p2, Float32Array.of(1, 30, 40, 70, 80), { ...opts, spatialScale: 0.25 });
    expect(Array.from(out.data)).toEqual([...a.data, ...b.data, ...c.data]);
    expect(() => pooler.forward(features, boxes, [[256, 256]])).toThrow(ShapeError);
    expect(() => new MultiScaleRoIAlign({ featmapNames: [], outputSize: 3, samplingRatio: 2 })).toThrow(TypeError);
  });
});
