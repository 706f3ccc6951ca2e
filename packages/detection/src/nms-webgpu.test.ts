/// <reference types="@webgpu/types" />
/**
 * WebGPU NMS against the CPU `nms` / `batchedNms` (keep lists must be identical) on a real WebGPU device: Node's
 * `webgpu` package (Dawn). Without a GPU, vitest.config.ts points Dawn at SwiftShader. No adapter fails the suite.
 */
import { Rng, ShapeError, Tensor } from '@striate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'webgpu';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { boxAreas, scoreOrder } from './internal/nms-kernel.js';
import { batchedNms, nms } from './nms.js';
import { batchedNmsWebGpu, disposeNmsWebGpu, nmsWebGpu } from './nms-webgpu.js';
import { suppressionLists } from './webgpu/nms-mask-gpu.js';
import { prepareMaskInput } from './webgpu/nms-prepare.js';

interface NmsCase {
  boxes: number[][];
  scores: number[];
  iou: number;
  keep: number[];
}
const cases = readGoldenJson<{ cases: { nms: NmsCase[]; batched_nms: NmsCase & { idxs: number[] } } }>(
  'ops.json',
).cases;

// Keep the GPU object alive as long as its devices: dawn.node frees the instance when the object is collected, and
// the process then crashes at random (a futex abort or a segfault) while devices are still in use.
let gpu: GPU;
let device: GPUDevice;
let live = 0; // GPU buffers created and not yet destroyed

beforeAll(async () => {
  gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'nms-webgpu tests: no WebGPU adapter from the `webgpu` package (Dawn). It needs a Vulkan driver: ' +
        'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Debian chromium) or a GPU driver ICD, ' +
        'XDG_RUNTIME_DIR=<a writable folder>, and LD_LIBRARY_PATH=/usr/lib/chromium when the system has no ' +
        'libvulkan.so.1. packages/detection/vitest.config.ts sets these when /usr/lib/chromium has them.',
    );
  }
  device = await adapter.requestDevice();
  // Count buffers so the tests can check that every call destroys what it made.
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = createBuffer(descriptor);
    live++;
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) live--;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
}, 120_000);

afterAll(() => {
  if (!device) return;
  disposeNmsWebGpu(device);
  device.destroy();
});

/** `n` boxes with core's seeded Rng: float32 corners in a `canvas` square, sides in [lo, hi], uniform scores. */
function rngBoxes(n: number, seed: number, canvas: number, lo: number, hi: number) {
  const rng = new Rng(seed);
  const boxes = new Float32Array(4 * n);
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const w = rng.uniform(lo, hi);
    const h = rng.uniform(lo, hi);
    const x = rng.uniform(0, canvas - w);
    const y = rng.uniform(0, canvas - h);
    boxes.set([x, y, x + w, y + h], 4 * i);
    scores[i] = rng.uniform();
  }
  return { boxes, scores };
}

async function expectSameAsCpu(boxes: Float32Array | Float64Array, scores: Float32Array, t: number) {
  const before = live;
  const gpu = await nmsWebGpu(device, boxes, scores, t);
  expect(Array.from(gpu)).toEqual(Array.from(nms(boxes, scores, t)));
  expect(live).toBe(before);
  return gpu;
}

describe('nmsWebGpu: torchvision goldens', () => {
  it.each(cases.nms.map((c) => [c.iou, c]))('iou %s: exact keep list', async (_, c) => {
    const keep = await nmsWebGpu(device, Float32Array.from(c.boxes.flat()), Float32Array.from(c.scores), c.iou);
    expect(Array.from(keep)).toEqual(c.keep);
  });

  it('batched_nms: exact keep list', async () => {
    const c = cases.batched_nms;
    const keep = await batchedNmsWebGpu(
      device,
      Float32Array.from(c.boxes.flat()),
      Float32Array.from(c.scores),
      c.idxs,
      c.iou,
    );
    expect(Array.from(keep)).toEqual(c.keep);
  });

  it('accepts tensors', async () => {
    const c = cases.nms[1]!;
    const boxes = new Tensor('float32', [c.boxes.length, 4], Float32Array.from(c.boxes.flat()));
    const scores = new Tensor('float32', [c.scores.length], Float32Array.from(c.scores));
    expect(Array.from(await nmsWebGpu(device, boxes, scores, c.iou))).toEqual(c.keep);
  });
});

