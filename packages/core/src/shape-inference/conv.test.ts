import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs, Dim } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { zeros } from '../tensor.js';

function convGraph(
  xShape: Dim[],
  wShape: number[],
  attrs: Record<string, number | number[] | string> = {},
  bias?: number[],
) {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', xShape);
  const w = b.initializer('w', zeros(wShape));
  const inputs = [x, w];
  if (bias) inputs.push(b.initializer('b', zeros(bias)));
  return b.op('Conv', inputs, attrs, { name: 'layer1.0.conv1' })[0]!;
}

describe('Conv shape inference', () => {
  it('computes NCHW outputs and keeps a symbolic batch', () => {
    expect(convGraph(['N', 3, 224, 224], [64, 3, 7, 7], { strides: [2, 2], pads: [3, 3, 3, 3] }).shape).toEqual([
      'N',
      64,
      112,
      112,
    ]);
    expect(convGraph([1, 3, 227, 227], [96, 3, 11, 11], { strides: [4, 4] }, [96]).shape).toEqual([1, 96, 55, 55]);
    expect(convGraph([2, 3, 32, 32], [6, 3, 5, 5], { kernel_shape: [5, 5] }).shape).toEqual([2, 6, 28, 28]);
  });

  it('handles groups, dilation, asymmetric pads and floor (not exact) strides', () => {
    expect(convGraph([1, 32, 56, 56], [32, 1, 3, 3], { group: 32, pads: [1, 1, 1, 1] }).shape).toEqual([1, 32, 56, 56]);
    expect(convGraph([1, 8, 20, 20], [8, 8, 3, 3], { dilations: [2, 2] }).shape).toEqual([1, 8, 16, 16]);
    expect(convGraph([1, 8, 7, 8], [8, 8, 2, 2], { pads: [0, 0, 1, 0] }).shape).toEqual([1, 8, 7, 7]);
    expect(convGraph([1, 3, 7, 7], [4, 3, 3, 3], { strides: [3, 3] }).shape).toEqual([1, 4, 2, 2]);
  });

  it('supports rank 3 and 5 inputs and auto_pad', () => {
    expect(convGraph([1, 4, 100], [8, 4, 5], { strides: [2] }).shape).toEqual([1, 8, 48]);
    expect(convGraph([1, 2, 8, 16, 16], [4, 2, 3, 3, 3], { pads: [1, 1, 1, 1, 1, 1] }).shape).toEqual([
      1, 4, 8, 16, 16,
    ]);
    expect(convGraph([1, 3, 15, 15], [4, 3, 3, 3], { auto_pad: 'SAME_UPPER', strides: [2, 2] }).shape).toEqual([
      1, 4, 8, 8,
    ]);
    expect(convGraph([1, 3, 15, 15], [4, 3, 3, 3], { auto_pad: 'VALID' }).shape).toEqual([1, 4, 13, 13]);
    expect(convGraph([1, 3, 'H', 'W'], [4, 3, 3, 3], { auto_pad: 'SAME_LOWER' }).shape).toEqual([1, 4, 'H', 'W']);
  });

  it('keeps symbolic spatial dims only where the size is kept', () => {
    expect(convGraph(['N', 3, 'H', 'W'], [4, 3, 3, 3], { pads: [1, 1, 1, 1] }).shape).toEqual(['N', 4, 'H', 'W']);
    expect(() => convGraph(['N', 3, 'H', 'W'], [4, 3, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] })).toThrow(
      /layer1\.0\.conv1 \(Conv\): input height is symbolic \(H\); its output size needs a number/,
    );
  });

  it('names the path, op, expected and actual channel counts', () => {
    expect(() => convGraph([1, 64, 56, 56], [64, 32, 3, 3])).toThrow(
      'layer1.0.conv1 (Conv): input has 64 channels but weight expects 32*1=32 (weight W [64, 32, 3, 3], group 1)',
    );
    expect(() => convGraph([1, 30, 8, 8], [8, 7, 3, 3], { group: 4 })).toThrow(
      'layer1.0.conv1 (Conv): input has 30 channels, which group 4 does not divide',
    );
    expect(() => convGraph([1, 32, 8, 8], [6, 8, 3, 3], { group: 4 })).toThrow(/6 output channels, which group 4/);
    expect(() => convGraph([1, 32, 8, 8], [8, 8, 3, 3], { group: 2 })).toThrow(/expects 8\*2=16/);
  });

  it('checks the bias length, kernel_shape and the attribute lengths', () => {
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], {}, [8])).toThrow(
      'layer1.0.conv1 (Conv): bias B has shape [8] but weight W [16, 3, 3, 3] has 16 output channels; expected [16]',
    );
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { kernel_shape: [5, 5] })).toThrow(
      'layer1.0.conv1 (Conv): attribute kernel_shape [5, 5] disagrees with weight W [16, 3, 3, 3] (kernel 3x3)',
    );
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { strides: [2] })).toThrow(
      /attribute strides \[2\] has 1 values, expected 2 for 2 spatial dims/,
    );
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { pads: [1, 1] })).toThrow(/attribute pads/);
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { strides: [0, 1] })).toThrow(RangeError);
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { pads: [-1, 0, 0, 0] })).toThrow(RangeError);
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { group: 0 })).toThrow(/attribute group/);
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { auto_pad: 'SAME' })).toThrow(/attribute auto_pad/);
    expect(() => convGraph([1, 3, 8, 8], [16, 3, 3, 3], { auto_pad: 'VALID', pads: [1, 1, 1, 1] })).toThrow(
      /pads cannot be combined with auto_pad/,
    );
  });

  it('fails with the formula when the kernel is larger than the input', () => {
    expect(() => convGraph([1, 3, 4, 8], [16, 3, 5, 5])).toThrow(ShapeError);
    expect(() => convGraph([1, 3, 4, 8], [16, 3, 5, 5])).toThrow(
      'layer1.0.conv1 (Conv): input height 4, kernel 5, stride 1, pad 0 -> (4 - 5 + 2*0)/1 + 1 = 0: kernel 5 ' +
        'larger than input 4',
    );
  });

  it('checks ranks and dtypes', () => {
    expect(() => convGraph([3, 8, 8], [16, 3, 3, 3])).toThrow(/weight W \[16, 3, 3, 3\] has rank 4 but input X/);
    expect(() => convGraph([8, 8], [16, 3])).toThrow(/input X must have rank 3 or 4 or 5, got shape \[8, 8\]/);
    expect(() => convGraph([1, 'C', 8, 8], [16, 3, 3, 3])).toThrow(/symbolic channel count/);
    const b = new GraphBuilder();
    const x = b.input('x', 'int32', [1, 3, 8, 8]);
    const w = b.initializer('w', zeros([4, 3, 3, 3]));
    expect(() => b.op('Conv', [x, w], {}, { name: 'c' })).toThrow(DTypeError);
    const x2 = b.input('x2', 'float32', [1, 3, 8, 8]);
    const w16 = b.initializer('w16', zeros([4, 3, 3, 3], 'float16'));
    expect(() => b.op('Conv', [x2, w16], {}, { name: 'c' })).toThrow(
      'c_1 (Conv): weight W is float16 but input X is float32; they must match',
    );
    expect(() => b.op('Conv', [x2], {}, { name: 'c' })).toThrow(/input 1 \(W\) is required/);
    expect(() => b.op('Conv', [x2, w, w, w], {}, { name: 'c' })).toThrow(/expected at most 3 inputs/);
  });
});

