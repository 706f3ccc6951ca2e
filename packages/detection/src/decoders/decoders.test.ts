import { DataError, ShapeError, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { BoxCoder } from '../box-coder.js';
import { cocoCategoryIdsByYoloIndex, toCocoResults } from './coco-results.js';
import type { DecoderConfig, PreprocessSpec, YoloDecoderConfig } from './config.js';
import { ssdPriors } from './decode-anchors.js';
import { createDecoder, decoderFromJson, detect, postprocessDetections } from './decoder.js';
import { preprocessImage, resizeBilinear } from './preprocess.js';
import { BLAZEFACE_BACK_256_CONFIG, FASTESTDET_CONFIG, ULTRAFACE_RFB_320_CONFIG } from './presets.js';

const f32 = (shape: number[], data: number[] | Float32Array) => new Tensor('float32', shape, Float32Array.from(data));
const post = { scoreThreshold: 0.25, iouThreshold: 0.45, maxDetections: 10, classAware: true };
const plain: PreprocessSpec = {
  width: 4,
  height: 2,
  channelOrder: 'rgb',
  mean: [0, 0, 0],
  std: [1, 1, 1],
  layout: 'nchw',
  resize: 'stretch',
};

describe('preprocess', () => {
  it('resizes bilinearly with half-pixel centres and edge clamping (OpenCV INTER_LINEAR)', () => {
    const image = { data: Uint8Array.from([0, 0, 0, 100, 200, 40]), width: 2, height: 1 };
    const out = resizeBilinear(image, 4, 1);
    // Source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(Array.from(out.filter((_, i) => i % 3 === 0))).toEqual([0, 25, 75, 100]);
    expect(Array.from(out.filter((_, i) => i % 3 === 1))).toEqual([0, 50, 150, 200]);
  });

  it('applies channel order, mean/std and layout', () => {
    const image = { data: Uint8Array.from([10, 20, 30, 40, 50, 60]), width: 2, height: 1 };
    const spec: PreprocessSpec = {
      ...plain,
      width: 2,
      height: 1,
      channelOrder: 'bgr',
      mean: [1, 2, 3],
      std: [1, 2, 3],
    };
    const nchw = preprocessImage(image, spec).input;
    expect(nchw.shape).toEqual([1, 3, 1, 2]);
    // b, g, r planes: (30 - 1) / 1, (20 - 2) / 2, (10 - 3) / 3 for the first pixel.
    [29, 59, 9, 24, 7 / 3, 37 / 3].forEach((v, k) => {
      expect(nchw.data[k]).toBeCloseTo(v, 5);
    });
    const nhwc = preprocessImage(image, { ...spec, layout: 'nhwc', channelOrder: 'rgb' }).input;
    expect(nhwc.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(nhwc.data)).toEqual([9, 9, 9, 39, 24, 19]);
  });

  it('letterboxes centred with padValue and returns the inverse transform', () => {
    const image = { data: new Uint8Array(4 * 2 * 3).fill(200), width: 4, height: 2 };
    const { input, transform } = preprocessImage(image, {
      ...plain,
      width: 4,
      height: 4,
      resize: 'letterbox',
      padValue: 114,
    });
    expect(transform).toEqual({ scaleX: 1, scaleY: 1, padX: 0, padY: 1, width: 4, height: 2 });
    expect(Array.from(input.data.subarray(0, 16))).toEqual([
      ...Array(4).fill(114),
      ...Array(8).fill(200),
      ...Array(4).fill(114),
    ]);
  });

  it('rejects bad images naming the field', () => {
    expect(() => preprocessImage({ data: new Uint8Array(5), width: 2, height: 1 }, plain)).toThrow(ShapeError);
    expect(() => preprocessImage({ data: [1, 2] as never, width: 2, height: 1 }, plain)).toThrow(/image\.data/);
    expect(() => preprocessImage({ data: new Uint8Array(0), width: 0, height: 1 }, plain)).toThrow(RangeError);
  });
});

describe('ssd decoder (UltraFace priors)', () => {
  it('builds the 4420 priors in the documented order, clipped', () => {
    const priors = ssdPriors(ULTRAFACE_RFB_320_CONFIG);
    expect(priors.length / 4).toBe(4420);
    const cx = 0.5 / 40;
    const cy = 0.5 / 30;
    expect(Array.from(priors.subarray(0, 4))).toEqual([cx - 5 / 320, cy - 5 / 240, cx + 5 / 320, cy + 5 / 240]);
    // The last prior: 5x4 map, cell (4, 3), size 256 -> height 256/240 clipped to 1.
    const last = Array.from(priors.subarray(4 * 4419));
    expect(last[3]! - last[1]!).toBeCloseTo(1, 12);
    expect((last[0]! + last[2]!) / 2).toBeCloseTo(4.5 / 5, 12);
  });

  it('decodes deltas encoded with BoxCoder(10, 10, 5, 5) back to the box, scores above threshold only', () => {
    const priors = ssdPriors(ULTRAFACE_RFB_320_CONFIG);
    const n = 4420;
    const target = Float64Array.of(0.2, 0.3, 0.35, 0.5);
    const i = 1234;
    const deltas = new BoxCoder([10, 10, 5, 5]).encode(target, priors.slice(4 * i, 4 * i + 4));
    const boxes = new Float32Array(4 * n);
    boxes.set(deltas, 4 * i);
    const scores = new Float32Array(2 * n).fill(0.5);
    for (let k = 0; k < n; k++) scores[2 * k] = k === i ? 0.1 : 0.99;
    scores[2 * i + 1] = 0.9;
    for (let k = 0; k < n; k++) if (k !== i) scores[2 * k + 1] = 0.01;
    const raw = createDecoder(ULTRAFACE_RFB_320_CONFIG).decode({
      scores: f32([1, n, 2], scores),
      boxes: f32([1, n, 4], boxes),
    });
    expect(raw.scores.length).toBe(1);
    expect(raw.scores[0]).toBeCloseTo(0.9, 6);
    expect(raw.classes[0]).toBe(0);
    const expected = [0.2 * 320, 0.3 * 240, 0.35 * 320, 0.5 * 240];
    Array.from(raw.boxes).forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 3);
    });
  });

  it('applies softmax to logits and names missing outputs and bad shapes', () => {
    const cfg = { ...ULTRAFACE_RFB_320_CONFIG, scores: 'logits' as const };
    const scores = new Float32Array(2 * 4420).fill(0);
    scores[1] = Math.log(3); // softmax([0, ln 3]) = [0.25, 0.75]
    const raw = createDecoder(cfg).decode(
      { scores: f32([1, 4420, 2], scores), boxes: f32([1, 4420, 4], new Float32Array(4 * 4420)) },
      0.6,
    );
    expect(raw.scores.length).toBe(1);
    expect(raw.scores[0]).toBeCloseTo(0.75, 6);
    expect(() => createDecoder(cfg).decode({ boxes: f32([1, 1, 4], [0, 0, 0, 0]) })).toThrow(/no output 'scores'/);
    expect(() =>
      createDecoder(cfg).decode({ scores: f32([1, 2, 2], [0, 0, 0, 0]), boxes: f32([1, 2, 4], new Float32Array(8)) }),
    ).toThrow(ShapeError);
  });
});

