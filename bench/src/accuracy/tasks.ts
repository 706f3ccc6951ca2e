/**
 * The accuracy task of each real model in the matrix: which dataset, which metric, which backend is the reference for
 * the differences, and how to measure it on a compiled model. `--quick` uses the subsets of src/data/subsets.ts
 * (the images of the embedded sample); a full run every image.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CompiledModel, Tensor } from '@striate/core';
import { MNIST_FULL, MNIST_QUICK, mnistBatch, readMnist, top1 } from '../data/mnist.js';
import { COCO_QUICK_FILES, WIDER_QUICK_FILES } from '../data/subsets.js';
import type { AccuracyMetric, NmsStageResult } from '../report/schema.js';
import { type ResolvedFolder, sampleDir } from '../shared-dirs.js';
import { detectorMap, loadDecoder } from './detector-map.js';
import { nmsStage } from './nms-stage.js';
import { personIou } from './person-iou.js';
import { widerFaceAp } from './widerface-ap.js';

export interface AccuracyTask {
  dataset: string;
  metric: AccuracyMetric;
  /** `backend/device` whose values the others are compared with (same weights). */
  reference: string;
  /** The file the task needs under the data folder (missing: the case fails, naming it). */
  requires: string;
  /** How many images `--quick` scores (for its time budget: quick images x the case's p50). */
  quickImages: number;
  /**
   * Why the task cannot be measured with data from `source` (the embedded sample leaves out what may not be
   * redistributed), or undefined. Reported as not checked, never as a pass.
   */
  unavailable?(data: ResolvedFolder): string | undefined;
  /** Without the task's data (`unavailable`): the detector's NMS stage on another real image, if it has one. */
  nmsWithout?(model: CompiledModel, dataDir: string, quick: boolean): Promise<NmsStageResult>;
  /** Measures the task on `model`; with `nms`, detectors also time their NMS stage on the first image. */
  run(
    model: CompiledModel,
    dataDir: string,
    quick: boolean,
    nms: boolean,
  ): Promise<{ values: Record<string, number>; images: number; nms?: NmsStageResult }>;
}

function cocoDetector(decoderName: string): AccuracyTask {
  return {
    dataset: 'coco128-val',
    metric: 'coco-bbox',
    reference: 'ort-node/cpu',
    requires: 'coco128-val/instances_val2017.json',
    quickImages: COCO_QUICK_FILES.length,
    async run(model, dataDir, quick, withNms) {
      const root = join(dataDir, 'coco128-val');
      const gt = JSON.parse(readFileSync(join(root, 'instances_val2017.json'), 'utf8')) as {
        images: { file_name: string }[];
      };
      const decoder = loadDecoder(decoderName);
      const r = await detectorMap(model, decoder, join(root, 'images'), gt, quick ? { files: COCO_QUICK_FILES } : {});
      const first = quick ? COCO_QUICK_FILES[0]! : gt.images[0]!.file_name;
      const nms = withNms ? await nmsStage(model, decoder, join(root, 'images', first), quick, 0.01) : undefined;
      return { values: { mAP: r.stats[0]!, mAP50: r.stats[1]! }, images: r.images, ...(nms ? { nms } : {}) };
    },
  };
}

/** Why the embedded sample has no WIDER FACE accuracy. */
export const WIDER_UNAVAILABLE =
  'not available: WIDER FACE is not redistributable (non-commercial research only), so the embedded sample leaves it out; set STRIATE_DATA to a folder with widerface-val200 (or put ../shared/data beside the repository)';

/** Whether the data folder is the embedded sample (by default, or named by STRIATE_DATA). */
const isSample = (data: ResolvedFolder): boolean =>
  data.source === 'sample' || resolve(data.dir) === resolve(sampleDir('data'));

/** Candidate score threshold for WIDER FACE AP (as @striate/detection's scripts/map.ts). */
const WIDER_SCORE = 0.02;

