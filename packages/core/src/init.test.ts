import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import {
  calculateGain,
  constant,
  fanInFanOut,
  kaimingNormal,
  kaimingUniform,
  normal,
  ones,
  truncNormal,
  uniform,
  xavierNormal,
  xavierUniform,
  zeros,
} from './init.js';
import { Rng } from './rng.js';

function stats(data: Float32Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of data) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / data.length;
  let sq = 0;
  for (const x of data) sq += (x - mean) ** 2;
  return { mean, std: Math.sqrt(sq / data.length), min, max };
}

const CONV = [64, 3, 7, 7]; // ResNet's stem: fanIn = 3 * 49 = 147, fanOut = 64 * 49 = 3136
const LINEAR = [256, 256];

describe('calculateGain', () => {
  it("gives torch's gains", () => {
    for (const name of ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose2d', 'sigmoid'] as const) {
      expect(calculateGain(name)).toBe(1);
    }
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('relu')).toBe(Math.SQRT2);
    expect(calculateGain('selu')).toBe(0.75);
    expect(calculateGain('leaky_relu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(calculateGain('leaky_relu', 0.2)).toBe(Math.sqrt(2 / 1.04));
    expect(calculateGain('leaky_relu', 0)).toBe(Math.SQRT2);
    expect(calculateGain('relu', 123)).toBe(Math.SQRT2); // param ignored, as in torch
  });

  it('refuses unknown nonlinearities and bad slopes', () => {
    expect(() => calculateGain('gelu' as 'relu')).toThrow(/unsupported nonlinearity "gelu"; expected one of linear/);
    expect(() => calculateGain('leaky_relu', Number.NaN)).toThrow(RangeError);
    expect(() => calculateGain('leaky_relu', true as unknown as number)).toThrow(TypeError);
  });
});

describe('fanInFanOut', () => {
  it('uses dim 1 for fan in, dim 0 for fan out, times the receptive field', () => {
    expect(fanInFanOut(CONV)).toEqual({ fanIn: 147, fanOut: 3136 });
    expect(fanInFanOut([10, 20])).toEqual({ fanIn: 20, fanOut: 10 });
    expect(fanInFanOut([8, 4, 3])).toEqual({ fanIn: 12, fanOut: 24 });
    expect(fanInFanOut([16, 1, 3, 3])).toEqual({ fanIn: 9, fanOut: 144 }); // depthwise conv weight
  });

  it('refuses rank < 2 and malformed shapes', () => {
    expect(() => fanInFanOut([10])).toThrow(ShapeError);
    expect(() => fanInFanOut([])).toThrow(/rank >= 2.*got \[\]/);
    expect(() => fanInFanOut([3, -1])).toThrow(RangeError);
    expect(() => fanInFanOut('3x3' as unknown as number[])).toThrow(TypeError);
  });
});

describe('Xavier / Glorot', () => {
  it('xavierUniform draws from U(-b, b), b = gain * sqrt(6 / (fanIn + fanOut))', () => {
    for (const [shape, gain] of [
      [CONV, 1],
      [LINEAR, 5 / 3],
    ] as const) {
      const t = xavierUniform(shape, { rng: new Rng(1), gain });
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual(shape);
      const { fanIn, fanOut } = fanInFanOut(shape);
      const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
      const s = stats(t.data);
      expect(s.min).toBeGreaterThanOrEqual(-bound);
      expect(s.max).toBeLessThan(bound);
      expect(s.min).toBeLessThan(-0.998 * bound);
      expect(s.max).toBeGreaterThan(0.998 * bound);
      expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
      expect(Math.abs(s.mean)).toBeLessThan(0.02 * bound);
    }
  });

  it('xavierNormal draws from N(0, std^2), std = gain * sqrt(2 / (fanIn + fanOut))', () => {
    const t = xavierNormal(LINEAR, { rng: new Rng(2), gain: 2 });
    const s = stats(t.data);
    const std = 2 * Math.sqrt(2 / 512);
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.015);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * std);
  });

  it('is reproducible from the seed and gain 0 gives zeros', () => {
    const a = xavierUniform(CONV, { rng: new Rng(3) });
    const b = xavierUniform(CONV, { rng: new Rng(3) });
    expect(a.data).toEqual(b.data);
    expect(xavierUniform(CONV, { rng: new Rng(4) }).data).not.toEqual(a.data);
    expect(xavierUniform([2, 2], { rng: new Rng(3), gain: 0 }).toArray()).toEqual([0, 0, 0, 0]);
  });
});

