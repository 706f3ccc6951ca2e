import { describe, expect, it } from 'vitest';
import { convOutputSize, convTransposeOutputSize, poolOutputSize } from './conv-shape.js';
import { ShapeError } from './errors.js';

describe('convOutputSize', () => {
  it('computes the CNN-course cases', () => {
    expect(convOutputSize(32, 5)).toBe(28);
    expect(convOutputSize(32, 5, { stride: 1, padding: 0 })).toBe(28);
    expect(convOutputSize(227, 11, { stride: 4, padding: 0 })).toBe(55); // AlexNet conv1
    expect(convOutputSize(224, 7, { stride: 2, padding: 3 })).toBe(112); // ResNet stem
    expect(convOutputSize(5, 3, { stride: 2, padding: 1 })).toBe(3); // the 5x5x3 worked example
    expect(convOutputSize(56, 3, { padding: 1 })).toBe(56);
  });

  it('accepts the single-object form', () => {
    expect(convOutputSize({ inputSize: 227, kernelSize: 11, stride: 4 })).toBe(55);
    expect(convOutputSize({ inputSize: 224, kernelSize: 7, stride: 2, padding: 3, path: 'conv1' })).toBe(112);
  });

  it('floors a stride that does not fit unless exact is asked for', () => {
    expect(convOutputSize(7, 3, { stride: 3 })).toBe(2);
    expect(() => convOutputSize(7, 3, { stride: 3, exact: true, path: 'features.3' })).toThrow(
      'features.3 (Conv): input 7, kernel 3, stride 3, pad 0 -> (7 - 3 + 2*0)/3 + 1 = 2.33 is not a whole number',
    );
    expect(() => convOutputSize({ inputSize: 7, kernelSize: 3, stride: 3, exact: true })).toThrow(ShapeError);
    expect(convOutputSize(7, 3, { stride: 2, exact: true })).toBe(3);
  });

  it('uses dilation and asymmetric padding', () => {
    expect(convOutputSize(10, 3, { dilation: 2 })).toBe(6); // extent 5
    expect(convOutputSize(10, 3, { dilation: 2, padding: 2 })).toBe(10);
    expect(convOutputSize(7, 2, { padding: [0, 1] })).toBe(7);
    expect(convOutputSize(8, 3, { stride: 2, padding: [1, 0] })).toBe(4);
    expect(() => convOutputSize(8, 3, { stride: 2, padding: [0, 2], exact: true, path: 'p' })).toThrow(
      'p (Conv): input 8, kernel 3, stride 2, pad 0+2 -> (8 - 3 + 0 + 2)/2 + 1 = 4.5 is not a whole number',
    );
  });

  it('throws a ShapeError with the formula when the kernel is larger than the padded input', () => {
    expect(() => convOutputSize(3, 5, { path: 'stem' })).toThrow(
      'stem (Conv): input 3, kernel 5, stride 1, pad 0 -> (3 - 5 + 2*0)/1 + 1 = -1: kernel 5 larger than input 3',
    );
    expect(() => convOutputSize(1, 5, { padding: 1 })).toThrow('kernel 5 larger than padded input 3');
    expect(() => convOutputSize(4, 3, { dilation: 2 })).toThrow(/dilated kernel extent 5 larger than input 4/);
    expect(convOutputSize(3, 5, { padding: 1 })).toBe(1);
  });

  it('names the axis when given', () => {
    expect(() => convOutputSize(2, 3, { path: 'l', axis: 'height' })).toThrow(/^l \(Conv\): input height 2,/);
  });

  it('rejects bad arguments with RangeError/TypeError naming them', () => {
    expect(() => convOutputSize(-1, 3)).toThrow(RangeError);
    expect(() => convOutputSize(-1, 3)).toThrow(/inputSize/);
    expect(() => convOutputSize(7.5, 3)).toThrow(/inputSize: expected an integer >= 0, got 7.5/);
    expect(() => convOutputSize(Number.NaN, 3)).toThrow(RangeError);
    expect(() => convOutputSize(7, 0)).toThrow(/kernelSize: expected an integer >= 1, got 0/);
    expect(() => convOutputSize(7, 3, { stride: 0 })).toThrow(/stride: expected an integer >= 1, got 0/);
    expect(() => convOutputSize(7, 3, { stride: 1.5 })).toThrow(RangeError);
    expect(() => convOutputSize(7, 3, { dilation: 0 })).toThrow(/dilation/);
    expect(() => convOutputSize(7, 3, { padding: -1 })).toThrow(/padding: expected an integer >= 0, got -1/);
    expect(() => convOutputSize(7, 3, { padding: [1, -1] })).toThrow(/padding\[1\]/);
    expect(() => convOutputSize(7, 3, { padding: [1, 1, 1] as unknown as [number, number] })).toThrow(RangeError);
    expect(() => convOutputSize('7' as unknown as number, 3)).toThrow(TypeError);
    expect(() => convOutputSize(7, 3, { exact: 'yes' as unknown as boolean })).toThrow(/exact: expected a boolean/);
    expect(() => convOutputSize(7, 3, { path: 3 as unknown as string })).toThrow(/path: expected a string/);
    expect(() => convOutputSize(7, 3, 2 as unknown as object)).toThrow(/options: expected an object/);
    expect(() => (convOutputSize as (...args: unknown[]) => number)({ inputSize: 7, kernelSize: 3 }, 3)).toThrow(
      TypeError,
    );
    expect(() => convOutputSize({ kernelSize: 3 } as never)).toThrow(/inputSize/);
  });

  it('accepts an empty input when padding makes room for the kernel', () => {
    expect(convOutputSize(0, 1, { padding: 1 })).toBe(2);
    expect(() => convOutputSize(0, 1)).toThrow(ShapeError);
  });
});

