/**
 * A two-stage detector end to end on each backend, with RoIAlign inside the second graph:
 * stage 1 (graph): a small strided conv backbone with two FPN-like levels (strides 4 and 8) and torchvision's
 * RPNHead on both -> TS: anchors, BoxCoder decode, clip, top-k, NMS per image (proposals) and FPN level assignment ->
 * stage 2 (graph): `multiScaleRoIAlignGraph` (ONNX RoiAlign per level) + TwoMLPHead + FastRCNNPredictor.
 * Two real coco128-val images (a batch of 2, so RoIs carry batch indices), seeded weights. The chain runs on the
 * reference backend, ONNX Runtime (node, cpu) and TensorFlow.js (cpu); every stage must agree. The graph RoiAlign
 * also equals torchvision's roi_align goldens (../shared/golden/ops.json) on each backend, and the graph MaxRoiPool
 * its roi_pool golden.
 */
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { tfjsBackend } from '@striate/backend-tfjs';
import {
  type Backend,
  Conv2d,
  clipBoxes,
  functional as F,
  type Graph,
  GraphBuilder,
  Module,
  manualSeed,
  referenceBackend,
  Tensor,
  type Value,
} from '@striate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDir, flattenNested, readGoldenJson } from '../../../test-utils/fixtures.js';
import { loadRgbImage } from '../scripts/load-image.js';
import { AnchorGenerator } from './anchor-generator.js';
import { BoxCoder } from './box-coder.js';
import { resizeBilinear } from './decoders/preprocess.js';
import { concatLevels } from './heads/dense-outputs.js';
import { FastRCNNPredictor, RPNHead, TwoMLPHead } from './heads/rcnn-heads.js';
import { MultiScaleRoIAlign } from './multi-scale-roi-align.js';
import { nms } from './nms.js';
import { multiScaleRoIAlignFeeds, multiScaleRoIAlignGraph, roiAlignGraph } from './roi-align-graph.js';
import { roiPoolGraph } from './roi-pool-graph.js';

const SIZE = 64;
const SCALES = [1 / 4, 1 / 8];
const LEVELS = { canonicalScale: 14, canonicalLevel: 3 }; // so that these small proposals use both levels
const NUM_ANCHORS = 3;
const PROPOSALS = 12;
const OUT = 7;

class Stage1 extends Module {
  conv1 = new Conv2d(3, 8, 3, { stride: 2, padding: 1 });
  conv2 = new Conv2d(8, 16, 3, { stride: 2, padding: 1 });
  conv3 = new Conv2d(16, 16, 3, { stride: 2, padding: 1 });
  rpn = new RPNHead(16, NUM_ANCHORS);

  override forward(x: Value): Record<string, Value> {
    const p2 = F.relu(this.conv2.forward(F.relu(this.conv1.forward(x))));
    const p3 = F.relu(this.conv3.forward(p2));
    const [o2, d2] = this.rpn.forward(p2) as [Value, Value];
    const [o3, d3] = this.rpn.forward(p3) as [Value, Value];
    return { p2, p3, objectness: concatLevels([o2, o3], 1), deltas: concatLevels([d2, d3], 4) };
  }
}

class Stage2 extends Module {
  box_head = new TwoMLPHead(16 * OUT * OUT, 64);
  box_predictor = new FastRCNNPredictor(64, 5);

  override forward(p2: Value, p3: Value, rois2: Value, rois3: Value, batchIndices: Value): Record<string, Value> {
    const pooled = multiScaleRoIAlignGraph([p2, p3], [rois2, rois3], batchIndices, {
      outputSize: OUT,
      samplingRatio: 2,
      spatialScales: SCALES,
      ...LEVELS,
    });
    const { scores, bbox_deltas } = this.box_predictor.forward(this.box_head.forward(pooled)) as Record<string, Value>;
    return { pooled, scores: scores!, bbox_deltas: bbox_deltas! };
  }
}

manualSeed(2024);
const stage1 = new Stage1();
const stage2 = new Stage2();
const graph1 = stage1.toGraph({ inputs: { images: [2, 3, SIZE, SIZE] } });
const graph2 = stage2.toGraph({
  inputs: {
    p2: [2, 16, SIZE / 4, SIZE / 4],
    p3: [2, 16, SIZE / 8, SIZE / 8],
    rois2: ['R', 4],
    rois3: ['R', 4],
    batch_indices: { shape: ['R'], dtype: 'int64' },
  },
});

