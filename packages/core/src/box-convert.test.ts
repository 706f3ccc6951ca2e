import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../test-utils/fixtures.js';
import { BOX_FORMATS, type BoxFormat, boxConvert } from './box-convert.js';
import { ShapeError } from './errors.js';
import { Tensor, tensor } from './tensor.js';

type BoxConvertCase = Record<BoxFormat, number[][]>;

const golden = readGoldenJson<{ cases: { box_convert: BoxConvertCase } }>('ops.json').cases.box_convert;
const inFormat = (fmt: BoxFormat) => Float32Array.from(flattenNested(golden[fmt]).data);

describe('boxConvert against torchvision (ops.json box_convert)', () => {
  for (const from of BOX_FORMATS) {
    for (const to of BOX_FORMATS) {
      it(`${from} -> ${to} matches to 1e-5 relative (float32 values up to ~600)`, () => {
        const out = boxConvert(inFormat(from), from, to);
        const expected = flattenNested(golden[to]).data;
        expect(out).toBeInstanceOf(Float32Array);
        expect(out.length).toBe(expected.length);
        let worst = 0;
        for (let i = 0; i < out.length; i++) {
          worst = Math.max(worst, Math.abs(out[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
        }
        expect(worst).toBeLessThan(1e-5);
      });
    }
  }

  it('xyxy -> cxcywh and xyxy -> xywh are exact in float32 (one rounding, as torch)', () => {
    const xyxy = inFormat('xyxy');
    const out = boxConvert(xyxy, 'xyxy', 'cxcywh');
    for (let p = 0; p < out.length; p += 4) {
      expect(out[p]).toBe(Math.fround((xyxy[p]! + xyxy[p + 2]!) / 2));
      expect(out[p + 2]).toBe(Math.fround(xyxy[p + 2]! - xyxy[p]!));
    }
  });

  it('round-trips within float32 rounding', () => {
    const xyxy = inFormat('xyxy');
    const back = boxConvert(boxConvert(xyxy, 'xyxy', 'cxcywh'), 'cxcywh', 'xyxy');
    expect(maxAbsDiff(back, xyxy)).toBeLessThan(1e-4);
  });

  it('returns a new [N, 4] float32 tensor for a tensor, and a copy for the same format', () => {
    const t = tensor(inFormat('xywh'), [golden.xywh.length, 4]);
    const out = boxConvert(t, 'xywh', 'xyxy');
    expect(out).toBeInstanceOf(Tensor);
    expect(out.shape).toEqual([golden.xywh.length, 4]);
    expect(maxAbsDiff(out.data, flattenNested(golden.xyxy).data)).toBeLessThan(1e-3);
    const same = Float32Array.from([1, 2, 3, 4]);
    const copy = boxConvert(same, 'xyxy', 'xyxy');
    expect(Array.from(copy)).toEqual([1, 2, 3, 4]);
    copy[0] = 9;
    expect(same[0]).toBe(1);
  });

  it('converts a hand example between all formats', () => {
    const xyxy = Float32Array.from([10, 20, 40, 30]);
    expect(Array.from(boxConvert(xyxy, 'xyxy', 'xywh'))).toEqual([10, 20, 30, 10]);
    expect(Array.from(boxConvert(xyxy, 'xyxy', 'cxcywh'))).toEqual([25, 25, 30, 10]);
    expect(Array.from(boxConvert(Float32Array.from([25, 25, 30, 10]), 'cxcywh', 'xywh'))).toEqual([10, 20, 30, 10]);
    expect(Array.from(boxConvert(Float32Array.from([10, 20, 30, 10]), 'xywh', 'cxcywh'))).toEqual([25, 25, 30, 10]);
  });

  it('propagates NaN and Infinity through the arithmetic; empty input gives empty output', () => {
    const out = boxConvert(Float32Array.from([Number.NaN, 0, Number.POSITIVE_INFINITY, 2]), 'xyxy', 'cxcywh');
    expect(Number.isNaN(out[0]!)).toBe(true);
    expect(out[1]).toBe(1);
    expect(Number.isNaN(out[2]!)).toBe(true);
    expect(out[3]).toBe(2);
    const wide = boxConvert(Float32Array.from([0, 0, Number.POSITIVE_INFINITY, 2]), 'xyxy', 'xywh');
    expect(Array.from(wide)).toEqual([0, 0, Number.POSITIVE_INFINITY, 2]);
    expect(boxConvert(new Float32Array(0), 'xywh', 'xyxy').length).toBe(0);
    expect(boxConvert(tensor(new Float32Array(0), [0, 4]), 'xywh', 'xyxy').shape).toEqual([0, 4]);
  });
});

describe('boxConvert: bad input', () => {
  const ok = Float32Array.from([0, 0, 1, 1]);

  it('rejects unknown formats with a RangeError listing the valid ones', () => {
    expect(() => boxConvert(ok, 'xyxx' as BoxFormat, 'xyxy')).toThrow(RangeError);
    expect(() => boxConvert(ok, 'xyxx' as BoxFormat, 'xyxy')).toThrow(
      `boxConvert: from: expected one of 'xyxy', 'xywh', 'cxcywh', got "xyxx"`,
    );
    expect(() => boxConvert(ok, 'xyxy', 'XYWH' as BoxFormat)).toThrow(/boxConvert: to: .*got "XYWH"/);
    expect(() => boxConvert(ok, 1 as unknown as BoxFormat, 'xyxy')).toThrow(TypeError);
  });

  it('rejects bad boxes', () => {
    expect(() => boxConvert(new Float32Array(5), 'xyxy', 'xywh')).toThrow(ShapeError);
    expect(() => boxConvert(tensor(new Float32Array(6), [2, 3]), 'xyxy', 'xywh')).toThrow(/boxConvert: boxes/);
    expect(() => boxConvert([1, 2, 3, 4] as unknown as Float32Array, 'xyxy', 'xywh')).toThrow(TypeError);
  });
});
