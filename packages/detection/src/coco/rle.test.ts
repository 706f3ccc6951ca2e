import { DataError, Rng } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../../test-utils/fixtures.js';
import {
  rleArea,
  rleDecode,
  rleEncode,
  rleFromString,
  rleMerge,
  rleToBbox,
  rleToCompressed,
  rleToString,
} from './rle.js';
import { rleFromBbox, rleFromPolygon, rleFromSegmentation } from './rle-poly.js';

interface GtJson {
  annotations: { bbox: number[]; area: number; segmentation: { size: [number, number]; counts: string } }[];
}

/** Random 0/1 mask with a few rectangles, row-major. */
function randomMask(rng: Rng, h: number, w: number): Uint8Array {
  const m = new Uint8Array(h * w);
  const n = rng.integers(0, 4);
  for (let r = 0; r < n; r++) {
    const x0 = rng.integers(0, w);
    const y0 = rng.integers(0, h);
    const x1 = rng.integers(x0, w + 1);
    const y1 = rng.integers(y0, h + 1);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  }
  return m;
}

describe('RLE encode / decode', () => {
  it('encodes column-major counts starting with a 0-run', () => {
    // 3x2 mask (row-major): column 0 is [0, 1, 1], column 1 is [1, 0, 0].
    const mask = [0, 1, 1, 0, 1, 0];
    const rle = rleEncode(mask, 3, 2);
    expect(Array.from(rle.counts)).toEqual([1, 3, 2]);
    expect(Array.from(rleEncode([1, 1, 1, 1], 2, 2).counts)).toEqual([0, 4]);
    expect(Array.from(rleEncode([0, 0, 0, 0], 2, 2).counts)).toEqual([4]);
    // The same mask given column-major.
    expect(Array.from(rleEncode([0, 1, 1, 1, 0, 0], 3, 2, 'column-major').counts)).toEqual([1, 3, 2]);
    expect(Array.from(rleDecode(rle))).toEqual(mask);
    expect(Array.from(rleDecode(rle, 'column-major'))).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('round-trips random masks (dense -> RLE -> string -> RLE -> dense)', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const h = rng.integers(1, 40);
      const w = rng.integers(1, 40);
      const mask = randomMask(rng, h, w);
      const rle = rleEncode(mask, h, w);
      let area = 0;
      for (const v of mask) area += v;
      expect(rleArea(rle)).toBe(area);
      const back = rleFromString(rleToString(rle), h, w);
      expect(Array.from(back.counts)).toEqual(Array.from(rle.counts));
      expect(Array.from(rleDecode(back))).toEqual(Array.from(mask));
    }
  });

  it('rejects bad arguments', () => {
    expect(() => rleEncode([0, 1], 2, 2)).toThrow(RangeError);
    expect(() => rleEncode([0, 1], -1, 2)).toThrow(/height/);
    expect(() => rleDecode({ height: 2, width: 2, counts: Uint32Array.from([1, 2]) })).toThrow(DataError);
  });
});

describe('compressed string form', () => {
  it('matches hand-computed strings', () => {
    const s = (counts: number[]) => rleToString({ height: 0, width: 0, counts: Uint32Array.from(counts) });
    expect(s([3, 2, 4])).toBe('324');
    // 100 = 0b11_00100: low 5 bits 4 with the continuation bit (4 | 32) + 48 = 'T', then 3 -> '3'.
    expect(s([100])).toBe('T3');
    // From the 4th count on, the difference to the count two back is stored: 1 - 2 = -1 -> 31 + 48 = 'O'.
    expect(s([1, 2, 3, 1])).toBe('123O');
    expect(Array.from(rleFromString('123O', 1, 7).counts)).toEqual([1, 2, 3, 1]);
    expect(Array.from(rleFromString('T3', 10, 10).counts)).toEqual([100]);
  });

  it('reproduces every RLE string, area and box of the golden ground truth', () => {
    const gt = readGoldenJson<GtJson>('coco/gt.json');
    expect(gt.annotations.length).toBeGreaterThan(200);
    for (const a of gt.annotations) {
      const [h, w] = a.segmentation.size;
      const rle = rleFromString(a.segmentation.counts, h, w);
      expect(rleToString(rle)).toBe(a.segmentation.counts);
      expect(rleArea(rle)).toBe(a.area);
      expect(rleToBbox(rle)).toEqual(a.bbox);
      // Dense round trip.
      const dense = rleDecode(rle);
      expect(rleToCompressed(rleEncode(dense, h, w))).toEqual({ size: [h, w], counts: a.segmentation.counts });
    }
  });

  it('rejects malformed strings with a DataError naming the field', () => {
    expect(() => rleFromString('12 3', 2, 3, 'ann.counts')).toThrow(/ann\.counts: invalid character " " at 2/);
    expect(() => rleFromString('T', 2, 3)).toThrow(/ends inside a number/);
    expect(() => rleFromString('1O', 2, 3)).toThrow(DataError); // second count decodes to -1
  });
});

