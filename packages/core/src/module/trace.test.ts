import { describe, expect, it } from 'vitest';
import { ShapeError, UnsupportedOpError } from '../errors.js';
import { GraphBuilder, type Value } from '../graph-builder.js';
import { ReLU, Tanh } from './activation.js';
import { Sequential } from './container.js';
import { Conv2d } from './conv.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { add, concat, relu, split } from './functional.js';
import { Identity, Linear } from './linear.js';
import { Module } from './module.js';
import { BatchNorm2d } from './norm.js';
import { AvgPool2d, MaxPool2d } from './pool.js';

/** LeNet-5 as the lectures draw it (tanh, average pooling), 1x32x32 -> 10. */
class LeNet extends Module {
  features = new Sequential(
    new Conv2d(1, 6, 5),
    new Tanh(),
    new AvgPool2d(2),
    new Conv2d(6, 16, 5),
    new Tanh(),
    new AvgPool2d(2),
  );
  flatten = new Flatten();
  classifier = new Sequential(
    new Linear(400, 120),
    new Tanh(),
    new Dropout(0.5),
    new Linear(120, 84),
    new Tanh(),
    new Linear(84, 10),
  );

  override forward(x: Value): Value {
    return this.classifier.forward(this.flatten.forward(this.features.forward(x)));
  }
}