describe('nmsWebGpu: identical to the CPU nms on random boxes (core Rng)', () => {
  it.each([0, 0.3, 0.5, 0.7, 1])('1k boxes, iou %s', async (t) => {
    const { boxes, scores } = rngBoxes(1000, 17, 300, 4, 120);
    await expectSameAsCpu(boxes, scores, t);
  });

  it('10k boxes, dense (640 x 640, sides 8..200), iou 0.5', async () => {
    const { boxes, scores } = rngBoxes(10_000, 5, 640, 8, 200);
    const keep = await expectSameAsCpu(boxes, scores, 0.5);
    expect(keep.length).toBeGreaterThan(1000);
    expect(keep.length).toBeLessThan(9000);
  }, 120_000);

  it('10k boxes, sparse (canvas 2000, sides 4..40), iou 0.3', async () => {
    const { boxes, scores } = rngBoxes(10_000, 6, 2000, 4, 40);
    await expectSameAsCpu(boxes, scores, 0.3);
  }, 120_000);

  it('float64 boxes (IoU in float64 on the CPU path) with far-off coordinates', async () => {
    const { boxes, scores } = rngBoxes(1500, 8, 300, 2, 100);
    const b64 = Float64Array.from(boxes, (v, k) => v + (k % 2 === 0 ? 1e4 : -2e4) + 1e-7 * k);
    for (const t of [0, 0.5, 0.9]) await expectSameAsCpu(b64, scores, t);
  });

  it('concurrent calls on one device give each its own result', async () => {
    const sets = [1, 2, 3].map((seed) => rngBoxes(800, seed, 300, 4, 120));
    const before = live;
    const results = await Promise.all(sets.map(({ boxes, scores }) => nmsWebGpu(device, boxes, scores, 0.5)));
    results.forEach((keep, k) => {
      expect(Array.from(keep)).toEqual(Array.from(nms(sets[k]!.boxes, sets[k]!.scores, 0.5)));
    });
    expect(live).toBe(before);
  });

  it('batchedNmsWebGpu equals batchedNms (7 classes, 3k boxes)', async () => {
    const { boxes, scores } = rngBoxes(3000, 9, 640, 8, 200);
    const rng = new Rng(3);
    const ids = Int32Array.from({ length: 3000 }, () => rng.integers(0, 7));
    const gpu = await batchedNmsWebGpu(device, boxes, scores, ids, 0.5);
    expect(Array.from(gpu)).toEqual(Array.from(batchedNms(boxes, scores, ids, 0.5)));
  });
});

