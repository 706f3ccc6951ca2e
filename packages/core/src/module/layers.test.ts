import { describe, expect, it } from 'vitest';
import { ShapeError, UnsupportedOpError } from '../errors.js';
import type { Dim, Graph } from '../graph.js';
import type { Value } from '../graph-builder.js';
import {
  ELU,
  GELU,
  Hardsigmoid,
  Hardswish,
  LeakyReLU,
  PReLU,
  ReLU,
  Sigmoid,
  SiLU,
  Softmax,
  Tanh,
} from './activation.js';
import { ModuleList, Sequential } from './container.js';
import { Conv2d, ConvTranspose2d } from './conv.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Identity, Linear } from './linear.js';
import { type Module, Module as ModuleBase } from './module.js';
import { BatchNorm2d, LayerNorm } from './norm.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pool.js';
import { Upsample } from './upsample.js';

const trace = (m: Module, shape: readonly Dim[]): Graph => m.toGraph({ inputs: { input: shape } });
const only = (g: Graph) => {
  expect(g.nodes).toHaveLength(1);
  return g.nodes[0]!;
};

describe('Conv2d', () => {
  it('records a Conv with explicit pads and the weight layout [out, in/groups, kH, kW]', () => {
    const conv = new Conv2d(4, 8, [3, 5], { stride: [2, 1], padding: [1, 2], dilation: 2, groups: 2, bias: false });
    expect(conv.weight.shape).toEqual([8, 2, 3, 5]);
    expect(conv.bias).toBeNull();
    const g = trace(conv, ['N', 4, 16, 16]);
    const node = only(g);
    expect(node.inputs).toEqual(['input', 'weight']);
    expect(node.attrs).toEqual({
      kernel_shape: [3, 5],
      strides: [2, 1],
      pads: [1, 2, 1, 2],
      dilations: [2, 2],
      group: 2,
    });
    expect(g.outputs[0]!.shape).toEqual(['N', 8, 7, 12]);
  });

  it("computes 'same' and 'valid' pads as PyTorch (odd extra on the bottom/right)", () => {
    expect(new Conv2d(1, 1, 3, { padding: 'same' }).pads).toEqual([1, 1, 1, 1]);
    expect(new Conv2d(1, 1, [2, 4], { padding: 'same' }).pads).toEqual([0, 1, 1, 2]);
    expect(new Conv2d(1, 1, 3, { padding: 'same', dilation: 3 }).pads).toEqual([3, 3, 3, 3]);
    expect(new Conv2d(1, 1, 3, { padding: 'valid' }).pads).toEqual([0, 0, 0, 0]);
    expect(trace(new Conv2d(1, 2, 4, { padding: 'same' }), ['N', 1, 9, 10]).outputs[0]!.shape).toEqual(['N', 2, 9, 10]);
  });

  it('emits Pad(reflect|edge) then an unpadded Conv for the other padding modes', () => {
    const g = trace(new Conv2d(2, 2, 3, { padding: 1, paddingMode: 'replicate' }), [1, 2, 5, 5]);
    expect(g.nodes.map((n) => [n.op, n.name])).toEqual([
      ['Pad', 'pad'],
      ['Conv', 'root'],
    ]);
    expect(g.nodes[0]!.attrs).toEqual({ mode: 'edge' });
    expect(g.initializers.get('pad.pads')!.toArray()).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(g.nodes[1]!.attrs.pads).toEqual([0, 0, 0, 0]);
    expect(() => trace(new Conv2d(1, 1, 7, { padding: 3, paddingMode: 'reflect' }), [1, 1, 3, 3])).toThrow(
      /reflect padding 3 must be smaller than the input size 3/,
    );
  });

  it('validates its arguments', () => {
    expect(() => new Conv2d(0, 8, 3)).toThrow(/Conv2d: inChannels: expected a positive integer, got 0/);
    expect(() => new Conv2d(3, -1, 3)).toThrow(RangeError);
    expect(() => new Conv2d(3, 8, 0)).toThrow(/kernelSize/);
    expect(() => new Conv2d(3, 8, [3, 3, 3] as never)).toThrow(/kernelSize/);
    expect(() => new Conv2d(3, 8, 3, { stride: 0 })).toThrow(/stride/);
    expect(() => new Conv2d(3, 8, 3, { padding: -1 })).toThrow(/padding/);
    expect(() => new Conv2d(3, 8, 3, { padding: 'full' as never })).toThrow(/padding: expected one of 'same', 'valid'/);
    expect(() => new Conv2d(3, 8, 3, { padding: 'same', stride: 2 })).toThrow(/not supported for strided/);
    expect(() => new Conv2d(3, 8, 3, { groups: 2 })).toThrow(
      /groups: expected a divisor of inChannels \(3\) and outChannels \(8\), got 2/,
    );
    expect(() => new Conv2d(4, 6, 3, { groups: 4 })).toThrow(/groups/);
    expect(() => new Conv2d(3, 8, 3, { paddingMode: 'circular' as never })).toThrow(/paddingMode/);
    expect(() => new Conv2d(3, 8, 3, { bias: 1 as never })).toThrow(TypeError);
    expect(() => new Conv2d(3, 8, 3, 'x' as never)).toThrow(TypeError);
    expect(() => trace(new Conv2d(3, 8, 3), ['N', 3, 8])).toThrow(/expected a 4-D input/);
  });
});

