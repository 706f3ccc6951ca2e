import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../report/schema.js';
import { addDiffs, type FloorsFile, readFloors, runChecks } from './checks.js';

const latency = { samples: 3, meanMs: 1, p50Ms: 1, p95Ms: 1, minMs: 1, maxMs: 1 };

function face(backend: string, device: string, easy: number): CaseResult {
  return {
    model: 'ultraface-rfb320',
    modelSource: 'onnx',
    backend,
    device,
    batch: 1,
    status: 'ok',
    accuracy: {
      dataset: 'widerface-val200',
      metric: 'widerface-ap',
      images: 8,
      values: { easy },
      reference: 'ort-node/cpu',
    },
  };
}

const floors: FloorsFile = {
  tolerance: { 'coco-bbox': 0.005, 'widerface-ap': 0.01, 'person-iou': 0.005, top1: 0.002 },
  floors: { 'ultraface-rfb320 widerface-val200@8': { easy: 0.8 } },
};

describe('addDiffs and runChecks', () => {
  it('passes values above their floor that agree with the reference backend', () => {
    const cases = [face('ort-node', 'cpu', 0.815), face('tfjs', 'wasm', 0.815)];
    addDiffs(cases);
    expect(cases[1]!.accuracy!.diff).toEqual({ easy: 0 });
    expect(cases[0]!.accuracy!.diff).toEqual({ easy: 0 });
    const checks = runChecks(cases, floors);
    expect(checks.map((c) => [c.kind, c.ok])).toEqual([
      ['floor', true],
      ['floor', true],
      ['agreement', true],
    ]);
  });

  it('fails a value below its floor and a backend beyond the tolerance', () => {
    const cases = [face('ort-node', 'cpu', 0.815), face('tfjs', 'wasm', 0.79)];
    addDiffs(cases);
    const failed = runChecks(cases, floors).filter((c) => c.ok === false);
    expect(failed.map((c) => c.detail)).toEqual([
      '0.7900 < floor 0.8000',
      'differs from ort-node/cpu by -2.50e-2 (tolerance 0.01)',
    ]);
    expect(failed[0]!.subject).toBe('ultraface-rfb320 tfjs/wasm widerface-val200@8 easy');
  });

  it('says when a subset has no floor or the reference did not run, and fails a failed case', () => {
    const lone = face('tfjs', 'wasm', 0.8);
    lone.accuracy!.images = 200;
    const broken: CaseResult = { ...face('ort-node', 'cpu', 0), status: 'error', error: 'DataError: x' };
    delete broken.accuracy;
    const checks = runChecks([lone, broken], floors);
    expect(checks).toEqual([
      {
        kind: 'floor',
        subject: 'ultraface-rfb320 tfjs/wasm widerface-val200@200 easy',
        ok: undefined,
        detail: "no floor for 'ultraface-rfb320 widerface-val200@200' easy in accuracy-floors.json",
      },
      {
        kind: 'agreement',
        subject: 'ultraface-rfb320 tfjs/wasm widerface-val200@200 easy',
        ok: undefined,
        detail: 'reference ort-node/cpu did not measure it in this run',
      },
      { kind: 'floor', subject: 'ultraface-rfb320 ort-node/cpu', ok: false, detail: 'the case failed: DataError: x' },
    ]);
  });

  it('reports a skipped accuracy as not checked', () => {
    const c = face('ort-node', 'webgpu', 0);
    delete c.accuracy;
    c.accuracySkipped = 'over budget';
    expect(runChecks([c], floors)).toEqual([
      {
        kind: 'floor',
        subject: 'ultraface-rfb320 ort-node/webgpu',
        ok: undefined,
        detail: 'accuracy skipped: over budget',
      },
    ]);
  });

  it('fails an NMS peer that keeps other boxes', () => {
    const c = face('ort-node', 'cpu', 0.9);
    c.nms = {
      image: 'a.jpg',
      scoreThreshold: 0.02,
      candidates: 10,
      kept: 4,
      iouThreshold: 0.3,
      classAware: false,
      striate: latency,
      peers: [{ name: 'peer', latency, ratio: 1, sameKeep: false }],
    };
    const nms = runChecks([c], floors).filter((x) => x.kind === 'nms-keep');
    expect(nms).toEqual([
      {
        kind: 'nms-keep',
        subject: 'ultraface-rfb320 ort-node/cpu NMS on a.jpg vs peer',
        ok: false,
        detail: 'keep lists differ (striate kept 4)',
      },
    ]);
  });

  it('reads the floors of the repository: a tolerance per metric, floors for the quick subsets', () => {
    const f = readFloors();
    expect(Object.keys(f.tolerance).sort()).toEqual(['coco-bbox', 'person-iou', 'top1', 'widerface-ap']);
    for (const key of [
      'fastestdet coco128-val@8',
      'ultraface-rfb320 widerface-val200@8',
      'blazeface widerface-val200@8',
      'selfie-seg coco128-val (person masks)@8',
    ]) {
      expect(f.floors[key], key).toBeDefined();
    }
  });
});