describe('area, box, merge', () => {
  it('computes the box of masks that wrap columns, and of empty masks', () => {
    // 4x3: pixels (y=3, x=0) and (y=0, x=1): one run crossing a column boundary -> full height.
    const rle = rleEncode([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0], 4, 3);
    expect(rleToBbox(rle)).toEqual([0, 0, 2, 4]);
    expect(rleToBbox(rleEncode(new Uint8Array(6), 2, 3))).toEqual([0, 0, 0, 0]);
    expect(rleArea(rle)).toBe(2);
  });

  it('merges as union and intersection, equal to dense logic', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 30; trial++) {
      const h = rng.integers(1, 20);
      const w = rng.integers(1, 20);
      const masks = [randomMask(rng, h, w), randomMask(rng, h, w), randomMask(rng, h, w)];
      const rles = masks.map((m) => rleEncode(m, h, w));
      const union = masks[0]!.map((_, i) => masks[0]![i]! | masks[1]![i]! | masks[2]![i]!);
      const inter = masks[0]!.map((_, i) => masks[0]![i]! & masks[1]![i]! & masks[2]![i]!);
      expect(Array.from(rleMerge(rles).counts)).toEqual(Array.from(rleEncode(union, h, w).counts));
      expect(Array.from(rleMerge(rles, true).counts)).toEqual(Array.from(rleEncode(inter, h, w).counts));
    }
    expect(rleMerge([]).counts.length).toBe(0);
    expect(() => rleMerge([rleEncode([1], 1, 1), rleEncode([1, 1], 1, 2)])).toThrow(/rles\[1\] is 1x2/);
  });
});

