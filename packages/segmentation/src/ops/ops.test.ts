import { DataError, DTypeError, masksToBoxes, ShapeError, Tensor } from '@striate/core';
import { describe, expect, test } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import {
  argmaxClasses,
  binaryMaskScores,
  colorize,
  confusionMatrix,
  maskToRle,
  overlay,
  pasteMasksInImage,
  resizeLabels,
  rleToMask,
  segmentationScores,
  vocPalette,
} from '../index.js';

const i32 = (shape: number[], v: number[]) => new Tensor('int32', shape, Int32Array.from(v));
const u8 = (shape: number[], v: number[]) => new Tensor('uint8', shape, Uint8Array.from(v));

describe('semantic maps', () => {
  test('argmaxClasses: first maximum wins, batched and unbatched', () => {
    // C=3, H=1, W=3: pixel 0 -> class 2, pixel 1 -> tie of 0 and 1 -> 0, pixel 2 -> class 1.
    const logits = new Tensor('float32', [3, 1, 3], Float32Array.from([0, 5, 1, -1, 5, 3, 2, 4, 0]));
    expect(argmaxClasses(logits).toArray()).toEqual([2, 0, 1]);
    expect(argmaxClasses(logits.reshape([1, 3, 1, 3])).shape).toEqual([1, 1, 3]);
    expect(() => argmaxClasses(i32([1, 1, 1], [0]) as never)).toThrow(DTypeError);
    expect(() => argmaxClasses(new Tensor('float32', [3], new Float32Array(3)))).toThrow(ShapeError);
  });

  test('resizeLabels: nearest as torch (floor(dst * in / out))', () => {
    const l = i32([2, 2], [1, 2, 3, 4]);
    expect(resizeLabels(l, [4, 4]).toArray()).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    const big = i32([3, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(resizeLabels(big, [2, 2]).toArray()).toEqual([0, 1, 3, 4]);
    expect(resizeLabels(big, [1, 3]).toArray()).toEqual([0, 1, 2]);
    expect(() => resizeLabels(big, [0, 2])).toThrow(/size/);
    expect(() => resizeLabels(i32([4], [0, 0, 0, 0]), [2, 2])).toThrow(ShapeError);
  });

  test('vocPalette: the VOC devkit colours', () => {
    const p = vocPalette();
    const c = (k: number) => [...p.subarray(3 * k, 3 * k + 3)];
    expect(c(0)).toEqual([0, 0, 0]);
    expect(c(1)).toEqual([128, 0, 0]);
    expect(c(2)).toEqual([0, 128, 0]);
    expect(c(3)).toEqual([128, 128, 0]);
    expect(c(15)).toEqual([192, 128, 128]);
    expect(c(255)).toEqual([224, 224, 192]);
  });

  test('colorize and overlay', () => {
    const labels = u8([1, 2], [0, 1]);
    expect(colorize(labels).toArray()).toEqual([0, 0, 0, 128, 0, 0]);
    const image = u8([1, 2, 3], [100, 100, 100, 100, 100, 100]);
    // Background (0) kept, class 1 blended: round(0.5 * 100 + 0.5 * 128) = 114, round(0.5 * 100) = 50.
    expect(overlay(image, labels).toArray()).toEqual([100, 100, 100, 114, 50, 50]);
    expect(overlay(image, labels, { alpha: 1, skip: [] }).toArray()).toEqual([0, 0, 0, 128, 0, 0]);
    expect(() => overlay(image, u8([2, 1], [0, 1]))).toThrow(/must match the image/);
    expect(() => colorize(u8([1, 1], [5]), vocPalette(3))).toThrow(/class id 5 has no colour/);
  });
});

describe('metrics', () => {
  // target [0 0 1 / 1 2 255], pred [0 1 1 / 1 2 0]; 255 ignored: 5 valid pixels, 4 correct.
  const target = i32([2, 3], [0, 0, 1, 1, 2, 255]);
  const pred = i32([2, 3], [0, 1, 1, 1, 2, 0]);

  test('pixel accuracy, per-class and mean IoU, Dice with an ignore index (hand-computed)', () => {
    const s = segmentationScores(pred, target, 3, { ignoreIndex: 255 });
    expect(s.pixelAccuracy).toBeCloseTo(4 / 5, 12);
    // class 0: tp 1, union 2; class 1: tp 2, union 3; class 2: tp 1, union 1.
    expect([...s.perClassIoU]).toEqual([0.5, 2 / 3, 1]);
    expect(s.meanIoU).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    expect([...s.perClassDice]).toEqual([2 / 3, 4 / 5, 1]);
    expect([...confusionMatrix(pred, target, 3, { ignoreIndex: 255 })]).toEqual([1, 1, 0, 0, 2, 0, 0, 0, 1]);
  });

  test('a class absent from both maps is NaN and left out of the means', () => {
    const s = segmentationScores(pred, target, 4, { ignoreIndex: 255 });
    expect(Number.isNaN(s.perClassIoU[3])).toBe(true);
    expect(s.meanIoU).toBeCloseTo((0.5 + 2 / 3 + 1) / 3, 12);
    const empty = segmentationScores(i32([1, 1], [0]), i32([1, 1], [255]), 2, { ignoreIndex: 255 });
    expect(Number.isNaN(empty.pixelAccuracy)).toBe(true);
    expect(Number.isNaN(empty.meanIoU)).toBe(true);
  });

  test('bad label maps: ids beyond numClasses (unless ignored), wrong shapes, wrong dtypes', () => {
    expect(() => segmentationScores(pred, target, 3)).toThrow(/target: class id 255 at index 5/);
    expect(() => segmentationScores(i32([2, 3], [7, 0, 0, 0, 0, 0]), target, 3, { ignoreIndex: 255 })).toThrow(
      /pred: class id 7/,
    );
    expect(() => segmentationScores(i32([3, 2], [0, 0, 0, 0, 0, 0]), target, 3)).toThrow(ShapeError);
    expect(() => segmentationScores(new Tensor('float32', [2, 3], new Float32Array(6)) as never, target, 3)).toThrow(
      DTypeError,
    );
    expect(() => segmentationScores(pred, target, 0)).toThrow(/numClasses/);
  });

  test('binary masks: IoU and Dice; both empty gives NaN', () => {
    const a = u8([2, 2], [1, 1, 0, 0]);
    const b = u8([2, 2], [0, 1, 1, 0]);
    expect(binaryMaskScores(a, b)).toEqual({ intersection: 1, union: 3, iou: 1 / 3, dice: 0.5 });
    const e = binaryMaskScores(u8([2, 2], [0, 0, 0, 0]), u8([2, 2], [0, 0, 0, 0]));
    expect(Number.isNaN(e.iou) && Number.isNaN(e.dice)).toBe(true);
    expect(() => binaryMaskScores(a, u8([4], [0, 0, 0, 0]))).toThrow(/pred and target/);
  });
});

describe('pasteMasksInImage (torchvision semantics)', () => {
  // A 2x2 mask of ones, padded to 4x4; box [2, 2, 5, 5] scaled by 4/2 about its center -> [0, 0, 6, 6] (7x7).
  // Bilinear 4 -> 7 (align_corners false) gives the profile p below along each axis; the mask is p[y] * p[x].
  const p = [0, 6 / 7 - 0.5, 10 / 7 - 0.5, 1, 10 / 7 - 0.5, 6 / 7 - 0.5, 0];
  const ones = new Tensor('float32', [1, 1, 2, 2], new Float32Array(4).fill(1));

  test('expand, resize and paste: hand-computed values', () => {
    const out = pasteMasksInImage(ones, [2, 2, 5, 5], [10, 10]);
    expect(out.shape).toEqual([1, 1, 10, 10]);
    const d = out.data as Float32Array;
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 10; x++) {
        const want = y < 7 && x < 7 ? p[y]! * p[x]! : 0;
        expect(d[y * 10 + x]).toBeCloseTo(want, 5);
      }
    }
  });

  test('threshold 0.5 and boxes crossing the image border', () => {
    const bin = pasteMasksInImage(ones, [2, 2, 5, 5], [10, 10], { threshold: 0.5 });
    expect(bin.dtype).toBe('uint8');
    const rows = (bin.data as Uint8Array).reduce((s, v) => s + v, 0);
    expect(rows).toBe(9); // x, y in {2, 3, 4}
    // Box [-2, -2, 1, 1] -> expanded [-3.5, -3.5, 2.5, 2.5], truncated to [-3, -3, 2, 2] (6x6): the 4 -> 6
    // profile is [0, 0.5, 1, 1, 0.5, 0] and image pixels 0..2 take its entries 3..5.
    const edge = pasteMasksInImage(ones, [-2, -2, 1, 1], [5, 5]).data as Float32Array;
    expect([...edge.subarray(0, 5)]).toEqual([1, 0.5, 0, 0, 0]);
    expect([...edge.subarray(5, 10)]).toEqual([0.5, 0.25, 0, 0, 0]);
  });

  test('bad input is named', () => {
    expect(() => pasteMasksInImage(ones, [0, 0, 1], [4, 4])).toThrow(/boxes: expected 4 \* 1/);
    expect(() =>
      pasteMasksInImage(new Tensor('float32', [1, 2, 3], new Float32Array(6)), [0, 0, 1, 1], [4, 4]),
    ).toThrow(ShapeError);
    expect(() => pasteMasksInImage(ones, [0, 0, 1, 1], [4, -1])).toThrow(/imageSize/);
  });
});

