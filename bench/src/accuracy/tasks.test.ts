/**
 * The accuracy tasks on real data: the embedded sample is exactly the --quick subset of the shared data (same
 * annotations, same bytes) without WIDER FACE, the tasks give the same numbers on both, the person IoU matches
 * packages/segmentation/scripts/selfie-iou.ts, and the NMS peers keep what striate keeps.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { loadTfjsGraphModel } from '@striate/backend-tfjs';
import { describe, expect, it } from 'vitest';
import { dataDir, modelsDir } from '../../../test-utils/fixtures.js';
import { COCO_QUICK_FILES, WIDER_QUICK_FILES } from '../data/subsets.js';
import { BACKENDS } from '../matrix/backends.js';
import { findModel } from '../matrix/models.js';
import { sampleDir } from '../shared-dirs.js';
import { readFloors } from './checks.js';
import { loadDecoder } from './detector-map.js';
import { nmsStage } from './nms-stage.js';
import { personIou } from './person-iou.js';
import { ACCURACY_TASKS, MNIST_TASK, WIDER_UNAVAILABLE } from './tasks.js';
import { tfjsTensorCount } from './tfjs-nms.js';
import { widerFaceAp } from './widerface-ap.js';

const sampleData = sampleDir('data');
const sampleModels = sampleDir('models');
const json = (p: string): Record<string, unknown[]> => JSON.parse(readFileSync(p, 'utf8'));
const bytes = (p: string): Buffer => readFileSync(p);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('the embedded sample', () => {
  it('holds the quick subsets of the shared data, byte for byte, in under 6 MiB', () => {
    const coco = json(join(dataDir(), 'coco128-val', 'instances_val2017.json')) as {
      images: { id: number; file_name: string }[];
      annotations: { image_id: number }[];
    };
    const images = coco.images.filter((i) => COCO_QUICK_FILES.includes(i.file_name));
    const ids = new Set(images.map((i) => i.id));
    const sample = json(join(sampleData, 'coco128-val', 'instances_val2017.json'));
    expect(sample.images).toEqual(images);
    expect(sample.annotations).toEqual(coco.annotations.filter((a) => ids.has(a.image_id)));
    // WIDER FACE (non-commercial research only) is not redistributed.
    expect(walk(sampleData).filter((p) => /widerface|wider_/i.test(p))).toEqual([]);
    const models = walk(sampleModels).filter((p) => /\.(onnx|bin|json)$/.test(p));
    expect(models.length).toBe(5);
    for (const p of models)
      expect(bytes(p).equals(bytes(join(modelsDir(), p.slice(sampleModels.length + 1))))).toBe(true);
    const total = walk(join(sampleData, '..')).reduce((s, p) => s + statSync(p).size, 0);
    expect(total).toBeLessThan(6 * 2 ** 20);
  });
});

describe('WIDER FACE in sample mode', () => {
  it("reports the face detectors' accuracy as not available on the sample, measured elsewhere", () => {
    for (const name of ['ultraface-rfb320', 'blazeface']) {
      const task = ACCURACY_TASKS[name]!;
      expect(task.unavailable?.({ dir: sampleData, source: 'sample' })).toBe(WIDER_UNAVAILABLE);
      expect(task.unavailable?.({ dir: sampleData, source: 'env' })).toBe(WIDER_UNAVAILABLE);
      expect(task.unavailable?.({ dir: dataDir(), source: 'shared' })).toBeUndefined();
      expect(task.unavailable?.({ dir: dataDir(), source: 'env' })).toBeUndefined();
    }
    expect(WIDER_UNAVAILABLE).toMatch(/^not available: WIDER FACE is not redistributable.*set STRIATE_DATA/);
  });

  it("times BlazeFace's NMS stage on a COCO image of the sample instead", async () => {
    const model = await ortNode.compileOnnx(
      new Uint8Array(bytes(join(sampleModels, 'blazeface', 'face_detection_back_256x256_barracuda.onnx'))),
      { device: 'cpu' },
    );
    try {
      const r = await ACCURACY_TASKS.blazeface!.nmsWithout!(model, sampleData, true);
      expect(r.image).toBe(COCO_QUICK_FILES[0]);
      expect(r.peers.every((p) => p.sameKeep)).toBe(true);
    } finally {
      await model.dispose();
    }
  });
});

describe('LeNet-5 on MNIST', () => {
  it('scores the checkpoint the same on the sample and the shared file, above its floor, on ort-node and reference', async () => {
    const spec = findModel('lenet5');
    const floor = readFloors().floors['lenet5 mnist-test@1000']!;
    const got: number[] = [];
    for (const [backend, device] of [
      ['ort-node', 'cpu'],
      ['reference', 'cpu'],
    ] as const) {
      const model = await BACKENDS.find((b) => b.name === backend)!.compile(spec, device);
      try {
        const onSample = await MNIST_TASK.run(model, sampleData, true, false);
        const onShared = await MNIST_TASK.run(model, dataDir(), true, false);
        expect(onSample).toEqual(onShared);
        expect(onSample.images).toBe(1000);
        expect(onSample.values.top1).toBeGreaterThanOrEqual(floor.top1!);
        got.push(onSample.values.top1!);
      } finally {
        await model.dispose();
      }
    }
    expect(got[0]).toBe(got[1]);
  });
});

describe('accuracy tasks', () => {
  it('gives UltraFace its WIDER FACE AP on the shared quick subset, above its floor', async () => {
    const before = ortNode.openSessions();
    const bytesOnnx = bytes(join(sampleModels, 'ultraface', 'version-RFB-320_without_postprocessing.onnx'));
    const model = await ortNode.compileOnnx(new Uint8Array(bytesOnnx), { device: 'cpu' });
    try {
      const r = await widerFaceAp(model, loadDecoder('ultraface'), join(dataDir(), 'widerface-val200'), {
        files: WIDER_QUICK_FILES,
      });
      expect(r.images).toBe(8);
      const floor = readFloors().floors['ultraface-rfb320 widerface-val200@8']!;
      for (const k of ['easy', 'medium', 'hard'] as const) expect(r[k]).toBeGreaterThanOrEqual(floor[k]!);
    } finally {
      await model.dispose();
    }
    expect(ortNode.openSessions()).toBe(before);
  });

  it('gives the selfie model the person IoU of packages/segmentation/scripts/selfie-iou.ts (8 images, wasm)', async () => {
    const model = await loadTfjsGraphModel(join(sampleModels, 'selfie-seg', 'selfie.json'), { device: 'wasm' });
    try {
      const r = await personIou(model, join(sampleData, 'coco128-val'));
      // `SELFIE_LIMIT=8 pnpm --filter @striate/segmentation run selfie-iou -- wasm`: pooled 0.1146, mean 0.2341.
      expect(r.images).toBe(8);
      expect(r.iou).toBeCloseTo(0.1146, 4);
      expect(r.meanIou).toBeCloseTo(0.2341, 4);
    } finally {
      model.dispose();
    }
  });

  it("times FastestDet's real NMS stage against tf.image.nonMaxSuppression: same boxes kept, tensors freed", async () => {
    const tensors = await tfjsTensorCount();
    const model = await ortNode.compileOnnx(
      new Uint8Array(bytes(join(sampleModels, 'fastestdet', 'FastestDet.onnx'))),
      {
        device: 'cpu',
      },
    );
    try {
      const r = await nmsStage(
        model,
        loadDecoder('fastestdet'),
        join(sampleData, 'coco128-val', 'images', COCO_QUICK_FILES[0]!),
        true,
        0.01,
      );
      expect(r.classAware).toBe(true);
      expect(r.candidates).toBeGreaterThan(100);
      expect(r.kept).toBeGreaterThan(10);
      expect(r.kept).toBeLessThan(r.candidates);
      expect(r.peers.map((p) => [p.name, p.sameKeep])).toEqual([
        ['tf.image.nonMaxSuppression (tfjs cpu)', true],
        ['tf.image.nonMaxSuppression (tfjs wasm)', true],
      ]);
      expect(r.striate.samples).toBeGreaterThanOrEqual(3);
    } finally {
      await model.dispose();
    }
    expect(await tfjsTensorCount()).toBe(tensors);
  });
});