describe('Kaiming / He', () => {
  it('kaimingUniform (defaults: a = 0, fan_in, leaky_relu) has bound sqrt(6 / fanIn)', () => {
    const t = kaimingUniform(CONV, { rng: new Rng(5) });
    const bound = Math.sqrt(6 / 147);
    const s = stats(t.data);
    expect(s.min).toBeGreaterThanOrEqual(-bound);
    expect(s.max).toBeLessThan(bound);
    expect(s.max).toBeGreaterThan(0.998 * bound);
    expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.02);
  });

  it("reproduces torch's Conv2d/Linear default (a = sqrt(5)): bound = 1 / sqrt(fanIn)", () => {
    const t = kaimingUniform(LINEAR, { rng: new Rng(6), a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(256);
    const s = stats(t.data);
    expect(s.max).toBeLessThan(bound * (1 + 1e-12));
    expect(s.max).toBeGreaterThan(0.999 * bound);
    expect(s.min).toBeLessThan(-0.999 * bound);
  });

  it("kaimingNormal: std = gain / sqrt(fan), mode 'fan_out' and other nonlinearities", () => {
    const inStd = stats(kaimingNormal(CONV, { rng: new Rng(7), nonlinearity: 'relu' }).data).std;
    expect(Math.abs(inStd / Math.sqrt(2 / 147) - 1)).toBeLessThan(0.03);
    const outStd = stats(kaimingNormal(CONV, { rng: new Rng(7), mode: 'fan_out', nonlinearity: 'relu' }).data).std;
    expect(Math.abs(outStd / Math.sqrt(2 / 3136) - 1)).toBeLessThan(0.03);
    const tanh = stats(kaimingNormal(LINEAR, { rng: new Rng(8), nonlinearity: 'tanh' }).data).std;
    expect(Math.abs(tanh / (5 / 3 / 16) - 1)).toBeLessThan(0.015);
    const leaky = stats(kaimingNormal(LINEAR, { rng: new Rng(9), a: 0.2 }).data).std;
    expect(Math.abs(leaky / (Math.sqrt(2 / 1.04) / 16) - 1)).toBeLessThan(0.015);
  });

  it('refuses bad modes, nonlinearities and slopes', () => {
    const rng = new Rng(0);
    expect(() => kaimingUniform(CONV, { rng, mode: 'fan_avg' as 'fan_in' })).toThrow(
      /mode must be 'fan_in' or 'fan_out'/,
    );
    expect(() => kaimingNormal(CONV, { rng, nonlinearity: 'swish' as 'relu' })).toThrow(/unsupported nonlinearity/);
    expect(() => kaimingNormal(CONV, { rng, a: Number.POSITIVE_INFINITY })).toThrow(/a must be finite/);
    expect(() => kaimingNormal([5], { rng })).toThrow(ShapeError);
  });
});

describe('uniform, normal, truncNormal, constant', () => {
  it('uniform and normal use the requested parameters', () => {
    const u = stats(uniform([100, 100], { rng: new Rng(10), low: -2, high: 6 }).data);
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(6);
    expect(Math.abs(u.mean - 2)).toBeLessThan(0.05);
    const n = stats(normal([100, 100], { rng: new Rng(11), mean: 1, std: 0.1 }).data);
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.005);
    expect(Math.abs(n.std - 0.1)).toBeLessThan(0.003);
    expect(uniform([3], { rng: new Rng(0), low: 2, high: 2 }).toArray()).toEqual([2, 2, 2]);
  });

  it('truncNormal stays inside [a, b] (absolute bounds) with the truncated mean', () => {
    const t = truncNormal([200, 100], { rng: new Rng(12), mean: 0.5, std: 1, a: 0, b: 3 });
    const s = stats(t.data);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThanOrEqual(3);
    // E[X | 0 <= X <= 3] for X ~ N(0.5, 1): 0.5 + (phi(-0.5) - phi(2.5)) / (Phi(2.5) - Phi(-0.5)) = 0.98820
    expect(Math.abs(s.mean - 0.9882)).toBeLessThan(0.015);
    const d = stats(truncNormal([10_000], { rng: new Rng(13), std: 0.02 }).data);
    expect(Math.abs(d.std - 0.02)).toBeLessThan(0.001); // ViT's trunc_normal_(std=0.02): [-2, 2] cuts nothing
    expect(() => truncNormal([3], { rng: new Rng(0), a: 1, b: 0 })).toThrow(/expected a <= b/);
  });

  it('constant, zeros and ones fill the shape', () => {
    expect(constant([2, 3], 0.5).toArray()).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(zeros([2, 2]).toArray()).toEqual([0, 0, 0, 0]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(ones([]).shape).toEqual([]);
    expect(() => constant([2], '1' as unknown as number)).toThrow(TypeError);
  });

  it('returns valid empty tensors for shapes with a zero dimension', () => {
    const rng = new Rng(14);
    for (const t of [
      xavierUniform([0, 3], { rng }),
      xavierNormal([0, 0], { rng }),
      kaimingUniform([4, 0, 3, 3], { rng }),
      kaimingNormal([0, 4], { rng }),
      normal([0], { rng }),
      truncNormal([2, 0], { rng }),
    ]) {
      expect(t.size).toBe(0);
      expect(t.data).toBeInstanceOf(Float32Array);
    }
  });

  it('needs an Rng and validates every parameter', () => {
    expect(() => xavierUniform(CONV, {} as { rng: Rng })).toThrow(/xavierUniform: options.rng must be an Rng/);
    expect(() => normal([2], undefined as unknown as { rng: Rng })).toThrow(TypeError);
    const rng = new Rng(0);
    expect(() => xavierNormal(CONV, { rng, gain: -1 })).toThrow(/gain must be >= 0, got -1/);
    expect(() => normal([2], { rng, std: -0.1 })).toThrow(/std must be >= 0/);
    expect(() => uniform([2], { rng, low: 1, high: 0 })).toThrow(/expected low <= high/);
    expect(() => uniform([2], { rng, low: Number.NaN })).toThrow(/low must be finite/);
    expect(() => uniform([2.5], { rng })).toThrow(RangeError);
  });
});