describe('toGraph', () => {
  it('traces LeNet with a symbolic batch', () => {
    const graph = new LeNet().toGraph({ inputs: { input: ['N', 1, 32, 32] } });
    expect(graph.name).toBe('LeNet');
    expect(graph.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['N', 1, 32, 32] }]);
    expect(graph.outputs).toEqual([{ name: 'output', dtype: 'float32', shape: ['N', 10] }]);
    expect(graph.nodes.map((n) => n.op)).toEqual([
      'Conv',
      'Tanh',
      'AveragePool',
      'Conv',
      'Tanh',
      'AveragePool',
      'Flatten',
      'Gemm',
      'Tanh',
      'Gemm',
      'Tanh',
      'Gemm',
    ]);
    expect(graph.nodes.map((n) => n.name)).toEqual([
      'features.0',
      'features.1',
      'features.2',
      'features.3',
      'features.4',
      'features.5',
      'flatten',
      'classifier.0',
      'classifier.1',
      'classifier.3',
      'classifier.4',
      'classifier.5',
    ]);
    expect([...graph.initializers.keys()]).toEqual([
      'features.0.weight',
      'features.0.bias',
      'features.3.weight',
      'features.3.bias',
      'classifier.0.weight',
      'classifier.0.bias',
      'classifier.3.weight',
      'classifier.3.bias',
      'classifier.5.weight',
      'classifier.5.bias',
    ]);
    expect(graph.values.get('features.5')!.shape).toEqual(['N', 16, 5, 5]);
    expect(graph.values.get('flatten')!.shape).toEqual(['N', 400]);
    // The last node's value is renamed to the output name, no Identity added.
    expect(graph.nodes.at(-1)!.outputs).toEqual(['output']);
    expect(graph.nodes.find((n) => n.op === 'Conv')!.attrs).toEqual({
      kernel_shape: [5, 5],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
      dilations: [1, 1],
      group: 1,
    });
  });

  it('accepts a numeric batch, names outputs from records and lists, and keeps input order', () => {
    class TwoHeads extends Module {
      a = new Linear(4, 2);
      b = new Linear(4, 3);
      override forward(x: Value, y: Value): Record<string, Value> {
        return { logits: this.a.forward(x), boxes: this.b.forward(y) };
      }
    }
    const g = new TwoHeads().toGraph({ inputs: { x: [2, 4], y: { shape: ['B', 4] } } });
    expect(g.inputs.map((i) => i.name)).toEqual(['x', 'y']);
    expect(g.outputs).toEqual([
      { name: 'logits', dtype: 'float32', shape: [2, 2] },
      { name: 'boxes', dtype: 'float32', shape: ['B', 3] },
    ]);
    class Halves extends Module {
      override forward(x: Value): Value[] {
        return split(x, 2, 1);
      }
    }
    const h = new Halves().toGraph({ inputs: { input: ['N', 6] } });
    expect(h.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['output0', ['N', 3]],
      ['output1', ['N', 3]],
    ]);
    const renamed = new Halves().toGraph({ inputs: { input: ['N', 6] }, outputs: ['left', 'right'], name: 'halves' });
    expect(renamed.outputs.map((o) => o.name)).toEqual(['left', 'right']);
    expect(renamed.name).toBe('halves');
  });

  it('adds an Identity when an output is an input or is returned twice', () => {
    const g = new Identity().toGraph({ inputs: { input: [1, 3] } });
    expect(g.nodes.map((n) => n.op)).toEqual(['Identity']);
    expect(g.outputs[0]!.name).toBe('output');
    class Twice extends Module {
      r = new ReLU();
      override forward(x: Value): Value[] {
        const y = this.r.forward(x);
        return [y, y];
      }
    }
    const t = new Twice().toGraph({ inputs: { input: [1, 3] } });
    expect(t.outputs.map((o) => o.name)).toEqual(['output0', 'output1']);
    expect(t.nodes.map((n) => n.op)).toEqual(['Relu', 'Identity']);
    expect(t.nodes[1]!.inputs).toEqual(['output0']);
  });

  it('names functional ops by the running module path', () => {
    class Block extends Module {
      conv = new Conv2d(4, 4, 3, { padding: 1 });
      override forward(x: Value): Value {
        return relu(add(this.conv.forward(x), x));
      }
    }
    class Net extends Module {
      layer1 = new Sequential(new Block(), new Block());
      override forward(x: Value): Value {
        const y = this.layer1.forward(x);
        return concat([y, x], 1);
      }
    }
    const g = new Net().toGraph({ inputs: { input: ['N', 4, 8, 8] } });
    expect(g.nodes.map((n) => n.name)).toEqual([
      'layer1.0.conv',
      'layer1.0.add',
      'layer1.0.relu',
      'layer1.1.conv',
      'layer1.1.add',
      'layer1.1.relu',
      'concat',
    ]);
    expect(g.outputs[0]!.shape).toEqual(['N', 8, 8, 8]);
    // Tracing leaves no patched forward behind, even when forward throws.
    const net = new Net();
    net.toGraph({ inputs: { input: [1, 4, 8, 8] } });
    expect(Object.getOwnPropertyNames(net)).not.toContain('forward');
    expect(Object.getOwnPropertyNames(net.layer1.at(0))).not.toContain('forward');
    expect(() => net.toGraph({ inputs: { input: [1, 3, 8, 8] } })).toThrow(ShapeError);
    expect(Object.getOwnPropertyNames(net.layer1.at(1))).not.toContain('forward');
  });

  it('uses eval semantics by default and training semantics only with mode preserve', () => {
    class Net extends Module {
      bn = new BatchNorm2d(3);
      drop = new Dropout(0.2);
      override forward(x: Value): Value {
        return this.drop.forward(this.bn.forward(x));
      }
    }
    const net = new Net();
    expect(net.training).toBe(true);
    const g = net.toGraph({ inputs: { input: ['N', 3, 4, 4] } });
    expect(g.nodes.map((n) => n.op)).toEqual(['BatchNormalization']);
    expect(g.nodes[0]!.inputs).toEqual(['input', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']);
    expect(g.nodes[0]!.attrs).toEqual({ epsilon: 1e-5 });
    expect(() => net.toGraph({ inputs: { input: ['N', 3, 4, 4] }, mode: 'preserve' })).toThrow(UnsupportedOpError);
    net.bn.eval();
    const t = net.toGraph({ inputs: { input: ['N', 3, 4, 4] }, mode: 'preserve' });
    expect(t.nodes.map((n) => n.op)).toEqual(['BatchNormalization', 'Dropout']);
    expect(t.initializers.get('drop.ratio')!.toArray()[0]).toBeCloseTo(0.2);
  });

  it('reports the module path of a shape error', () => {
    const features = new Sequential(new Conv2d(3, 8, 3), new ReLU(), new MaxPool2d(2), new Conv2d(8, 8, 5));
    class Net extends Module {
      features = features;
      override forward(x: Value): Value {
        return this.features.forward(x);
      }
    }
    expect(() => new Net().toGraph({ inputs: { input: ['N', 3, 8, 8] } })).toThrow(ShapeError);
    expect(() => new Net().toGraph({ inputs: { input: ['N', 3, 8, 8] } })).toThrow(/features\.3/);
    expect(() => new Net().toGraph({ inputs: { input: ['N', 4, 8, 8] } })).toThrow(
      /features\.0 \(Conv2d\): expected 3 input channels, got 4/,
    );
  });

  it('works with a bare GraphBuilder, naming modules by class', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', 'float32', [1, 2]);
    const lin = new Linear(2, 3);
    const y = lin.forward(x);
    b.output(y);
    const g = b.build();
    expect(g.nodes[0]!.name).toBe('linear');
    expect([...g.initializers.keys()]).toEqual(['linear.weight', 'linear.bias']);
  });

  it('rejects bad options and bad forward results', () => {
    const m = new ReLU();
    expect(() => m.toGraph(undefined as never)).toThrow(TypeError);
    expect(() => m.toGraph({ inputs: {} })).toThrow(RangeError);
    expect(() => m.toGraph({ inputs: [] as never })).toThrow(TypeError);
    expect(() => m.toGraph({ inputs: { input: 'N' as never } })).toThrow(TypeError);
    expect(() => m.toGraph({ inputs: { input: [-1, 3] } })).toThrow(/inputs.input\[0\]/);
    expect(() => m.toGraph({ inputs: { input: [1, 3] }, mode: 'train' as never })).toThrow(RangeError);
    expect(() => m.toGraph({ inputs: { input: [1, 3] }, outputs: ['a', 'b'] })).toThrow(/expected 1 names/);
    class Bad extends Module {
      override forward(): Value {
        return 3 as unknown as Value;
      }
    }
    expect(() => new Bad().toGraph({ inputs: { input: [1] } })).toThrow(TypeError);
    class Empty extends Module {
      override forward(): Value[] {
        return [];
      }
    }
    expect(() => new Empty().toGraph({ inputs: { input: [1] } })).toThrow(/no values/);
  });
});
