/**
 * RoiAlign and MaxRoiPool through ONNX: every RoiAlign conformance case exported, run by ONNX Runtime (CPU) and compared with the
 * reference backend; export -> import keeps the node; an opset-10 RoiAlign (no coordinate_transformation_mode, which
 * then meant 'output_half_pixel') imports with that mode made explicit.
 */
import { Tensor } from '@striate/core';
import { CONFORMANCE_CASES } from '@striate/core/testing';
import { describe, expect, it } from 'vitest';
import { onnxModel } from '../test/onnx-model.js';
import { relDiff, runOrt, runReference } from '../test/ort.js';
import { exportOnnx } from './export.js';
import { importOnnx } from './import.js';

const cases = CONFORMANCE_CASES.filter((c) => c.op === 'RoiAlign');
const poolCases = CONFORMANCE_CASES.filter((c) => c.op === 'MaxRoiPool');

describe('RoiAlign export', () => {
  it('has conformance cases to run', () => expect(cases.length).toBeGreaterThanOrEqual(5));

  it.each(cases.map((c) => [c.id, c]))('%s: ONNX Runtime CPU equals the reference (1e-5)', async (_id, c) => {
    const { graph, feeds } = c.build();
    const [want, got] = await Promise.all([runReference(graph, feeds), runOrt(exportOnnx(graph), feeds)]);
    expect(relDiff(got.y0!, want.y0!)).toBeLessThanOrEqual(1e-5);
  });

  it('export -> import keeps the op and its attributes', () => {
    const { graph } = cases[1]!.build();
    const back = importOnnx(exportOnnx(graph));
    const node = back.nodes.find((n) => n.op === 'RoiAlign')!;
    expect(node.attrs).toEqual(graph.nodes.find((n) => n.op === 'RoiAlign')!.attrs);
    expect(back.values.get(node.outputs[0]!)?.shape).toEqual(graph.outputs[0]!.shape);
  });
});

describe('MaxRoiPool export', () => {
  it.each(poolCases.map((c) => [c.id, c]))(
    '%s: export -> import keeps it; ONNX Runtime CPU vs reference',
    async (_id, c) => {
      const { graph, feeds } = c.build();
      const back = importOnnx(exportOnnx(graph));
      expect(back.nodes.find((n) => n.op === 'MaxRoiPool')!.attrs).toEqual(
        graph.nodes.find((n) => n.op === 'MaxRoiPool')!.attrs,
      );
      const [want, got] = await Promise.all([runReference(graph, feeds), runOrt(exportOnnx(graph), feeds)]);
      expect(relDiff(got.y0!, want.y0!)).toBeLessThanOrEqual(0);
    },
  );
});

describe('RoiAlign import', () => {
  it('reads opset 10 as output_half_pixel and runs like ONNX Runtime', async () => {
    const rois = new Tensor('float32', [3, 4], Float32Array.from([0, 0, 5, 4, 1.5, 2, 7, 7, -2, -1, 3, 9]));
    const batch = new Tensor('int64', [3], BigInt64Array.from([1n, 0n, 1n]));
    const bytes = onnxModel({
      opset: 10,
      inputs: { x: [2, 3, 8, 8] },
      outputs: ['y'],
      initializers: { rois, batch },
      nodes: [
        [
          'RoiAlign',
          ['x', 'rois', 'batch'],
          ['y'],
          { output_height: { i: 2 }, output_width: { i: 3 }, sampling_ratio: { i: 0 }, spatial_scale: { f: 0.5 } },
        ],
      ],
    });
    const graph = importOnnx(bytes);
    expect(graph.nodes.find((n) => n.op === 'RoiAlign')!.attrs.coordinate_transformation_mode).toBe(
      'output_half_pixel',
    );
    const data = Float32Array.from({ length: 2 * 3 * 64 }, (_, i) => Math.sin(i * 0.37));
    const feeds = { x: new Tensor('float32', [2, 3, 8, 8], data) };
    const [want, got] = await Promise.all([runOrt(bytes, feeds), runReference(graph, feeds)]);
    expect(got.y!.shape).toEqual([3, 3, 2, 3]);
    expect(relDiff(got.y!, want.y!)).toBeLessThanOrEqual(1e-5);
  });
});