describe('ConvTranspose2d', () => {
  it('has weight [in, out/groups, kH, kW] and records output_padding', () => {
    const m = new ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(m.weight.shape).toEqual([4, 3, 3, 3]);
    expect(m.numParameters()).toBe(4 * 3 * 9 + 6);
    const g = trace(m, ['N', 4, 5, 7]);
    expect(only(g).attrs).toEqual({
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
      dilations: [1, 1],
      group: 2,
      output_padding: [1, 1],
    });
    expect(g.outputs[0]!.shape).toEqual(['N', 6, 10, 14]);
  });

  it('validates outputPadding against stride and dilation', () => {
    expect(() => new ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(
      /outputPadding: expected values smaller/,
    );
    expect(() => new ConvTranspose2d(2, 2, 3, { outputPadding: 1 })).toThrow(RangeError);
    expect(() => new ConvTranspose2d(2, 3, 3, { groups: 2 })).toThrow(/groups/);
  });
});

describe('normalization', () => {
  it('BatchNorm2d registers PyTorch parameters and buffers and traces the inference form', () => {
    const bn = new BatchNorm2d(4, { eps: 1e-3, momentum: null });
    expect([...bn.stateDict().keys()]).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1, 1, 1]);
    const node = only(trace(bn, ['N', 4, 2, 2]));
    expect(node.op).toBe('BatchNormalization');
    expect(node.attrs).toEqual({ epsilon: 1e-3 });
    expect(() => trace(bn, ['N', 3, 2, 2])).toThrow(/expected 4 channels, got 3/);
    expect(() => trace(bn, ['N', 4])).toThrow(ShapeError);
  });

  it('BatchNorm2d without affine uses constant scale and shift; without running stats it cannot be traced', () => {
    const bn = new BatchNorm2d(2, { affine: false });
    expect(bn.numParameters()).toBe(0);
    const g = trace(bn, [1, 2, 3, 3]);
    expect(only(g).inputs).toEqual(['input', 'scale', 'shift', 'running_mean', 'running_var']);
    expect(g.initializers.get('scale')!.toArray()).toEqual([1, 1]);
    const noStats = new BatchNorm2d(2, { trackRunningStats: false });
    expect([...noStats.stateDict().keys()]).toEqual(['weight', 'bias']);
    expect(() => trace(noStats, [1, 2, 3, 3])).toThrow(UnsupportedOpError);
  });

  it('BatchNorm2d validates its arguments', () => {
    expect(() => new BatchNorm2d(0)).toThrow(/numFeatures/);
    expect(() => new BatchNorm2d(2, { eps: -1 })).toThrow(/eps/);
    expect(() => new BatchNorm2d(2, { momentum: 2 })).toThrow(/momentum/);
    expect(() => new BatchNorm2d(2, { affine: 'yes' as never })).toThrow(TypeError);
  });

  it('LayerNorm normalizes the trailing dims', () => {
    const ln = new LayerNorm([4, 5], { eps: 1e-6 });
    expect(ln.weight!.shape).toEqual([4, 5]);
    expect(ln.numParameters()).toBe(40);
    const node = only(trace(ln, ['N', 3, 4, 5]));
    expect(node.op).toBe('LayerNormalization');
    expect(node.attrs).toEqual({ axis: -2, epsilon: 1e-6 });
    expect(node.inputs).toEqual(['input', 'weight', 'bias']);
    expect(only(trace(new LayerNorm(8, { elementwiseAffine: false }), ['N', 8])).inputs).toEqual([
      'input',
      'scale',
      '',
    ]);
    expect(() => trace(ln, ['N', 5, 4])).toThrow(/must end with normalizedShape \[4, 5\]/);
    expect(() => new LayerNorm([])).toThrow(TypeError);
    expect(() => new LayerNorm([4, 0])).toThrow(/normalizedShape\[1\]/);
  });
});

