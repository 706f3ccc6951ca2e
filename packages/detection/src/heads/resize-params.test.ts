import { describe, expect, it } from 'vitest';
import { boxesToCanvas, boxesToOriginal, letterbox, resizeForDetection } from './resize-params.js';

describe('resizeForDetection (torchvision GeneralizedRCNNTransform)', () => {
  it('scales the shorter side to minSize unless the longer one would pass maxSize', () => {
    const p = resizeForDetection({ height: 480, width: 640 });
    expect([p.resizedHeight, p.resizedWidth]).toEqual([800, 1066]); // floor(640 * 800/480)
    const q = resizeForDetection({ height: 300, width: 1000 });
    expect([q.resizedHeight, q.resizedWidth]).toEqual([399, 1333]); // max side bound: scale 1.333
    expect(p.scaleX).toBeCloseTo(1066 / 640, 12);
  });

  it('maps boxes back to the original image exactly (torchvision resize_boxes ratios)', () => {
    const p = resizeForDetection({ height: 480, width: 640 }, { minSize: 600, maxSize: 1000 });
    const orig = Float32Array.of(10, 20, 300, 400, 0, 0, 640, 480);
    const back = boxesToOriginal(boxesToCanvas(orig, p), p);
    for (let i = 0; i < orig.length; i++) expect(back[i]).toBeCloseTo(orig[i]!, 3);
  });

  it('rejects bad sizes', () => {
    expect(() => resizeForDetection({ height: 0, width: 5 })).toThrow(/image.height: expected an integer >= 1, got 0/);
    expect(() => resizeForDetection({ height: 5, width: 5 }, { minSize: -1 })).toThrow(RangeError);
  });
});

describe('letterbox', () => {
  it('fits 480x640 into 640x640 with 80 rows of padding above and below', () => {
    const p = letterbox({ height: 480, width: 640 }, { size: 640 });
    expect(p).toMatchObject({ resizedHeight: 480, resizedWidth: 640, padTop: 80, padLeft: 0, canvasHeight: 640 });
    const canvas = Float32Array.of(0, 80, 640, 560, 100, 100, 200, 700);
    expect(Array.from(boxesToOriginal(canvas, p))).toEqual([0, 0, 640, 480, 100, 20, 200, 480]);
    expect(Array.from(boxesToOriginal(canvas, p, { clip: false }))).toEqual([0, 0, 640, 480, 100, 20, 200, 620]);
  });

  it('rounds as ultralytics (odd padding) and honours scaleUp: false and center: false', () => {
    const p = letterbox({ height: 333, width: 500 }, { size: [416, 416] });
    expect(p.resizedWidth).toBe(416);
    expect(p.resizedHeight).toBe(277); // round(333 * 0.832)
    expect(p.padTop).toBe(Math.round(139 / 2 - 0.1)); // 69, the other 70 below
    const small = letterbox({ height: 100, width: 50 }, { size: 640, scaleUp: false, center: false });
    expect(small).toMatchObject({ resizedHeight: 100, resizedWidth: 50, padTop: 0, padLeft: 0, scaleX: 1 });
    const box = Float32Array.of(5, 6, 30, 90);
    expect(Array.from(boxesToOriginal(boxesToCanvas(box, p), p))).toEqual(
      Array.from(box).map((v) => expect.closeTo(v, 3)),
    );
  });

  it('rejects bad options and box arrays', () => {
    expect(() => letterbox({ height: 4, width: 4 }, { size: 0 })).toThrow(RangeError);
    expect(() => boxesToOriginal(new Float32Array(3), letterbox({ height: 4, width: 4 }, { size: 8 }))).toThrow(
      /4N numbers/,
    );
  });
});