describe('COCO RLE', () => {
  interface Ann {
    bbox: number[];
    area: number;
    segmentation: { size: [number, number]; counts: string } | number[][];
  }
  const gt = readGoldenJson<{ annotations: Ann[] }>('coco/gt.json');
  const rles = gt.annotations.filter((a) => !Array.isArray(a.segmentation)).slice(0, 40);

  test('pycocotools strings decode to masks of the stated area and box, and re-encode to the same string', () => {
    expect(rles.length).toBe(40);
    for (const a of rles) {
      const seg = a.segmentation as { size: [number, number]; counts: string };
      const mask = rleToMask(seg);
      expect(mask.shape).toEqual(seg.size);
      expect((mask.data as Uint8Array).reduce((s, v) => s + v, 0)).toBe(a.area);
      expect(maskToRle(mask)).toEqual(seg);
      const [x1, y1, x2, y2] = masksToBoxes(mask.reshape([1, ...seg.size]));
      expect([x1, y1, x2! - x1! + 1, y2! - y1! + 1]).toEqual(a.bbox);
    }
  });

  test('hand case: a 3x4 mask, column-major runs', () => {
    // Row-major [[0,1,1,0],[0,1,1,0],[0,0,0,0]]: column-major runs 3 zeros, 2 ones, 1 zero, 2 ones, 4 zeros.
    const mask = u8([3, 4], [0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    const rle = maskToRle(mask);
    expect(rle.size).toEqual([3, 4]);
    expect(rleToMask(rle).toArray()).toEqual(mask.toArray());
    expect(() => rleToMask({ size: [2], counts: '' } as never)).toThrow(/rle/);
    expect(() => masksToBoxes(u8([1, 2, 2], [0, 0, 0, 0]), { empty: 'error' })).toThrow(DataError);
  });
});