describe('polygons and boxes (rleFrPoly)', () => {
  // Expected strings are pycocotools' own outputs, as recorded in twsl/pytorchcocotools tests/mask/test_fr_py_objects.py.
  it('rasterises a box like pycocotools frBbox', () => {
    expect(rleToString(rleFromBbox([10, 10, 10, 10], 25, 25))).toBe('T8:?00000000000000000c3');
  });

  it('rasterises a polygon like pycocotools frPoly', () => {
    const rle = rleFromPolygon([10, 10, 20, 10, 20, 20, 21, 21, 10, 20], 25, 25);
    expect(rleToString(rle)).toBe('T8:?00000000001O00000:F`2');
  });

  it('rasterises real COCO polygons like pycocotools', () => {
    const a = [
      266.83, 189.37, 267.79, 175.29, 269.46, 170.04, 271.37, 165.98, 270.89, 163.12, 269.12, 159.54, 272.8, 156.44,
      287.36, 156.44, 293.33, 157.87, 296.91, 160.49, 296.91, 161.21, 291.89, 161.92, 289.98, 165.03, 291.42, 169.56,
      285.16, 196.54,
    ];
    const b = [
      266.35, 214.44, 270.41, 217.3, 276.38, 218.97, 282.11, 218.97, 285.93, 217.3, 286.88, 207.28, 267.07, 201.07,
    ];
    expect(rleToString(rleFromPolygon(a, 427, 640))).toBe(
      '\\`_3;j<6B@nCc0Q<@kCc0S<;01N10001O001O00001O001O0000O1L4K6K4L4B]COh<O<O001O0O2Omk^4',
    );
    expect(rleToString(rleFromPolygon(b, 427, 640))).toBe('RT_32n<<O100O0010O000010O0001O00001O000O101O0ISPc4');
    // A polygon list is the union of its parts.
    const merged = rleFromSegmentation([a, b], 427, 640);
    expect(rleArea(merged)).toBe(rleArea(rleFromPolygon(a, 427, 640)) + rleArea(rleFromPolygon(b, 427, 640)));
  });

  it('fills integer rectangles exactly', () => {
    const rle = rleFromPolygon([2, 1, 2, 4, 5, 4, 5, 1], 6, 7);
    const dense = rleDecode(rle);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 7; x++) expect(dense[y * 7 + x]).toBe(x >= 2 && x < 5 && y >= 1 && y < 4 ? 1 : 0);
    }
    // Closing the polygon explicitly (first point repeated) changes nothing.
    expect(rleFromPolygon([2, 1, 2, 4, 5, 4, 5, 1, 2, 1], 6, 7).counts).toEqual(rle.counts);
    // Parts outside the canvas are clipped.
    expect(rleArea(rleFromPolygon([-3, -3, -3, 2, 2, 2, 2, -3], 6, 7))).toBe(4);
  });

  it('converts uncompressed RLE and reads first-of-4 polygon lists as boxes, like frPyObjects', () => {
    const uncompressed = { size: [25, 25] as [number, number], counts: [130, 5, 20, 5, 20, 5, 20, 5, 20, 5, 390] };
    expect(rleToString(rleFromSegmentation(uncompressed, 0, 0))).toBe('R45d00000000b;');
    expect(rleFromSegmentation([[10, 10, 10, 10]], 25, 25).counts).toEqual(
      rleFromBbox([10, 10, 10, 10], 25, 25).counts,
    );
  });

  it('rejects malformed segmentations with a DataError naming the field', () => {
    expect(() => rleFromSegmentation([], 5, 5, 'seg')).toThrow(/seg: empty polygon list/);
    expect(() => rleFromSegmentation([[1, 2, 3]], 5, 5, 'seg')).toThrow(/seg\[0\]: a polygon needs an even number/);
    expect(() => rleFromSegmentation([[1, 2, Number.NaN, 4, 5, 6]], 5, 5, 'seg')).toThrow(
      /seg\[0\]: expected a list of finite/,
    );
    expect(() =>
      rleFromSegmentation(
        [
          [0, 0, 1, 1],
          [1, 2, 3, 4, 5, 6],
        ],
        5,
        5,
        'seg',
      ),
    ).toThrow(/seg\[1\]: has 6 numbers/);
    expect(() => rleFromSegmentation({ size: [2, 2], counts: [1, 2] }, 0, 0, 'seg')).toThrow(/sum to 3, expected/);
    expect(() => rleFromSegmentation({ size: [2], counts: 'a' }, 0, 0, 'seg')).toThrow(/seg\.size/);
    expect(() => rleFromSegmentation({ size: [2, 2], counts: 5 }, 0, 0, 'seg')).toThrow(/seg\.counts/);
    expect(() => rleFromSegmentation({ size: [2, 2], counts: [1, -1] }, 0, 0, 'seg')).toThrow(/seg\.counts\[1\]/);
    expect(() => rleFromSegmentation('x', 0, 0, 'seg')).toThrow(DataError);
    expect(() => rleFromPolygon([1, 2, Number.POSITIVE_INFINITY, 3], 5, 5)).toThrow(RangeError);
    expect(() => rleFromSegmentation([[0, 0, 1e12, 0, 0, 5]], 5, 5, 'seg')).toThrow(/seg\[0\]: .*within/);
    expect(() => rleFromSegmentation([[0, 0, 3e8, 0, 0, 5]], 5, 5, 'seg')).toThrow(/seg\[0\]: .*points/);
  });
});
