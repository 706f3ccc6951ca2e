import { Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { cocoBboxIou, cocoRleIou } from './coco-iou.js';
import { type Rle, rleEncode } from './rle.js';

function squareMask(h: number, w: number, lo: number, hi: number): Rle {
  const m = new Uint8Array(h * w);
  for (let y = lo; y < hi; y++) for (let x = lo; x < hi; x++) m[y * w + x] = 1;
  return rleEncode(m, h, w);
}

describe('cocoBboxIou', () => {
  it('computes IoU of [x, y, w, h] boxes, detection-major', () => {
    const dt = [5, 5, 5, 5, 0, 0, 2, 2];
    const gt = [5, 5, 10, 10, 8, 8, 5, 5, 100, 100, 1, 1];
    const out = cocoBboxIou(dt, gt, [0, 0, 0]);
    expect(out.length).toBe(6);
    expect(out[0]).toBe(0.25);
    expect(out[1]).toBe(4 / 46);
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(0); // disjoint
  });

  it('divides by the detection area against a crowd region', () => {
    const out = cocoBboxIou([5, 5, 5, 5], [0, 0, 7, 7], [1]);
    expect(out[0]).toBe(4 / 25);
    expect(cocoBboxIou([5, 5, 5, 5], [0, 0, 7, 7], [0])[0]).toBe(4 / (25 + 49 - 4));
  });

  it('gives 0 for touching or degenerate boxes', () => {
    expect(cocoBboxIou([0, 0, 2, 2], [2, 0, 2, 2], [0])[0]).toBe(0);
    expect(cocoBboxIou([0, 0, -2, 2], [0, 0, 2, 2], [0])[0]).toBe(0);
  });

  it('rejects bad arguments', () => {
    expect(() => cocoBboxIou([0, 0, 1], [0, 0, 1, 1], [0])).toThrow(/dt length/);
    expect(() => cocoBboxIou([0, 0, 1, 1], [0, 0, 1, 1], [0, 1])).toThrow(/iscrowd/);
  });
});

describe('cocoRleIou', () => {
  it('matches pycocotools on square masks', () => {
    // Cases and values as pycocotools gives them (recorded in twsl/pytorchcocotools tests/mask/test_iou.py).
    const h = 25;
    const w = 25;
    expect(cocoRleIou([squareMask(h, w, 5, 10)], [squareMask(h, w, 5, 10)], [0])[0]).toBe(1);
    expect(cocoRleIou([squareMask(h, w, 0, 25)], [squareMask(h, w, 0, 25)], [0])[0]).toBe(1);
    expect(cocoRleIou([squareMask(h, w, 5, 10)], [squareMask(h, w, 10, 15)], [0])[0]).toBe(0);
    expect(cocoRleIou([squareMask(h, w, 5, 10)], [squareMask(h, w, 5, 15)], [0])[0]).toBe(0.25);
    expect(cocoRleIou([squareMask(h, w, 5, 10)], [squareMask(h, w, 8, 13)], [0])[0]).toBe(4 / 46);
  });

  it('equals dense IoU on random masks, crowd = intersection / detection area', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 40; trial++) {
      const h = rng.integers(2, 30);
      const w = rng.integers(2, 30);
      const a = new Uint8Array(h * w).map(() => (rng.uniform() < 0.4 ? 1 : 0));
      const b = new Uint8Array(h * w).map(() => (rng.uniform() < 0.4 ? 1 : 0));
      let inter = 0;
      let union = 0;
      let areaA = 0;
      for (let i = 0; i < h * w; i++) {
        inter += a[i]! & b[i]!;
        union += a[i]! | b[i]!;
        areaA += a[i]!;
      }
      const [plain, crowd] = [0, 1].map((c) => cocoRleIou([rleEncode(a, h, w)], [rleEncode(b, h, w)], [c])[0]);
      expect(plain).toBe(inter === 0 ? 0 : inter / union);
      expect(crowd).toBe(inter === 0 ? 0 : inter / areaA);
    }
  });

  it('gives -1 for masks of different sizes that overlap, and handles empty lists', () => {
    expect(cocoRleIou([squareMask(10, 10, 0, 5)], [squareMask(12, 10, 0, 5)], [0])[0]).toBe(-1);
    expect(cocoRleIou([], [squareMask(4, 4, 0, 2)], [0]).length).toBe(0);
  });
});
