/** importOnnx's typed errors: unsupported ops and opsets, symbolic shapes, bad arguments, and fuzzed real bytes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, Rng, Tensor, UnsupportedOpError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../../test-utils/fixtures.js';
import { onnxModel } from '../test/onnx-model.js';
import { importOnnx } from './import.js';

const i64 = (v: number[]) => new Tensor('int64', [v.length], BigInt64Array.from(v, BigInt));

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, got none');
}

describe('importOnnx errors', () => {
  it('names the op type, the node and the opset of an op it cannot take', () => {
    const bytes = onnxModel({
      opset: 11,
      inputs: { x: [1, 4] },
      outputs: ['y'],
      nodes: [['TopK', ['x', 'k'], ['y', 'i'], {}, 'my_topk']],
      initializers: { k: i64([2]) },
    });
    const error = caught(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as UnsupportedOpError).opType).toBe('TopK');
    expect((error as Error).message).toMatch(/my_topk \(TopK, opset 11\)/);
  });

  it('names the node and opset when a known op uses a form it cannot take', () => {
    const bytes = onnxModel({
      opset: 19,
      inputs: { x: [1, 4] },
      outputs: ['y'],
      initializers: { pads: i64([0, 1, 0, 1]) },
      nodes: [['Pad', ['x', 'pads'], ['y'], { mode: { s: 'wrap' } }, 'wrap_pad']],
    });
    const error = caught(() => importOnnx(bytes));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as Error).message).toMatch(/^wrap_pad \(Pad, opset 19\): mode "wrap"/);
  });

  it('rejects ops of other domains, opsets out of range, and run-time casts with UnsupportedOpError', () => {
    const custom = onnxModel({
      opset: 11,
      domain: 'com.microsoft',
      inputs: { x: [2] },
      outputs: ['y'],
      nodes: [['Relu', ['x'], ['y']]],
    });
    expect(() => importOnnx(custom)).toThrow(/domain "com.microsoft"/);
    const old = onnxModel({ opset: 5, inputs: { x: [2] }, outputs: ['y'], nodes: [['Relu', ['x'], ['y']]] });
    expect(() => importOnnx(old)).toThrow(UnsupportedOpError);
    const cast = onnxModel({
      opset: 13,
      inputs: { x: [2] },
      outputs: ['y'],
      nodes: [['Cast', ['x'], ['y'], { to: { i: 7 } }]],
    });
    expect(() => importOnnx(cast)).toThrow(/run-time cast from float32 to int64/);
  });

  it('needs a static shape to fold Shape, and takes one from inputShapes', () => {
    const spec = {
      opset: 11,
      inputs: { x: ['N', 3] },
      outputs: ['y'],
      initializers: { zero: i64([0]).reshape([]), minus1: i64([-1]) },
      nodes: [
        ['Shape', ['x'], ['s']],
        ['Gather', ['s', 'zero'], ['n'], { axis: { i: 0 } }],
        ['Unsqueeze', ['n'], ['n1'], { axes: { ints: [0] } }],
        ['Concat', ['n1', 'minus1'], ['t'], { axis: { i: 0 } }],
        ['Reshape', ['x', 't'], ['y']],
      ] as [string, string[], string[], Record<string, { i: number } | { ints: number[] }>?][],
    };
    const bytes = onnxModel(spec);
    expect(() => importOnnx(bytes)).toThrow(/symbolic; pass inputShapes/);
    const g = importOnnx(bytes, { inputShapes: { x: [5, 3] } });
    expect(g.inputs[0]!.shape).toEqual([5, 3]);
    expect(g.nodes.map((n) => n.op)).toEqual(['Reshape']);
    expect(g.initializers.get(g.nodes[0]!.inputs[1]!)!.toArray()).toEqual([5, -1]);
    expect(() => importOnnx(bytes, { inputShapes: { x: [5] } })).toThrow(RangeError);
  });

  it('keeps a symbolic batch where no rule needs its value', () => {
    const bytes = onnxModel({
      opset: 13,
      inputs: { x: ['N', 3, 4, 4] },
      outputs: ['y'],
      nodes: [['Relu', ['x'], ['y']]],
    });
    const g = importOnnx(bytes);
    expect(g.inputs[0]!.shape).toEqual(['N', 3, 4, 4]);
    expect(g.outputs[0]!.shape).toEqual(['N', 3, 4, 4]);
  });

  it('checks its arguments', () => {
    expect(() => importOnnx([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => importOnnx(new Uint8Array(), { inputShapes: { x: 'big' } } as never)).toThrow(TypeError);
  });

  it('raises DataError for empty, garbage and truncated bytes', () => {
    expect(() => importOnnx(new Uint8Array())).toThrow(DataError);
    expect(() => importOnnx(new TextEncoder().encode('this is not an onnx file at all'))).toThrow(DataError);
    const bytes = new Uint8Array(readFileSync(join(modelsDir(), 'fastestdet', 'FastestDet.onnx')));
    const error = caught(() => importOnnx(bytes.subarray(0, bytes.length - 1000)));
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/not a valid ONNX model/);
  });

  it('fuzz: seeded truncations and byte flips of a real model give a Graph or a typed error, never a crash', () => {
    const bytes = new Uint8Array(
      readFileSync(join(modelsDir(), 'blazeface', 'face_detection_front_128x128_barracuda.onnx')),
    );
    const rng = new Rng(2024);
    const outcomes = { graph: 0, data: 0, unsupported: 0 };
    const attempt = (b: Uint8Array, what: string): void => {
      try {
        importOnnx(b);
        outcomes.graph++;
      } catch (error) {
        if (error instanceof DataError) outcomes.data++;
        else if (error instanceof UnsupportedOpError) outcomes.unsupported++;
        else throw new Error(`${what}: untyped error ${String(error)}`, { cause: error });
      }
    };
    for (let k = 0; k < 40; k++) {
      const len = rng.integers(0, bytes.length);
      attempt(bytes.subarray(0, len), `truncated to ${len}`);
    }
    for (let k = 0; k < 120; k++) {
      const copy = bytes.slice();
      // Flips in the graph structure (the first 64 KiB hold nodes and small tensors) and anywhere.
      const flips = 1 + rng.integers(0, 4);
      for (let f = 0; f < flips; f++) {
        const at = k % 2 === 0 ? rng.integers(0, Math.min(65536, copy.length)) : rng.integers(0, copy.length);
        copy[at] = copy[at]! ^ (1 << rng.integers(0, 8));
      }
      attempt(copy, `flip case ${k}`);
    }
    expect(outcomes.data).toBeGreaterThan(0);
    expect(outcomes.graph).toBeGreaterThan(0);
    expect(outcomes.graph + outcomes.data + outcomes.unsupported).toBe(160);
  });
});