describe('Linear and Identity', () => {
  it('Gemm with transB for 2-D inputs; Transpose + MatMul + Add otherwise', () => {
    const fc = new Linear(6, 3);
    expect(fc.weight.shape).toEqual([3, 6]);
    const node = only(trace(fc, ['N', 6]));
    expect([node.op, node.attrs]).toEqual(['Gemm', { transB: 1 }]);
    expect(node.inputs).toEqual(['input', 'weight', 'bias']);
    const g = trace(fc, ['N', 'T', 6]);
    expect(g.nodes.map((n) => n.op)).toEqual(['Transpose', 'MatMul', 'Add']);
    expect(g.outputs[0]!.shape).toEqual(['N', 'T', 3]);
    expect(trace(new Linear(6, 3, { bias: false }), [2, 4, 6]).nodes.map((n) => n.op)).toEqual(['Transpose', 'MatMul']);
    expect(() => trace(fc, ['N', 5])).toThrow(/last dim is inFeatures 6/);
    expect(() => new Linear(0, 3)).toThrow(/inFeatures/);
    expect(() => new Linear(3, 1.5)).toThrow(/outFeatures/);
  });

  it('Identity records nothing inside a model', () => {
    const g = trace(new Sequential(new Identity(), new ReLU()), ['N', 2]);
    expect(g.nodes.map((n) => n.op)).toEqual(['Relu']);
  });
});

describe('activations', () => {
  const cases: [Module, string, Record<string, unknown>][] = [
    [new ReLU(), 'Relu', {}],
    [new LeakyReLU(0.2), 'LeakyRelu', { alpha: 0.2 }],
    [new LeakyReLU(), 'LeakyRelu', { alpha: 0.01 }],
    [new ELU(), 'Elu', { alpha: 1 }],
    [new Sigmoid(), 'Sigmoid', {}],
    [new Tanh(), 'Tanh', {}],
    [new Hardswish(), 'HardSwish', {}],
    [new Hardsigmoid(), 'HardSigmoid', { alpha: 1 / 6, beta: 0.5 }],
    [new GELU(), 'Gelu', { approximate: 'none' }],
    [new GELU({ approximate: 'tanh' }), 'Gelu', { approximate: 'tanh' }],
    [new Softmax(1), 'Softmax', { axis: 1 }],
  ];
  for (const [m, op, attrs] of cases) {
    it(`${m.constructor.name} -> ${op} ${JSON.stringify(attrs)}`, () => {
      const node = only(trace(m, ['N', 4, 2, 2]));
      expect(node.op).toBe(op);
      expect(node.attrs).toEqual(attrs);
    });
  }

  it('SiLU is Sigmoid then Mul', () => {
    const g = trace(new Sequential(new SiLU()), ['N', 4]);
    expect(g.nodes.map((n) => [n.op, n.name])).toEqual([
      ['Sigmoid', '0.sigmoid'],
      ['Mul', '0'],
    ]);
  });

  it('PReLU reshapes per-channel slopes to [C, 1, 1]', () => {
    const p = new PReLU(4, 0.1);
    expect(p.weight.data.toArray()).toEqual(new Array(4).fill(0.1).map(Math.fround));
    const g = trace(p, ['N', 4, 3, 3]);
    expect(g.nodes.map((n) => n.op)).toEqual(['Reshape', 'PRelu']);
    expect(g.initializers.get('slope.shape')!.toArray()).toEqual([4, 1, 1]);
    expect(only(trace(new PReLU(), ['N', 4, 3, 3])).inputs).toEqual(['input', 'weight']);
    expect(() => trace(p, ['N', 3, 3, 3])).toThrow(/expected 4 channels/);
    expect(() => new PReLU(0)).toThrow(RangeError);
  });

  it('Softmax without dim uses PyTorch legacy dims and validates dim', () => {
    expect(only(trace(new Softmax(), ['N', 10])).attrs).toEqual({ axis: 1 });
    expect(only(trace(new Softmax(), [3, 4, 5])).attrs).toEqual({ axis: 0 });
    expect(() => trace(new Softmax(2), ['N', 10])).toThrow(/dim 2 is out of range/);
    expect(() => new Softmax(0.5)).toThrow(RangeError);
    expect(() => new LeakyReLU(Number.NaN)).toThrow(RangeError);
    expect(() => new GELU({ approximate: 'fast' as never })).toThrow(/approximate/);
  });
});