describe('blazeface decoder', () => {
  it('decodes anchors + pixel offsets, sigmoid scores and keypoints', () => {
    const s = new Float32Array(512).fill(-10);
    const s2 = new Float32Array(384).fill(-10);
    const r = new Float32Array(512 * 16);
    const r2 = new Float32Array(384 * 16);
    // Anchor 3 of the 8x8 level = cell 0 (x 0, y 0) -> centre (1/16, 1/16) of 256 = (16, 16) px.
    const a = 3;
    s2[a] = 2;
    r2.set([8, -4, 64, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 16 * a);
    const raw = createDecoder(BLAZEFACE_BACK_256_CONFIG).decode({
      'Identity:0': f32([1, 512, 1], s),
      'Identity_1:0': f32([1, 384, 1], s2),
      'Identity_2:0': f32([1, 512, 16], r),
      'Identity_3:0': f32([1, 384, 16], r2),
    });
    expect(raw.scores.length).toBe(1);
    expect(raw.scores[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(Array.from(raw.boxes)).toEqual([24 - 32, 12 - 16, 24 + 32, 12 + 16]);
    expect(raw.keypointCount).toBe(6);
    expect(Array.from(raw.keypoints!.subarray(0, 4))).toEqual([17, 18, 19, 20]);
  });
});

describe('fastestdet decoder', () => {
  it('scores obj^0.6 * cls^0.4 and decodes tanh centres and sigmoid sizes on the grid', () => {
    const G = 22;
    const data = new Float32Array(85 * G * G);
    const cell = 5 * G + 7; // row 5, col 7
    const set = (ch: number, v: number) => {
      data[ch * G * G + cell] = v;
    };
    set(0, 0.8);
    set(1, Math.atanh(0.5));
    set(2, Math.atanh(-0.25));
    set(3, 0); // sigmoid 0.5
    set(4, Math.log(0.25 / 0.75)); // sigmoid 0.25
    set(5 + 16, 0.9);
    set(5 + 3, 0.5);
    const raw = createDecoder(FASTESTDET_CONFIG).decode({ out: f32([1, 85, G, G], data) }, 0.1);
    expect(raw.scores.length).toBe(1);
    expect(raw.scores[0]).toBeCloseTo(0.8 ** 0.6 * 0.9 ** 0.4, 6);
    expect(raw.classes[0]).toBe(16);
    const cx = (7.5 / G) * 352;
    const cy = (4.75 / G) * 352;
    const expected = [cx - 88, cy - 44, cx + 88, cy + 44];
    Array.from(raw.boxes).forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k]!, 3);
    });
    expect(() => createDecoder(FASTESTDET_CONFIG).decode({ out: f32([1, 84, 1, 1], new Float32Array(84)) })).toThrow(
      /expected output \[1, 85, H, W\]/,
    );
  });
});

