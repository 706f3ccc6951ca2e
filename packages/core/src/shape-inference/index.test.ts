import { describe, expect, it } from 'vitest';
import { ShapeError, UnsupportedOpError } from '../errors.js';
import { OP_TYPES, type OpType } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { tensor, zeros } from '../tensor.js';
import { hasShapeRule, inferNode } from './index.js';

const noConstants = { path: 'n', constantOf: () => undefined };

describe('inferNode', () => {
  it('has a rule for every op of the IR', () => {
    expect(OP_TYPES.filter((op) => !hasShapeRule(op))).toEqual([]);
    expect(hasShapeRule('NonMaxSuppression')).toBe(false);
    expect(hasShapeRule('toString')).toBe(false);
  });

  it('rejects unknown ops and malformed arguments', () => {
    expect(() => inferNode('Foo' as OpType, [], {}, noConstants)).toThrow(UnsupportedOpError);
    expect(() => inferNode('constructor' as OpType, [], {}, noConstants)).toThrow(UnsupportedOpError);
    expect(() => inferNode('Relu', 'x' as never, {}, noConstants)).toThrow(TypeError);
    expect(() => inferNode('Relu', [], null as never, noConstants)).toThrow(TypeError);
    expect(() => inferNode('Relu', [], {}, noConstants)).toThrow(new ShapeError('n (Relu): input 0 (X) is required'));
  });

  it('works without a GraphBuilder', () => {
    const x = { name: 'x', dtype: 'float32' as const, shape: ['N', 3, 32, 32] };
    const w = { name: 'w', dtype: 'float32' as const, shape: [6, 3, 5, 5] };
    expect(inferNode('Conv', [x, w], {}, { path: 'conv1', constantOf: () => undefined })).toEqual([
      { dtype: 'float32', shape: ['N', 6, 28, 28] },
    ]);
  });
});

describe('a small CNN with a symbolic batch', () => {
  it('propagates N from the input to [N, classes]', () => {
    const b = new GraphBuilder('tiny');
    const x = b.input('input', 'float32', ['N', 3, 32, 32]);
    const [c1] = b.op(
      'Conv',
      [x, b.initializer('features.0.weight', zeros([16, 3, 3, 3])), b.initializer('features.0.bias', zeros([16]))],
      { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
      { name: 'features.0' },
    );
    expect(c1!.shape).toEqual(['N', 16, 32, 32]);
    const [r1] = b.op('Relu', [c1!], {}, { name: 'features.1' });
    const [p1] = b.op('MaxPool', [r1!], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'features.2' });
    expect(p1!.shape).toEqual(['N', 16, 16, 16]);
    const [c2] = b.op(
      'Conv',
      [p1!, b.initializer('features.3.weight', zeros([32, 16, 3, 3]))],
      { strides: [2, 2], pads: [1, 1, 1, 1] },
      { name: 'features.3' },
    );
    const [bn] = b.op(
      'BatchNormalization',
      [
        c2!,
        ...['weight', 'bias', 'running_mean', 'running_var'].map((k) => b.initializer(`features.4.${k}`, zeros([32]))),
      ],
      {},
      { name: 'features.4' },
    );
    expect(bn!.shape).toEqual(['N', 32, 8, 8]);
    const [gap] = b.op('GlobalAveragePool', [bn!], {}, { name: 'avgpool' });
    const [flat] = b.op('Flatten', [gap!], { axis: 1 }, { name: 'flatten' });
    expect(flat!.shape).toEqual(['N', 32]);
    const [logits] = b.op(
      'Gemm',
      [flat!, b.initializer('fc.weight', zeros([10, 32])), b.initializer('fc.bias', zeros([10]))],
      { transB: 1 },
      { name: 'fc' },
    );
    const [probs] = b.op('Softmax', [logits!], { axis: -1 }, { name: 'softmax' });
    b.output(probs!, 'probs');
    const g = b.build();
    expect(g.outputs).toEqual([{ name: 'probs', dtype: 'float32', shape: ['N', 10] }]);
    expect(g.values.get('fc')).toEqual({ name: 'fc', dtype: 'float32', shape: ['N', 10] });
  });

  it('reshapes the pooled features with [0, -1] as torchvision exports do', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 512, 7, 7]);
    const [gap] = b.op('GlobalAveragePool', [x], {}, { name: 'avgpool' });
    const [flat] = b.op('Reshape', [gap!, b.initializer('shape', tensor([0, -1], [2], 'int64'))], {}, { name: 'r' });
    expect(flat!.shape).toEqual(['N', 512]);
  });

  it('fails at the layer that is misconfigured, naming it', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', ['N', 3, 32, 32]);
    const [c1] = b.op('Conv', [x, b.initializer('w1', zeros([16, 3, 3, 3]))], {}, { name: 'features.0' });
    expect(() => b.op('Conv', [c1!, b.initializer('w2', zeros([32, 8, 3, 3]))], {}, { name: 'features.3' })).toThrow(
      'features.3 (Conv): input has 16 channels but weight expects 8*1=8 (weight W [32, 8, 3, 3], group 1)',
    );
  });
});