describe('pooling', () => {
  it('MaxPool2d defaults stride to the kernel and records ceil_mode', () => {
    const g = trace(new MaxPool2d(3, { stride: 2, ceilMode: true }), ['N', 64, 111, 111]);
    expect(only(g).attrs).toEqual({
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
      dilations: [1, 1],
      ceil_mode: 1,
    });
    expect(g.outputs[0]!.shape).toEqual(['N', 64, 55, 55]);
    expect(only(trace(new MaxPool2d(2), ['N', 1, 4, 4])).attrs.strides).toEqual([2, 2]);
    expect(() => new MaxPool2d(3, { padding: 2 })).toThrow(/at most half the kernel size/);
    expect(() => new MaxPool2d(0)).toThrow(/kernelSize/);
  });

  it('AvgPool2d maps countIncludePad (default true) to count_include_pad', () => {
    expect(only(trace(new AvgPool2d(3, { stride: 1, padding: 1 }), ['N', 1, 4, 4])).attrs).toEqual({
      kernel_shape: [3, 3],
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      ceil_mode: 0,
      count_include_pad: 1,
    });
    expect(only(trace(new AvgPool2d(2, { countIncludePad: false }), ['N', 1, 4, 4])).attrs.count_include_pad).toBe(0);
    expect(() => new AvgPool2d(2, { divisorOverride: 3 } as never)).toThrow(/divisorOverride/);
  });

  it('AdaptiveAvgPool2d: GlobalAveragePool for 1x1, AveragePool when the input divides evenly', () => {
    const g1 = trace(new AdaptiveAvgPool2d(1), ['N', 512, 'H', 'W']);
    expect(only(g1).op).toBe('GlobalAveragePool');
    expect(g1.outputs[0]!.shape).toEqual(['N', 512, 1, 1]);
    const g7 = trace(new AdaptiveAvgPool2d([7, null]), ['N', 8, 14, 5]);
    expect(only(g7).attrs).toEqual({ kernel_shape: [2, 1], strides: [2, 1], pads: [0, 0, 0, 0] });
    expect(g7.outputs[0]!.shape).toEqual(['N', 8, 7, 5]);
    expect(() => trace(new AdaptiveAvgPool2d(3), ['N', 8, 7, 7])).toThrow(/7 is not a multiple of output 3/);
    expect(() => trace(new AdaptiveAvgPool2d(2), ['N', 8, 'H', 'W'])).toThrow(/needs a known input height/);
    expect(() => new AdaptiveAvgPool2d(0)).toThrow(RangeError);
  });
});