describe('poolOutputSize', () => {
  it('floors by default and ceils with ceilMode (PyTorch)', () => {
    expect(poolOutputSize(4, 2, { stride: 2 })).toBe(2); // 4x4 map, 2x2 windows, stride 2
    expect(poolOutputSize(112, 3, { stride: 2, padding: 1 })).toBe(56); // ResNet maxpool
    expect(poolOutputSize(112, 3, { stride: 2 })).toBe(55);
    expect(poolOutputSize(112, 3, { stride: 2, ceilMode: true })).toBe(56);
    expect(poolOutputSize(55, 3, { stride: 2, ceilMode: true })).toBe(27); // AlexNet/SqueezeNet
    expect(poolOutputSize(56, 3, { stride: 2, ceilMode: true })).toBe(28);
    expect(poolOutputSize({ inputSize: 56, kernelSize: 3, stride: 2, ceilMode: true })).toBe(28);
  });

  it('drops a last window that would start inside the end padding', () => {
    // 5 + 1 + 1 - 2 = 5, ceil(5/2) + 1 = 4 windows start at 0, 2, 4, 6; 6 is in the end padding (input ends at 6).
    expect(poolOutputSize(5, 2, { stride: 2, padding: 1, ceilMode: true })).toBe(3);
    expect(poolOutputSize(5, 2, { stride: 2, padding: 1 })).toBe(3);
    // 6 + 2 - 3 = 5: ceil gives 4 windows at 0, 2, 4, 6; 6 < 6 + 1 starts in the input: kept.
    expect(poolOutputSize(6, 3, { stride: 2, padding: 1, ceilMode: true })).toBe(4);
    expect(poolOutputSize(6, 3, { stride: 2, padding: 1 })).toBe(3);
  });

  it('lets a ceil-mode window hang over the input end', () => {
    expect(poolOutputSize(2, 3, { stride: 2, ceilMode: true })).toBe(1);
    expect(() => poolOutputSize(2, 3, { stride: 2 })).toThrow(/kernel 3 larger than input 2/);
  });

  it('refuses padding as large as the kernel and inexact strides when asked', () => {
    expect(() => poolOutputSize(8, 2, { padding: 2, path: 'pool1', op: 'MaxPool' })).toThrow(
      'pool1 (MaxPool): begin padding 2 must be smaller than the kernel 2',
    );
    expect(() => poolOutputSize(7, 2, { stride: 2, exact: true })).toThrow(
      'Pool: input 7, kernel 2, stride 2, pad 0 -> (7 - 2 + 2*0)/2 + 1 = 3.5 is not a whole number',
    );
    expect(() => poolOutputSize(7, 3, { ceilMode: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => poolOutputSize(7, 3, { stride: -2 })).toThrow(RangeError);
  });
});

describe('convTransposeOutputSize', () => {
  it('computes (W - 1)*S - 2P + dilation*(F - 1) + outputPadding + 1', () => {
    expect(convTransposeOutputSize(7, 3, { stride: 2, padding: 1, outputPadding: 1 })).toBe(14);
    expect(convTransposeOutputSize(7, 3, { stride: 2, padding: 1 })).toBe(13);
    expect(convTransposeOutputSize(4, 4, { stride: 2, padding: 1 })).toBe(8); // DCGAN upsampling
    expect(convTransposeOutputSize(3, 3, { dilation: 2 })).toBe(7);
    expect(convTransposeOutputSize({ inputSize: 5, kernelSize: 2, stride: 2 })).toBe(10);
    expect(convTransposeOutputSize(5, 3, { padding: [0, 1] })).toBe(6);
  });

  it('checks outputPadding against the stride and dilation', () => {
    expect(() => convTransposeOutputSize(7, 3, { stride: 2, outputPadding: 2, path: 'up1' })).toThrow(
      'up1 (ConvTranspose): input 7, kernel 3, stride 2, pad 0, output_padding 2: output_padding 2 must be smaller ' +
        'than the stride 2 or the dilation 1',
    );
    expect(convTransposeOutputSize(3, 3, { dilation: 2, outputPadding: 1 })).toBe(8);
    expect(() => convTransposeOutputSize(3, 3, { outputPadding: -1 })).toThrow(RangeError);
  });

  it('throws a ShapeError when the padding empties the output', () => {
    expect(() => convTransposeOutputSize(1, 1, { padding: 1 })).toThrow(ShapeError);
    expect(() => convTransposeOutputSize(1, 1, { padding: 1 })).toThrow(/= -1: the output would be empty/);
    expect(() => convTransposeOutputSize(0, 3)).not.toThrow();
    expect(() => convTransposeOutputSize(3, 0)).toThrow(/kernelSize/);
  });
});