/** Two coco128-val images resized to 64x64, NCHW, normalized with ImageNet's mean and std. */
async function loadImages(): Promise<Tensor<'float32'>> {
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];
  const out = new Float32Array(2 * 3 * SIZE * SIZE);
  for (const [i, file] of ['000000000285.jpg', '000000001584.jpg'].entries()) {
    const hwc = resizeBilinear(await loadRgbImage(join(dataDir(), 'coco128-val', 'images', file)), SIZE, SIZE);
    for (let p = 0; p < SIZE * SIZE; p++) {
      for (let c = 0; c < 3; c++) out[(i * 3 + c) * SIZE * SIZE + p] = (hwc[3 * p + c]! / 255 - mean[c]!) / std[c]!;
    }
  }
  return new Tensor('float32', [2, 3, SIZE, SIZE], out);
}

/** RPN post-processing in TS: decode every anchor, clip, the top 40 by objectness, NMS 0.7, the first 12. */
function proposals(objectness: Tensor, deltas: Tensor): { boxes: Float32Array[]; keep: Int32Array[] } {
  const anchors = new AnchorGenerator({
    sizes: [[16], [32]],
    aspectRatios: [
      [0.5, 1, 2],
      [0.5, 1, 2],
    ],
  }).generate(
    [SIZE, SIZE],
    [
      [SIZE / 4, SIZE / 4],
      [SIZE / 8, SIZE / 8],
    ],
  );
  const total = anchors.length / 4;
  expect(objectness.shape).toEqual([2, total, 1]);
  const coder = new BoxCoder();
  const boxes: Float32Array[] = [];
  const keeps: Int32Array[] = [];
  for (let img = 0; img < 2; img++) {
    const obj = (objectness.data as Float32Array).subarray(img * total, (img + 1) * total);
    const decoded = clipBoxes(
      coder.decode((deltas.data as Float32Array).subarray(img * total * 4, (img + 1) * total * 4), anchors),
      [SIZE, SIZE],
    );
    const order = Array.from({ length: total }, (_, i) => i)
      .sort((a, b) => obj[b]! - obj[a]! || a - b)
      .slice(0, 40);
    const top = new Float32Array(order.length * 4);
    order.forEach((a, i) => {
      top.set(decoded.subarray(4 * a, 4 * a + 4), 4 * i);
    });
    const keep = nms(
      top,
      Float32Array.from(order, (a) => obj[a]!),
      0.7,
    ).slice(0, PROPOSALS);
    keeps.push(Int32Array.from(keep, (k) => order[k]!));
    const kept = new Float32Array(keep.length * 4);
    keep.forEach((k, i) => {
      kept.set(top.subarray(4 * k, 4 * k + 4), 4 * i);
    });
    boxes.push(kept);
  }
  return { boxes, keep: keeps };
}

interface ChainResult {
  stage1: Record<string, Tensor>;
  keep: Int32Array[];
  boxes: Float32Array[];
  levels: Int32Array;
  stage2: Record<string, Tensor>;
  providers: string[];
}

async function runChain(backend: Backend, images: Tensor): Promise<ChainResult> {
  const m1 = await backend.compile(graph1, { device: 'cpu' });
  const m2 = await backend.compile(graph2, { device: 'cpu' });
  try {
    const s1 = await m1.run({ images });
    const { boxes, keep } = proposals(s1.objectness!, s1.deltas!);
    const feeds = multiScaleRoIAlignFeeds(boxes, { spatialScales: SCALES, ...LEVELS });
    const s2 = await m2.run({
      p2: s1.p2!,
      p3: s1.p3!,
      rois2: feeds.levelRois[0]!,
      rois3: feeds.levelRois[1]!,
      batch_indices: feeds.batchIndices,
    });
    return { stage1: s1, keep, boxes, levels: feeds.levels, stage2: s2, providers: [...m1.providers, ...m2.providers] };
  } finally {
    await m1.dispose();
    await m2.dispose();
  }
}

/** max |a - b| / max(1, max |b|). */
function relDiff(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  let d = 0;
  let s = 1;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    s = Math.max(s, Math.abs(y[i]!));
  }
  return d / s;
}

