import { ShapeError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { flattenNested, readGoldenJson } from '../../../test-utils/fixtures.js';
import { BBOX_XFORM_CLIP, BoxCoder } from './box-coder.js';

interface CoderCase {
  weights: [number, number, number, number];
  gt: number[][];
  anchors: number[][];
  deltas: number[][];
  decoded: number[][];
}
const golden = readGoldenJson<{ cases: { box_coder: CoderCase } }>('ops.json').cases.box_coder;

/** Largest difference relative to max(1, |expected|). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

describe('BoxCoder', () => {
  const coder = new BoxCoder(golden.weights);
  const gt = Float32Array.from(flattenNested(golden.gt).data);
  const anchors = Float32Array.from(flattenNested(golden.anchors).data);

  it('encode equals torchvision encode_single', () => {
    expect(maxRelDiff(coder.encode(gt, anchors), flattenNested(golden.deltas).data)).toBeLessThan(1e-5);
  });

  it('decode equals torchvision decode_single', () => {
    const deltas = Float32Array.from(flattenNested(golden.deltas).data);
    expect(maxRelDiff(coder.decode(deltas, anchors), flattenNested(golden.decoded).data)).toBeLessThan(1e-5);
  });

  it('clamps dw, dh at log(1000 / 16) before exp', () => {
    const out = new BoxCoder().decode(Float32Array.of(0, 0, 100, 100), Float32Array.of(0, 0, 16, 16));
    const half = 0.5 * Math.exp(BBOX_XFORM_CLIP) * 16; // 500
    expect(Array.from(out)).toEqual([8 - half, 8 - half, 8 + half, 8 + half].map(Math.fround));
  });

  it('rejects bad input', () => {
    expect(() => coder.encode(gt, anchors.subarray(4))).toThrow(ShapeError);
    expect(() => new BoxCoder([1, 1, 0, 1])).toThrow(RangeError);
  });
});