function wider(decoderName: string): AccuracyTask {
  return {
    dataset: 'widerface-val200',
    metric: 'widerface-ap',
    reference: 'ort-node/cpu',
    requires: 'widerface-val200/wider_val200_gt.json',
    quickImages: WIDER_QUICK_FILES.length,
    unavailable: (data) => (isSample(data) ? WIDER_UNAVAILABLE : undefined),
    // The embedded sample has no WIDER FACE image: the NMS stage runs on the first quick COCO image instead.
    nmsWithout: (model, dataDir, quick) =>
      nmsStage(
        model,
        loadDecoder(decoderName),
        join(dataDir, 'coco128-val', 'images', COCO_QUICK_FILES[0]!),
        quick,
        WIDER_SCORE,
      ),
    async run(model, dataDir, quick, withNms) {
      const root = join(dataDir, 'widerface-val200');
      const decoder = loadDecoder(decoderName);
      const r = await widerFaceAp(model, decoder, root, {
        scoreThreshold: WIDER_SCORE,
        ...(quick ? { files: WIDER_QUICK_FILES } : {}),
      });
      const first = quick
        ? WIDER_QUICK_FILES[0]!
        : (JSON.parse(readFileSync(join(root, 'wider_val200_gt.json'), 'utf8')) as { images: { file: string }[] })
            .images[0]!.file;
      const nms = withNms ? await nmsStage(model, decoder, join(root, 'images', first), quick, WIDER_SCORE) : undefined;
      return { values: { easy: r.easy, medium: r.medium, hard: r.hard }, images: r.images, ...(nms ? { nms } : {}) };
    },
  };
}

/** Images per run of LeNet-5 on MNIST (the graph's batch axis is dynamic). */
const MNIST_BATCH = 100;

/**
 * LeNet-5's top-1 on the held-out MNIST images (src/data/mnist.ts): t10k [8000, 9000) in --quick (and in the
 * embedded sample), [8000, 10000) in a full run. The reference is the reference backend, which runs the Module's
 * graph as written.
 */
export const MNIST_TASK: AccuracyTask = {
  dataset: 'mnist-test',
  metric: 'top1',
  reference: 'reference/cpu',
  requires: 'mnist-test/t10k-images-idx3-ubyte.gz',
  quickImages: MNIST_QUICK.to - MNIST_QUICK.from,
  async run(model, dataDir, quick) {
    const set = readMnist(join(dataDir, 'mnist-test'));
    const range = quick ? MNIST_QUICK : MNIST_FULL;
    const { input, labels } = mnistBatch(set, range.from, range.to);
    const n = labels.length;
    const row = input.size / n;
    const logits: number[] = [];
    let classes = 0;
    for (let i = 0; i < n; i += MNIST_BATCH) {
      const m = Math.min(MNIST_BATCH, n - i);
      const batch = new Tensor('float32', [m, ...input.shape.slice(1)], input.data.slice(i * row, (i + m) * row));
      const out = await model.run({ [model.inputNames[0]!]: batch });
      const y = out[model.outputNames[0]!];
      if (y?.shape.length !== 2 || y.shape[0] !== m) {
        throw new Error(
          `lenet5: expected logits [${m}, classes] from output 0, got ${y ? `[${y.shape.join(', ')}]` : 'none'}`,
        );
      }
      classes = y.shape[1]!;
      for (const v of y.data as Float32Array) logits.push(v);
    }
    return { values: { top1: top1(logits, labels, classes) }, images: n };
  },
};

export const ACCURACY_TASKS: Readonly<Record<string, AccuracyTask>> = Object.freeze({
  lenet5: MNIST_TASK,
  fastestdet: cocoDetector('fastestdet'),
  'ultraface-rfb320': wider('ultraface'),
  blazeface: wider('blazeface'),
  'selfie-seg': {
    dataset: 'coco128-val (person masks)',
    metric: 'person-iou',
    reference: 'tfjs/wasm',
    requires: 'coco128-val/semantic',
    quickImages: COCO_QUICK_FILES.length,
    async run(model, dataDir, quick) {
      const r = await personIou(model, join(dataDir, 'coco128-val'), quick ? { files: COCO_QUICK_FILES } : {});
      return { values: { iou: r.iou, meanIou: r.meanIou }, images: r.images };
    },
  },
});

/** Throws when the task's data is missing, naming the file and the variable that points to it. */
export function checkTaskData(model: string, task: AccuracyTask, dataDir: string): void {
  const path = join(dataDir, task.requires);
  if (!existsSync(path)) {
    throw new Error(
      `${model}: accuracy data ${path} does not exist (STRIATE_DATA=${dataDir}; unset it to use ../shared/data or the embedded sample)`,
    );
  }
}