describe('two-stage detector: stage 1 graph -> TS proposals -> stage 2 graph with RoiAlign', () => {
  let images: Tensor;
  let reference: ChainResult;
  beforeAll(async () => {
    images = await loadImages();
    reference = await runChain(referenceBackend, images);
  });
  afterAll(() => {
    expect(ortNode.openSessions()).toBe(0);
  });

  it('the stage 2 graph holds RoiAlign nodes and its RoI count is symbolic', () => {
    expect(graph2.nodes.filter((n) => n.op === 'RoiAlign').length).toBe(2);
    expect(graph2.outputs.find((o) => o.name === 'scores')?.shape).toEqual(['R', 5]);
  });

  it('on the reference backend: proposals on both images and both FPN levels, pooled as MultiScaleRoIAlign', () => {
    expect(reference.boxes.map((b) => b.length / 4)).toEqual([PROPOSALS, PROPOSALS]);
    console.info(`[two-stage] FPN level of each proposal: ${Array.from(reference.levels).join('')}`);
    expect(new Set(reference.levels)).toEqual(new Set([0, 1]));
    const ts = new MultiScaleRoIAlign({ featmapNames: ['p2', 'p3'], outputSize: OUT, samplingRatio: 2, ...LEVELS });
    const pooled = ts.forward({ p2: reference.stage1.p2!, p3: reference.stage1.p3! }, reference.boxes, [
      [SIZE, SIZE],
      [SIZE, SIZE],
    ]);
    expect(relDiff(reference.stage2.pooled!, pooled)).toBeLessThan(1e-5);
    expect(reference.stage2.scores!.shape).toEqual([2 * PROPOSALS, 5]);
    expect(reference.stage2.bbox_deltas!.shape).toEqual([2 * PROPOSALS, 20]);
  });

  for (const [name, backend] of [
    ['ortNode', ortNode],
    ['tfjs', tfjsBackend],
  ] as const) {
    it(`${name} (cpu) runs the same chain: stage 1 and 2 outputs within 1e-4, identical proposals`, async () => {
      const got = await runChain(backend, images);
      console.info(`[two-stage] ${name} providers: ${got.providers.join(', ')}`);
      for (const k of ['p2', 'p3', 'objectness', 'deltas']) {
        expect(relDiff(got.stage1[k]!, reference.stage1[k]!), `stage 1 ${k}`).toBeLessThan(1e-4);
      }
      expect(got.keep).toEqual(reference.keep);
      for (const [i, b] of got.boxes.entries()) {
        expect(
          relDiff(new Tensor('float32', [b.length], b), new Tensor('float32', [b.length], reference.boxes[i]!)),
        ).toBeLessThan(1e-4);
      }
      for (const k of ['pooled', 'scores', 'bbox_deltas']) {
        expect(relDiff(got.stage2[k]!, reference.stage2[k]!), `stage 2 ${k}`).toBeLessThan(1e-4);
      }
    }, 120_000);
  }
});

const GOLDEN_TARGETS: [string, Backend, string][] = [
  ['reference', referenceBackend, 'cpu'],
  ['ortNode', ortNode, 'cpu'],
  ['ortNode', ortNode, 'webgpu'],
  ['tfjs', tfjsBackend, 'cpu'],
  ['tfjs', tfjsBackend, 'wasm'],
];

interface AlignCase {
  input: unknown;
  rois: number[][];
  output_size: [number, number];
  spatial_scale: number;
  sampling_ratio: number;
  aligned: boolean;
  out: unknown;
}