describe('Dropout, Flatten, Upsample', () => {
  it('Dropout validates p and records nothing in eval', () => {
    expect(() => new Dropout(1.5)).toThrow(/p: expected a number in \[0, 1\]/);
    const g = trace(new Sequential(new Dropout(), new ReLU()), ['N', 3]);
    expect(g.nodes.map((n) => n.op)).toEqual(['Relu']);
  });

  it('Flatten: Flatten op for (1, -1), Reshape otherwise', () => {
    const g = trace(new Flatten(), ['N', 512, 1, 1]);
    expect([only(g).op, only(g).attrs]).toEqual(['Flatten', { axis: 1 }]);
    expect(g.outputs[0]!.shape).toEqual(['N', 512]);
    const r = trace(new Flatten(2, 3), ['N', 3, 4, 5]);
    expect(only(r).op).toBe('Reshape');
    expect(r.initializers.get('root.shape')!.toArray()).toEqual([0, 0, -1]);
    expect(r.outputs[0]!.shape).toEqual(['N', 3, 20]);
    const mid = trace(new Flatten(1, 2), ['N', 3, 4, 5]);
    expect(mid.outputs[0]!.shape).toEqual(['N', 12, 5]);
    expect(() => trace(new Flatten(3, 1), ['N', 3, 4, 5])).toThrow(/startDim 3 comes after endDim 1/);
    expect(() => trace(new Flatten(5), ['N', 3])).toThrow(/startDim/);
    expect(() => new Flatten(0.5)).toThrow(RangeError);
  });

  it('Upsample maps modes to Resize coordinate modes', () => {
    const near = only(trace(new Upsample({ scaleFactor: 2 }), ['N', 3, 4, 4]));
    expect(near.attrs).toEqual({
      mode: 'nearest',
      coordinate_transformation_mode: 'asymmetric',
      nearest_mode: 'floor',
    });
    expect(near.inputs).toEqual(['input', '', 'root.scales']);
    const g = trace(new Upsample({ size: [7, 9], mode: 'bilinear', alignCorners: true }), [1, 3, 4, 4]);
    expect(only(g).attrs).toEqual({ mode: 'linear', coordinate_transformation_mode: 'align_corners' });
    expect(only(g).inputs).toEqual(['input', '', '', 'root.sizes']);
    expect(g.outputs[0]!.shape).toEqual([1, 3, 7, 9]);
    const half = only(trace(new Upsample({ size: 8, mode: 'bilinear' }), ['N', 3, 4, 4]));
    expect(half.attrs.coordinate_transformation_mode).toBe('half_pixel');
    expect(() => new Upsample({})).toThrow(/exactly one of size and scaleFactor/);
    expect(() => new Upsample({ size: 2, scaleFactor: 2 })).toThrow(TypeError);
    expect(() => new Upsample({ size: 2, alignCorners: true })).toThrow(/only be set with mode 'bilinear'/);
    expect(() => new Upsample({ scaleFactor: -1 })).toThrow(/scaleFactor/);
    expect(() => new Upsample({ size: 2, mode: 'bicubic' as never })).toThrow(/mode/);
  });
});

describe('containers', () => {
  it('Sequential accepts positional modules or named entries', () => {
    const named = new Sequential({ conv: new Conv2d(1, 2, 3), act: new ReLU() });
    expect([...named.stateDict().keys()]).toEqual(['conv.weight', 'conv.bias']);
    expect(named.length).toBe(2);
    const fromMap = new Sequential(new Map([['fc', new Linear(2, 2)]]));
    expect([...fromMap.stateDict().keys()]).toEqual(['fc.weight', 'fc.bias']);
    const seq = new Sequential(new Linear(2, 2)).append(new ReLU());
    expect(seq.at(-1)).toBeInstanceOf(ReLU);
    expect([...seq].length).toBe(2);
    expect(() => seq.at(2)).toThrow(RangeError);
    expect(() => new Sequential({ a: 3 as never })).toThrow(TypeError);
    expect(trace(new Sequential(), ['N', 2]).nodes.map((n) => n.op)).toEqual(['Identity']);
  });

  it('ModuleList registers children but has no forward', () => {
    const list = new ModuleList([new Linear(2, 2), new Linear(2, 2)]);
    list.append(new ReLU());
    expect(list.length).toBe(3);
    expect([...list.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(() => list.forward()).toThrow(TypeError);
    expect(() => new ModuleList(3 as never)).toThrow(TypeError);
    class Heads extends ModuleBase {
      heads = new ModuleList([new Linear(4, 2), new Linear(4, 3)]);
      override forward(x: Value): Value[] {
        return [...this.heads].map((h) => h.forward(x) as Value);
      }
    }
    const g = trace(new Heads(), ['N', 4]);
    expect(g.nodes.map((n) => n.name)).toEqual(['heads.0', 'heads.1']);
    expect(g.outputs.map((o) => o.shape)).toEqual([
      ['N', 2],
      ['N', 3],
    ]);
  });
});