function convTGraph(xShape: Dim[], wShape: number[], attrs: Attrs = {}, bias?: number[]) {
  const b = new GraphBuilder();
  const inputs = [b.input('x', 'float32', xShape), b.initializer('w', zeros(wShape))];
  if (bias) inputs.push(b.initializer('b', zeros(bias)));
  return b.op('ConvTranspose', inputs, attrs, { name: 'decoder.up1' })[0]!;
}

describe('ConvTranspose shape inference', () => {
  it('computes (W - 1)*S - pads + dilation*(F - 1) + output_padding + 1', () => {
    expect(convTGraph(['N', 64, 7, 7], [64, 32, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1] }).shape).toEqual([
      'N',
      32,
      13,
      13,
    ]);
    expect(
      convTGraph([1, 64, 7, 7], [64, 32, 3, 3], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }).shape,
    ).toEqual([1, 32, 14, 14]);
    expect(convTGraph([1, 16, 4, 4], [16, 8, 4, 4], { strides: [2, 2], pads: [1, 1, 1, 1] }, [8]).shape).toEqual([
      1, 8, 8, 8,
    ]);
  });

  it('uses group for the output channels, output_shape and auto_pad', () => {
    expect(convTGraph([1, 8, 5, 5], [8, 2, 3, 3], { group: 4 }, [8]).shape).toEqual([1, 8, 7, 7]);
    expect(convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { strides: [2, 2], output_shape: [10, 10] }).shape).toEqual([
      1, 4, 10, 10,
    ]);
    expect(convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { strides: [2, 2], output_shape: [1, 4, 11, 11] }).shape).toEqual([
      1, 4, 11, 11,
    ]);
    expect(convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { strides: [2, 2], auto_pad: 'SAME_UPPER' }).shape).toEqual([
      1, 4, 10, 10,
    ]);
    expect(convTGraph([1, 8, 'H', 'W'], [8, 4, 3, 3], { pads: [1, 1, 1, 1] }).shape).toEqual([1, 4, 'H', 'W']);
  });

  it('reports bad configurations', () => {
    expect(() => convTGraph([1, 64, 7, 7], [64, 32, 3, 3], { strides: [2, 2], output_padding: [2, 2] })).toThrow(
      'decoder.up1 (ConvTranspose): attribute output_padding [2, 2]: height output_padding 2 must be smaller than ' +
        'the stride 2 or the dilation 1',
    );
    expect(() => convTGraph([1, 32, 7, 7], [64, 32, 3, 3])).toThrow(
      /input has 32 channels but weight W \[64, 32, 3, 3\] expects 64/,
    );
    expect(() => convTGraph([1, 8, 5, 5], [8, 2, 3, 3], { group: 4 }, [2])).toThrow(/has 8 output channels/);
    expect(() => convTGraph([1, 8, 1, 1], [8, 4, 1, 1], { pads: [1, 1, 1, 1] })).toThrow(/the output would be empty/);
    expect(() => convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { output_shape: [20, 20] })).toThrow(
      /output_shape asks for height 20, but input height 5 with kernel 3 and stride 1 gives at most 7/,
    );
    expect(() => convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { output_shape: [7] })).toThrow(/2 spatial sizes/);
    expect(() => convTGraph([1, 8, 5, 5], [8, 4, 3, 3], { output_padding: [0] })).toThrow(/must have 2 values/);
    expect(() => convTGraph([1, 8, 'H', 5], [8, 4, 3, 3], { strides: [2, 2] })).toThrow(/symbolic \(H\)/);
  });
});