describe('roiAlignGraph equals torchvision roi_align goldens on each backend (1e-4)', () => {
  const goldens = readGoldenJson<{ cases: { roi_align: AlignCase[] } }>('ops.json').cases.roi_align;
  for (const [name, backend, device] of GOLDEN_TARGETS) {
    it.each(goldens.map((c, i) => [i, c.aligned, c.sampling_ratio, c]))(
      `${name} ${device}: golden %i (aligned %s, sampling %i)`,
      async (_i, _a, _s, c) => {
        const x = flattenNested(c.input);
        const b = new GraphBuilder('roi_align_golden');
        const y = roiAlignGraph(
          b.input('x', 'float32', x.shape),
          b.input('rois', 'float32', [c.rois.length, 4]),
          b.input('batch_indices', 'int64', [c.rois.length]),
          {
            outputSize: c.output_size,
            spatialScale: c.spatial_scale,
            samplingRatio: c.sampling_ratio,
            aligned: c.aligned,
          },
        );
        b.output(y, 'y');
        const graph: Graph = b.build();
        const model = await backend.compile(graph, { device });
        try {
          const out = await model.run({
            x: new Tensor('float32', x.shape, Float32Array.from(x.data)),
            rois: new Tensor('float32', [c.rois.length, 4], Float32Array.from(c.rois.flatMap((r) => r.slice(1)))),
            batch_indices: new Tensor(
              'int64',
              [c.rois.length],
              BigInt64Array.from(c.rois, (r) => BigInt(r[0]!)),
            ),
          });
          const expected = flattenNested(c.out);
          expect(out.y!.shape).toEqual(expected.shape);
          expect(relDiff(out.y!, new Tensor('float32', expected.shape, Float32Array.from(expected.data)))).toBeLessThan(
            1e-4,
          );
          if (name === 'ortNode' && device === 'webgpu') {
            // onnxruntime-node 1.30's WebGPU EP has no RoiAlign kernel: it runs on the CPU EP, and says so.
            expect(model.providers.join(' ')).toMatch(/cpu \(fallback: 1 node: RoiAlign\)/);
          }
        } finally {
          await model.dispose();
        }
      },
      60_000,
    );
  }
});

interface PoolCase {
  input: unknown;
  rois: number[][];
  output_size: [number, number];
  spatial_scale: number;
  out: unknown;
}

describe('roiPoolGraph equals the torchvision roi_pool golden on each backend', () => {
  const c = readGoldenJson<{ cases: { roi_pool: PoolCase } }>('ops.json').cases.roi_pool;
  for (const [name, backend, device] of GOLDEN_TARGETS) {
    it(`${name} ${device}`, async () => {
      const x = flattenNested(c.input);
      const b = new GraphBuilder('roi_pool_golden');
      const y = roiPoolGraph(b.input('x', 'float32', x.shape), b.input('rois', 'float32', [c.rois.length, 5]), {
        outputSize: c.output_size,
        spatialScale: c.spatial_scale,
      });
      b.output(y, 'y');
      const model = await backend.compile(b.build(), { device });
      try {
        const out = await model.run({
          x: new Tensor('float32', x.shape, Float32Array.from(x.data)),
          rois: new Tensor('float32', [c.rois.length, 5], Float32Array.from(c.rois.flat())),
        });
        const expected = flattenNested(c.out);
        expect(out.y!.shape).toEqual(expected.shape);
        expect(relDiff(out.y!, new Tensor('float32', expected.shape, Float32Array.from(expected.data)))).toBeLessThan(
          1e-6,
        );
        if (name === 'ortNode' && device === 'webgpu') {
          expect(model.providers.join(' ')).toMatch(/cpu \(fallback: 1 node: MaxRoiPool\)/);
        }
      } finally {
        await model.dispose();
      }
    }, 60_000);
  }
});

describe('no proposals', () => {
  for (const [name, backend, device] of GOLDEN_TARGETS) {
    it(`${name} ${device}: zero RoIs give an empty [0, C, oh, ow] from RoiAlign and MaxRoiPool`, async () => {
      const b = new GraphBuilder('empty_rois');
      const x = b.input('x', 'float32', [1, 2, 5, 5]);
      b.output(
        roiAlignGraph(x, b.input('rois', 'float32', ['R', 4]), b.input('batch_indices', 'int64', ['R']), {
          outputSize: 2,
          samplingRatio: 0,
        }),
        'align',
      );
      b.output(roiPoolGraph(x, b.input('rois5', 'float32', ['R', 5]), { outputSize: 2 }), 'pool');
      const model = await backend.compile(b.build(), { device });
      try {
        const out = await model.run({
          x: new Tensor('float32', [1, 2, 5, 5], new Float32Array(50).fill(1)),
          rois: new Tensor('float32', [0, 4], new Float32Array(0)),
          batch_indices: new Tensor('int64', [0], new BigInt64Array(0)),
          rois5: new Tensor('float32', [0, 5], new Float32Array(0)),
        });
        expect(out.align!.shape).toEqual([0, 2, 2, 2]);
        expect(out.pool!.shape).toEqual([0, 2, 2, 2]);
      } finally {
        await model.dispose();
      }
    });
  }
});