describe('nmsWebGpu: ties and degenerate boxes', () => {
  it('score ties: lower index first', async () => {
    const two = Float32Array.of(0, 0, 10, 10, 1, 1, 11, 11);
    expect(Array.from(await nmsWebGpu(device, two, Float32Array.of(0.7, 0.7), 0.5))).toEqual([0]);
    expect(Array.from(await nmsWebGpu(device, two, Float32Array.of(0.5, 0.9), 0.5))).toEqual([1]);
    expect(Array.from(await nmsWebGpu(device, two, Float32Array.of(0.7, 0.7), 0.9))).toEqual([0, 1]);
  });

  it('IoU exactly at the threshold is not suppressed; one ulp above is', async () => {
    // [0,0,2,1] vs [1,0,3,1]: IoU 1/3 in float32; [0,0,3,1] vs [1,0,4,1]: IoU exactly 0.5.
    const third = Float32Array.of(0, 0, 2, 1, 1, 0, 3, 1);
    const s = Float32Array.of(2, 1);
    expect(Array.from(await nmsWebGpu(device, third, s, Math.fround(1 / 3)))).toEqual([0, 1]);
    expect(Array.from(await nmsWebGpu(device, third, s, 0.33))).toEqual([0]);
    const half = Float32Array.of(0, 0, 3, 1, 1, 0, 4, 1);
    expect(Array.from(await nmsWebGpu(device, half, s, 0.5))).toEqual([0, 1]);
    expect(Array.from(await nmsWebGpu(device, half, s, 0.5 - 2 ** -30))).toEqual([0]);
  });

  it('adversarial: thousands of pairs within a few ulp of the threshold, at several scales', async () => {
    const rng = new Rng(77);
    for (const t of [0.5, Math.fround(1 / 3), 0.7, 0.25]) {
      const pairs = 1500;
      const boxes = new Float32Array(8 * pairs);
      const scores = new Float32Array(2 * pairs);
      for (let p = 0; p < pairs; p++) {
        // Box b is box a shifted right by d: IoU = (w - d) / (w + d) = t when d = w (1 - t) / (1 + t); move d by
        // a few float32 ulps either way.
        const scale = 2 ** rng.integers(-8, 12);
        const x = Math.fround(rng.uniform(0, 1000) * scale);
        const y = Math.fround(rng.uniform(0, 1000) * scale);
        const w = Math.fround(rng.integers(1, 64) * scale);
        const h = Math.fround(rng.integers(1, 64) * scale);
        let d = Math.fround((w * (1 - t)) / (1 + t));
        const nudge = rng.integers(-3, 4);
        d = Math.fround(d * (1 + nudge * 2 ** -23));
        boxes.set([x, y, x + w, y + h, x + d, y, x + d + w, y + h], 8 * p);
        scores[2 * p] = 1 - p / pairs;
        scores[2 * p + 1] = rng.uniform() < 0.5 ? scores[2 * p]! : 0.5 * scores[2 * p]!; // ties too
      }
      await expectSameAsCpu(boxes, scores, t);
    }
  });

  it('the kernel leaves near-threshold pairs undecided and decides clear ones', async () => {
    // pair 0-1: IoU exactly 0.5 (undecided at t = 0.5); pair 0-2: IoU 0.81 (sure); box 3 far away (nothing).
    const boxes = Float32Array.of(0, 0, 3, 1, 1, 0, 4, 1, 0, 0, 3, 0.9, 100, 100, 101, 101);
    const order = scoreOrder(Float32Array.of(4, 3, 2, 1));
    const input = prepareMaskInput(boxes, true, boxAreas(boxes, 4, true), order, 0.5);
    const lists = await suppressionLists(device, input);
    expect(lists).toBeDefined();
    expect(Array.from(lists!.sure)).toEqual([0, 0, 0b100, 0]);
    expect(Array.from(lists!.unsure)).toEqual([0, 0, 0b10, 0]);
  });

  it('degenerate, inverted, duplicate and NaN boxes, NaN and tied scores', async () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 8; trial++) {
      const n = 600;
      const { boxes, scores } = rngBoxes(n, 100 + trial, 200, 1, 80);
      for (let i = 0; i < n; i++) {
        scores[i] = Math.round(scores[i]! * 8) / 8; // many ties
        const u = rng.uniform();
        if (u < 0.15)
          boxes.copyWithin(4 * i, 4 * (i >> 1), 4 * (i >> 1) + 4); // duplicates
        else if (u < 0.2)
          [boxes[4 * i], boxes[4 * i + 2]] = [boxes[4 * i + 2]!, boxes[4 * i]!]; // x2 < x1
        else if (u < 0.25)
          boxes[4 * i + 3] = boxes[4 * i + 1]!; // zero height
        else if (u < 0.27) boxes[4 * i + 1] = Number.NaN;
        else if (u < 0.29) scores[i] = Number.NaN;
      }
      await expectSameAsCpu(boxes, scores, [0, 0.3, 0.5, 0.9][trial % 4]!);
    }
  });

  it('empty input and all-NaN scores give an empty result', async () => {
    expect(await nmsWebGpu(device, new Float32Array(0), new Float32Array(0), 0.5)).toEqual(new Int32Array(0));
    const b = Float32Array.of(0, 0, 1, 1);
    expect(await nmsWebGpu(device, b, Float32Array.of(Number.NaN), 0.5)).toEqual(new Int32Array(0));
  });

  it('infinite or out-of-range coordinates: the CPU result, or a RangeError with cpuFallback: false', async () => {
    const { boxes, scores } = rngBoxes(200, 4, 100, 2, 50);
    boxes[0] = Number.NEGATIVE_INFINITY;
    await expectSameAsCpu(boxes, scores, 0.2);
    await expect(nmsWebGpu(device, boxes, scores, 0.2, { cpuFallback: false })).rejects.toThrow(
      /nmsWebGpu: boxes\[0\] \(box 0\) is -Infinity.*\[2\^-30, 2\^60\].*cpuFallback/,
    );
    boxes[0] = 1e-20;
    await expect(nmsWebGpu(device, boxes, scores, 0.2, { cpuFallback: false })).rejects.toThrow(RangeError);
    await expectSameAsCpu(boxes, scores, 0.2);
  });
});

describe('nmsWebGpu: bad input', () => {
  const b = Float32Array.of(0, 0, 1, 1, 0, 0, 2, 2);
  const s = Float32Array.of(1, 2);

  it('names the argument, the expected and the actual value', async () => {
    await expect(nmsWebGpu({} as GPUDevice, b, s, 0.5)).rejects.toThrow(
      /nmsWebGpu: device: expected a GPUDevice .*got/,
    );
    await expect(nmsWebGpu(device, b, Float32Array.of(1), 0.5)).rejects.toThrow(ShapeError);
    await expect(nmsWebGpu(device, b, Float32Array.of(1), 0.5)).rejects.toThrow(
      'nmsWebGpu: scores: expected 2 values (one per box), got 1',
    );
    await expect(nmsWebGpu(device, b.subarray(0, 6), s, 0.5)).rejects.toThrow(/multiple of 4\), got length 6/);
    await expect(nmsWebGpu(device, b, s, 1.5)).rejects.toThrow(RangeError);
    await expect(nmsWebGpu(device, b, s, Number.NaN)).rejects.toThrow(/iouThreshold: expected a number in \[0, 1\]/);
    await expect(nmsWebGpu(device, [0, 0, 1, 1] as never, s, 0.5)).rejects.toThrow(TypeError);
    await expect(nmsWebGpu(device, b, s, 0.5, { cpuFallback: 'yes' } as never)).rejects.toThrow(
      /options.cpuFallback: expected a boolean/,
    );
    await expect(batchedNmsWebGpu(device, b, s, [0, Number.NaN], 0.5)).rejects.toThrow(
      /batchedNmsWebGpu: classIds\[1\]: expected a finite number/,
    );
  });
});