const yoloBase: YoloDecoderConfig = {
  type: 'yolo',
  preprocess: { ...plain, width: 64, height: 64, resize: 'letterbox' },
  postprocess: post,
  numClasses: 2,
  hasObjectness: true,
  format: 'grid',
  boxEncoding: 'yolov5',
  levels: [
    {
      output: 'p3',
      stride: 8,
      anchors: [
        [10, 13],
        [16, 30],
      ],
    },
  ],
};
// biome-ignore lint/suspicious/noExplicitAny: a JSON object patched freely in the validation tests
type YoloJson = Record<string, any>;
const logit = (p: number) => Math.log(p / (1 - p));

describe('yolo decoder', () => {
  it('decodes yolov5 and yolov3 box encodings from [1, A*(5+C), H, W] heads', () => {
    const H = 8;
    const data = new Float32Array(2 * 7 * H * H).fill(-20);
    const cell = 2 * H + 3; // row 2, col 3; anchor 1
    const put = (k: number, v: number) => {
      data[(7 + k) * H * H + cell] = v;
    };
    [logit(0.75), logit(0.5), logit(0.5), logit(0.25), logit(0.9), logit(0.2), logit(0.8)].forEach((v, k) => {
      put(k, v);
    });
    const outputs = { p3: f32([1, 14, H, H], data) };
    const v5 = createDecoder(yoloBase).decode(outputs);
    expect(v5.classes[0]).toBe(1);
    expect(v5.scores[0]).toBeCloseTo(0.72, 5);
    // cx = (2*0.75 - 0.5 + 3) * 8 = 32, cy = (1 - 0.5 + 2) * 8 = 20, w = (2*0.5)^2 * 16 = 16, h = 0.25 * 30 = 7.5
    [24, 16.25, 40, 23.75].forEach((v, k) => {
      expect(v5.boxes[k]).toBeCloseTo(v, 4);
    });
    const v3 = createDecoder({ ...yoloBase, boxEncoding: 'yolov3' }).decode(outputs);
    // cx = (0.75 + 3) * 8 = 30, cy = (0.5 + 2) * 8 = 20, w = exp(0) * 16, h = exp(logit(.25)) * 30 = 10
    [22, 15, 38, 25].forEach((v, k) => {
      expect(v3.boxes[k]).toBeCloseTo(v, 4);
    });
    // The same head as [1, A, H, W, 5 + C].
    const five = new Float32Array(2 * H * H * 7);
    for (let a = 0; a < 2; a++)
      for (let c = 0; c < H * H; c++)
        for (let k = 0; k < 7; k++) five[(a * H * H + c) * 7 + k] = data[(a * 7 + k) * H * H + c]!;
    const v5b = createDecoder(yoloBase).decode({ p3: f32([1, 2, H, H, 7], five) });
    expect(Array.from(v5b.boxes)).toEqual(Array.from(v5.boxes));
    expect(() => createDecoder(yoloBase).decode({ p3: f32([1, 13, 1, 1], new Float32Array(13)) })).toThrow(ShapeError);
  });

  it('decodes flat rows (transposed, without objectness, as YOLOv8) and xyxy rows', () => {
    const cfg: YoloDecoderConfig = {
      ...yoloBase,
      format: 'flat',
      hasObjectness: false,
      transposed: true,
      levels: undefined,
    };
    // [1, 4 + 2, 3]: three candidates, columns are candidates.
    const rows = [
      [10, 20, 4, 6, 0.1, 0.9],
      [30, 30, 10, 10, 0.05, 0.1],
      [50, 40, 8, 8, 0.7, 0.2],
    ];
    const t = new Float32Array(18);
    for (const [i, r] of rows.entries()) for (const [k, v] of r.entries()) t[k * 3 + i] = v;
    const raw = createDecoder(cfg).decode({ out: f32([1, 6, 3], t) });
    expect(Array.from(raw.classes)).toEqual([1, 0]);
    expect(Array.from(raw.boxes)).toEqual([8, 17, 12, 23, 46, 36, 54, 44]);
    const xyxy = createDecoder({ ...cfg, transposed: false, boxFormat: 'xyxy' }).decode({
      out: f32([1, 3, 6], rows.flat()),
    });
    expect(Array.from(xyxy.boxes.subarray(0, 4))).toEqual([10, 20, 4, 6]);
  });

  it('decoderFromJson validates and names the field', () => {
    const json = JSON.parse(JSON.stringify(yoloBase));
    expect(decoderFromJson(json).config).toEqual({ ...yoloBase, activation: 'sigmoid' });
    const bad = (patch: (o: YoloJson) => void, re: RegExp) => {
      const o = JSON.parse(JSON.stringify(yoloBase));
      patch(o);
      expect(() => decoderFromJson(o)).toThrow(DataError);
      expect(() => decoderFromJson(o)).toThrow(re);
    };
    bad(
      (o) => (o.levels[0].anchors[1][0] = -1),
      /config\.levels\[0\]\.anchors\[1\]\[0\]: expected a finite number > 0, got -1/,
    );
    bad((o) => delete o.levels, /config\.levels: expected an array/);
    bad((o) => (o.type = 'detr'), /config\.type: expected one of 'ssd', 'blazeface', 'fastestdet', 'yolo'/);
    bad((o) => (o.preprocess.std[2] = 0), /config\.preprocess\.std\[2\]/);
    bad((o) => (o.preprocess.layout = 'chw'), /config\.preprocess\.layout/);
    bad((o) => (o.postprocess.iouThreshold = 1.5), /config\.postprocess\.iouThreshold: expected a number in \[0, 1\]/);
    bad((o) => (o.boxEncoding = 'v9'), /config\.boxEncoding/);
    expect(() => decoderFromJson(null)).toThrow(/config: expected an object/);
    const ssd = JSON.parse(JSON.stringify(ULTRAFACE_RFB_320_CONFIG));
    ssd.priors.minSizes.pop();
    expect(() => decoderFromJson(ssd)).toThrow(/config\.priors\.minSizes: expected an array of 4/);
    const bf = JSON.parse(JSON.stringify(BLAZEFACE_BACK_256_CONFIG));
    bf.outputs.regressors = ['a'];
    expect(() => decoderFromJson(bf)).toThrow(/config\.outputs\.regressors: expected an array of 2/);
  });
});

