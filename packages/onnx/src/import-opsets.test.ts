/**
 * importOnnx on small models in the forms of opsets 7 to 18 (attribute operands, Upsample, Resize-10, Softmax
 * before 13, run-time Gather/Unsqueeze, folded shape chains): each is run by ONNX Runtime as written, and the
 * imported graph must give the same outputs on the reference backend and, exported again, on ORT.
 */
import { Rng, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { type ModelSpec, onnxModel } from '../test/onnx-model.js';
import { relDiff, runOrt, runReference } from '../test/ort.js';
import { exportOnnx } from './export.js';
import { importOnnx } from './import.js';

const i64 = (v: number[]) => new Tensor('int64', [v.length], BigInt64Array.from(v, BigInt));
const f32 = (v: number[], shape = [v.length]) => new Tensor('float32', shape, Float32Array.from(v));

const CASES: Record<string, ModelSpec> = {
  'Upsample-9 nearest (scales input)': {
    opset: 9,
    inputs: { x: [1, 2, 3, 4] },
    outputs: ['y'],
    initializers: { scales: f32([1, 1, 2, 3]) },
    nodes: [['Upsample', ['x', 'scales'], ['y'], { mode: { s: 'nearest' } }]],
  },
  'Upsample-7 linear (scales attribute)': {
    opset: 7,
    inputs: { x: [1, 2, 3, 4] },
    outputs: ['y'],
    nodes: [['Upsample', ['x'], ['y'], { mode: { s: 'linear' }, scales: { floats: [1, 1, 2, 2] } }]],
  },
  'Resize-10 nearest': {
    opset: 10,
    inputs: { x: [1, 2, 3, 4] },
    outputs: ['y'],
    initializers: { scales: f32([1, 1, 2, 2]) },
    nodes: [['Resize', ['x', 'scales'], ['y'], { mode: { s: 'nearest' } }]],
  },
  'Resize-11 with an empty roi and sizes': {
    opset: 11,
    inputs: { x: [1, 2, 3, 4] },
    outputs: ['y'],
    initializers: { roi: f32([]), scales: f32([]), sizes: i64([1, 2, 5, 7]) },
    nodes: [
      [
        'Resize',
        ['x', 'roi', 'scales', 'sizes'],
        ['y'],
        { mode: { s: 'linear' }, coordinate_transformation_mode: { s: 'align_corners' } },
      ],
    ],
  },
  'Pad-2 attributes (constant value, reflect)': {
    opset: 9,
    inputs: { x: [1, 2, 3, 4] },
    outputs: ['a', 'b'],
    nodes: [
      ['Pad', ['x'], ['a'], { pads: { ints: [0, 0, 1, 2, 0, 0, 2, 1] }, value: { f: 0.5 } }],
      ['Pad', ['x'], ['b'], { pads: { ints: [0, 0, 1, 1, 0, 0, 1, 1] }, mode: { s: 'reflect' } }],
    ],
  },
  'Slice-1, Clip-6 and Split-2 attributes': {
    opset: 9,
    inputs: { x: [1, 4, 5, 6] },
    outputs: ['s', 'c', 'p0', 'p1', 'q0', 'q1'],
    nodes: [
      ['Slice', ['x'], ['s'], { starts: { ints: [1, -4] }, ends: { ints: [3, 1000] }, axes: { ints: [1, 3] } }],
      ['Clip', ['x'], ['c'], { min: { f: -0.25 }, max: { f: 0.5 } }],
      ['Split', ['x'], ['p0', 'p1'], { axis: { i: 1 }, split: { ints: [1, 3] } }],
      ['Split', ['x'], ['q0', 'q1'], { axis: { i: 3 } }],
    ],
  },
  'Softmax-11 on a middle axis (coerced to 2-D) and on the last': {
    opset: 11,
    inputs: { x: [2, 3, 4] },
    outputs: ['a', 'b'],
    nodes: [
      ['Softmax', ['x'], ['a'], { axis: { i: 1 } }],
      ['Softmax', ['x'], ['b'], { axis: { i: 2 } }],
    ],
  },
  'run-time Gather (scalar and range), Unsqueeze-11, Squeeze-11': {
    opset: 11,
    inputs: { x: [2, 3, 4] },
    outputs: ['g', 'r', 'u'],
    initializers: { one: i64([1]).reshape([]), range: i64([1, 2]) },
    nodes: [
      ['Gather', ['x', 'one'], ['g'], { axis: { i: 1 } }],
      ['Gather', ['x', 'range'], ['r'], { axis: { i: 2 } }],
      ['Unsqueeze', ['x'], ['xu'], { axes: { ints: [0, 3] } }],
      ['Squeeze', ['xu'], ['u'], { axes: { ints: [0] } }],
    ],
  },
  'folded shape chain: Shape, Gather, Unsqueeze, Concat, Cast, ConstantOfShape, Reshape (opset 9)': {
    opset: 9,
    inputs: { x: [2, 3, 4] },
    outputs: ['y', 'z'],
    initializers: { zero: i64([0]).reshape([]), minus1: i64([-1]) },
    nodes: [
      ['Shape', ['x'], ['shape']],
      ['Gather', ['shape', 'zero'], ['n'], { axis: { i: 0 } }],
      ['Unsqueeze', ['n'], ['n1'], { axes: { ints: [0] } }],
      ['Concat', ['n1', 'minus1'], ['target'], { axis: { i: 0 } }],
      ['Reshape', ['x', 'target'], ['y']],
      ['Cast', ['shape'], ['shapef'], { to: { i: 1 } }],
      ['Cast', ['shapef'], ['shapei'], { to: { i: 7 } }],
      ['ConstantOfShape', ['shapei'], ['ones'], { value: { t: f32([0.5]) } }],
      ['Add', ['x', 'ones'], ['z']],
    ],
  },
  'opset 13: Unsqueeze/Split with inputs, ReduceMean, Dropout, BatchNormalization': {
    opset: 13,
    inputs: { x: [1, 4, 3, 3] },
    outputs: ['u', 's0', 's1', 'm', 'b'],
    initializers: {
      axes: i64([4]),
      split: i64([3, 1]),
      scale: f32([1, 2, 0.5, 1]),
      bias: f32([0, 0.1, 0.2, 0.3]),
      mean: f32([0.1, 0, -0.1, 0]),
      var: f32([1, 0.5, 2, 1]),
    },
    nodes: [
      ['Unsqueeze', ['x', 'axes'], ['u']],
      ['Split', ['x', 'split'], ['s0', 's1'], { axis: { i: 1 } }],
      ['ReduceMean', ['x'], ['m'], { axes: { ints: [2, 3] }, keepdims: { i: 0 } }],
      ['Dropout', ['x'], ['d']],
      ['BatchNormalization', ['d', 'scale', 'bias', 'mean', 'var'], ['b'], { epsilon: { f: 1e-3 } }],
    ],
  },
  'opset 18: ReduceMean axes input, Split num_outputs': {
    opset: 18,
    inputs: { x: [1, 5, 2, 2] },
    outputs: ['m', 'a', 'b'],
    initializers: { axes: i64([1]) },
    nodes: [
      ['ReduceMean', ['x', 'axes'], ['m']],
      ['Split', ['x'], ['a', 'b'], { axis: { i: 1 }, num_outputs: { i: 2 } }],
    ],
  },
};

describe.each(Object.entries(CASES))('importOnnx: %s', (_, spec) => {
  it('matches ONNX Runtime on the reference backend and after export', async () => {
    const bytes = onnxModel(spec);
    const feeds: Record<string, Tensor> = {};
    for (const [k, [name, shape]] of Object.entries(spec.inputs).entries()) {
      const dims = shape as number[];
      feeds[name] = new Tensor(
        'float32',
        dims,
        new Rng(k + 3).uniformArray(
          dims.reduce((a, b) => a * b, 1),
          -1,
          1,
        ),
      );
    }
    const graph = importOnnx(bytes);
    const [want, ref, back] = await Promise.all([
      runOrt(bytes, feeds),
      runReference(graph, feeds),
      runOrt(exportOnnx(graph), feeds),
    ]);
    for (const name of spec.outputs) {
      expect(ref[name]?.shape, name).toEqual(want[name]!.shape);
      expect(relDiff(ref[name]!, want[name]!), name).toBeLessThanOrEqual(1e-5);
      expect(relDiff(back[name]!, want[name]!), name).toBeLessThanOrEqual(1e-6);
    }
    const ops = new Set(graph.nodes.map((n) => n.op as string));
    for (const folded of ['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Cast', 'ConstantOfShape', 'Upsample']) {
      expect(ops.has(folded), `${folded} left in the graph`).toBe(false);
    }
  });
});