describe('postprocess, detect and COCO results', () => {
  const raw = {
    boxes: Float32Array.from([0, 0, 10, 10, 1, 1, 11, 11, 0, 0, 10, 10, 20, 20, 30, 30]),
    scores: Float32Array.from([0.9, 0.8, 0.7, 0.1]),
    classes: Int32Array.from([0, 0, 1, 0]),
    keypointCount: 0,
  };
  const transform = { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 2, width: 100, height: 100 };

  it('thresholds, runs NMS per class or across classes, caps and maps back', () => {
    const perClass = postprocessDetections(raw, transform, post);
    expect(perClass.map((d) => d.score)).toEqual([Math.fround(0.9), Math.fround(0.7)]);
    expect(perClass[0]!.box).toEqual([0, 0, 20, 16]);
    expect(postprocessDetections(raw, transform, { ...post, classAware: false })).toHaveLength(1);
    expect(postprocessDetections(raw, transform, { ...post, scoreThreshold: 0, maxDetections: 2 })).toHaveLength(2);
    expect(postprocessDetections(raw, transform, { ...post, scoreThreshold: 0, preNmsTopK: 1 })).toHaveLength(1);
  });

  it('detect runs any CompiledModel: feeds the named input, decodes, overrides postprocess options', async () => {
    const seen: string[] = [];
    const G = 22;
    const data = new Float32Array(85 * G * G);
    data[0] = 1; // cell (0, 0): obj 1, class 0 score 1, box w = h = sigmoid(0) of the image
    data[5 * G * G] = 1;
    const model = {
      inputNames: ['input.1'],
      outputNames: ['758'],
      providers: ['fake'],
      run: async (feeds: Record<string, Tensor>) => {
        seen.push(...Object.keys(feeds), feeds['input.1']!.shape.join('x'));
        return { 758: f32([1, 85, G, G], data) };
      },
      dispose() {},
      [Symbol.dispose]() {},
    };
    const image = { data: new Uint8Array(88 * 44 * 3), width: 88, height: 44 };
    const dets = await detect(model, createDecoder(FASTESTDET_CONFIG), image);
    expect(seen).toEqual(['input.1', '1x3x352x352']);
    expect(dets).toHaveLength(1);
    // centre (col + tanh(0)) / 22 = 0, size half the image: x2 = 88 / 4, x1 clipped at 0.
    expect(dets[0]!.box[2]).toBeCloseTo(22, 3);
    expect(dets[0]!.box[0]).toBe(0);
    expect(await detect(model, createDecoder(FASTESTDET_CONFIG), image, { scoreThreshold: 1 })).toHaveLength(1);
    await expect(detect(model, createDecoder(FASTESTDET_CONFIG), image, { iouThreshold: -1 })).rejects.toThrow(
      /postprocess\.iouThreshold/,
    );
    await expect(detect({} as never, createDecoder(FASTESTDET_CONFIG), image)).rejects.toThrow(TypeError);
    const results = toCocoResults(dets, 42, [7]);
    expect(results[0]).toMatchObject({ image_id: 42, category_id: 7, score: dets[0]!.score });
    expect(results[0]!.bbox[2]).toBeCloseTo(dets[0]!.box[2] - dets[0]!.box[0], 6);
  });

  it('maps class indices via yolo_index and rejects malformed category records', () => {
    const gt = {
      categories: [
        { id: 1, yolo_index: 0 },
        { id: 3, yolo_index: 1 },
      ],
    };
    expect(cocoCategoryIdsByYoloIndex(gt)).toEqual([1, 3]);
    expect(() => cocoCategoryIdsByYoloIndex({ categories: [{ id: 1 }] })).toThrow(/gt\.categories\[0\]\.yolo_index/);
    expect(() => cocoCategoryIdsByYoloIndex({})).toThrow(DataError);
    const det = { box: [0, 0, 1, 1] as [number, number, number, number], score: 1, classIndex: 5 };
    expect(() => toCocoResults([det], 1, [1, 3])).toThrow(/detections\[0\]\.classIndex 5/);
    expect(toCocoResults([det], 1)[0]!.category_id).toBe(6);
    expect(() => toCocoResults([det], 1.5)).toThrow(TypeError);
  });

  it('every preset is valid JSON configuration', () => {
    const presets: DecoderConfig[] = [FASTESTDET_CONFIG, ULTRAFACE_RFB_320_CONFIG, BLAZEFACE_BACK_256_CONFIG];
    for (const p of presets) expect(decoderFromJson(JSON.parse(JSON.stringify(p))).config).toEqual(p);
  });
});
