import { describe, expect, it } from 'vitest';
import { StateDictError } from '../errors.js';
import type { Value } from '../graph-builder.js';
import { Rng } from '../rng.js';
import { full, Tensor, tensor, zeros } from '../tensor.js';
import { ReLU } from './activation.js';
import { ModuleList, Sequential } from './container.js';
import { Conv2d } from './conv.js';
import { add } from './functional.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { BatchNorm2d } from './norm.js';
import { Parameter } from './parameter.js';
import { manualSeed } from './random.js';

/** torchvision.models.resnet.BasicBlock (with a downsample branch). */
class BasicBlock extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  relu = new ReLU();
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1) {
    super();
    this.conv1 = new Conv2d(inplanes, planes, 3, { stride, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = new Conv2d(planes, planes, 3, { padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(planes);
    this.downsample =
      stride !== 1 || inplanes !== planes
        ? new Sequential(new Conv2d(inplanes, planes, 1, { stride, bias: false }), new BatchNorm2d(planes))
        : null;
  }

  override forward(x: Value): Value {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.bn2.forward(this.conv2.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.relu.forward(add(out, identity));
  }
}

const BN_KEYS = (p: string) => [
  `${p}.weight`,
  `${p}.bias`,
  `${p}.running_mean`,
  `${p}.running_var`,
  `${p}.num_batches_tracked`,
];

describe('Module registration and state_dict order', () => {
  it('lists a BasicBlock state_dict exactly as torchvision does', () => {
    const block = new BasicBlock(4, 8, 2);
    expect([...block.stateDict().keys()]).toEqual([
      'conv1.weight',
      ...BN_KEYS('bn1'),
      'conv2.weight',
      ...BN_KEYS('bn2'),
      'downsample.0.weight',
      ...BN_KEYS('downsample.1'),
    ]);
    const nbt = block.stateDict().get('bn1.num_batches_tracked')!;
    expect(nbt.dtype).toBe('int64');
    expect(nbt.shape).toEqual([]);
  });

  it('nests under a ModuleList/Sequential as layer1.0.conv1.weight', () => {
    class Net extends Module {
      layer1 = new Sequential(new BasicBlock(4, 4), new BasicBlock(4, 4));
      heads = new ModuleList([new Linear(4, 2)]);
      override forward(x: Value): Value {
        return this.layer1.forward(x);
      }
    }
    const keys = [...new Net().stateDict().keys()];
    expect(keys[0]).toBe('layer1.0.conv1.weight');
    expect(keys).toContain('layer1.1.bn2.num_batches_tracked');
    expect(keys.slice(-2)).toEqual(['heads.0.weight', 'heads.0.bias']);
    expect([...new Net().namedModules()].map(([p]) => p).slice(0, 4)).toEqual([
      '',
      'layer1',
      'layer1.0',
      'layer1.0.conv1',
    ]);
  });

  it('puts own parameters, then own buffers, then children, in assignment order', () => {
    class M extends Module {
      child: Linear;
      constructor() {
        super();
        this.child = new Linear(2, 2);
        this.registerBuffer('scale', full([2], 3));
        this.registerParameter('alpha', new Parameter(zeros([1])));
        this.registerModule('0', new Linear(2, 1, { bias: false }));
      }
      override forward(x: Value): Value {
        return x;
      }
    }
    const m = new M();
    expect([...m.stateDict().keys()]).toEqual(['alpha', 'scale', 'child.weight', 'child.bias', '0.weight']);
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual(['scale']);
    expect([...m.namedChildren()].map(([k]) => k)).toEqual(['child', '0']);
    expect(m.getSubmodule('0')).toBeInstanceOf(Linear);
    expect(() => m.getSubmodule('child.nope')).toThrow(/no submodule "nope"/);
  });

  it('keeps persistent:false buffers out of the state dict, and null slots out of everything', () => {
    class M extends Module {
      w = new Parameter(zeros([2]));
      gone: Parameter | null = new Parameter(zeros([3]));
      constructor() {
        super();
        this.registerBuffer('cache', zeros([4]), { persistent: false });
      }
      override forward(x: Value): Value {
        return x;
      }
    }
    const m = new M();
    m.gone = null;
    expect([...m.stateDict().keys()]).toEqual(['w']);
    expect([...m.namedBuffers()].map(([k]) => k)).toEqual(['cache']);
    expect(m.numParameters()).toBe(2);
  });

  it('counts shared parameters once and excludes buffers', () => {
    const shared = new Linear(3, 3);
    const seq = new Sequential(shared, new ReLU(), shared);
    expect(seq.numParameters()).toBe(12);
    expect([...seq.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(new BatchNorm2d(64).numParameters()).toBe(128);
  });

  it('counts known layers as torchvision', () => {
    expect(new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }).numParameters()).toBe(9408);
    expect(new Linear(512, 1000).numParameters()).toBe(513000);
    expect(new BatchNorm2d(64).numParameters()).toBe(128);
    expect(new Conv2d(32, 32, 3, { groups: 32 }).numParameters()).toBe(32 * 9 + 32);
  });

  it('counts only trainable parameters when asked', () => {
    const block = new BasicBlock(4, 4);
    const total = block.numParameters();
    block.conv1.weight.requiresGrad = false;
    expect(block.numParameters({ trainable: true })).toBe(total - 4 * 4 * 9);
  });

  it('sets training mode recursively', () => {
    const block = new BasicBlock(4, 4);
    expect(block.training).toBe(true);
    expect(block.eval()).toBe(block);
    expect([...block.modules()].every((m) => !m.training)).toBe(true);
    block.train();
    expect(block.bn2.training).toBe(true);
    expect(() => block.train('yes' as unknown as boolean)).toThrow(TypeError);
  });

  it('rejects bad registrations', () => {
    const m = new Linear(2, 2);
    expect(() => m.registerModule('a.b', new ReLU())).toThrow(TypeError);
    expect(() => m.registerModule('', new ReLU())).toThrow(TypeError);
    expect(() => m.registerModule('x', {} as Module)).toThrow(TypeError);
    expect(() => m.registerBuffer('weight', zeros([1]))).toThrow(/already/);
    expect(() => m.registerBuffer('buf', [1, 2] as unknown as Tensor)).toThrow(TypeError);
    expect(() => m.registerParameter('p', zeros([1]) as unknown as Parameter)).toThrow(TypeError);
    expect(() => new Parameter([1] as unknown as Tensor)).toThrow(TypeError);
  });

  it('is reproducible with a seed, an Rng or manualSeed', () => {
    const a = new Conv2d(3, 4, 3, { seed: 5 }).weight.data.toArray();
    expect(new Conv2d(3, 4, 3, { seed: 5 }).weight.data.toArray()).toEqual(a);
    expect(new Conv2d(3, 4, 3, { rng: new Rng(5) }).weight.data.toArray()).toEqual(a);
    manualSeed(11);
    const b = new Linear(8, 4).weight.data.toArray();
    manualSeed(11);
    expect(new Linear(8, 4).weight.data.toArray()).toEqual(b);
    // PyTorch's default init: weight and bias within +-1/sqrt(fanIn).
    const conv = new Conv2d(3, 4, 3, { seed: 1 });
    const bound = 1 / Math.sqrt(27);
    for (const v of [...conv.weight.data.toArray(), ...conv.bias!.data.toArray()])
      expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(() => new Conv2d(3, 4, 3, { rng: {} as Rng })).toThrow(TypeError);
  });
});

describe('loadStateDict', () => {
  it('round-trips stateDict -> loadStateDict (Map and plain object)', () => {
    const a = new BasicBlock(4, 8, 2);
    const b = new BasicBlock(4, 8, 2);
    (a.bn1.getBuffer('running_mean')!.data as Float32Array).fill(0.5);
    expect(b.loadStateDict(a.stateDict())).toEqual({ missing: [], unexpected: [] });
    for (const [k, t] of a.stateDict()) expect(b.stateDict().get(k)!.toArray()).toEqual(t.toArray());
    const c = new BasicBlock(4, 8, 2);
    c.loadStateDict(Object.fromEntries(a.stateDict()));
    expect(c.conv1.weight.data.toArray()).toEqual(a.conv1.weight.data.toArray());
    // Loading copies: changing the source afterwards does not change the model.
    const src = a.stateDict().get('conv1.weight')!;
    (src.data as Float32Array)[0] = 42;
    expect(c.conv1.weight.data.data[0]).not.toBe(42);
  });

  it('reports every missing, unexpected and mismatched key in one StateDictError', () => {
    const block = new BasicBlock(4, 8, 2);
    const dict = block.stateDict();
    dict.delete('conv1.weight');
    dict.delete('bn2.running_var');
    dict.set('fc.weight', zeros([2, 2]));
    dict.set('extra', zeros([1]));
    dict.set('conv2.weight', zeros([8, 8, 1, 1]));
    dict.set('bn1.bias', zeros([7]));
    let error: unknown;
    try {
      block.loadStateDict(dict);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const e = error as StateDictError;
    expect(e.code).toBe('ERR_STATE_DICT');
    expect(e.missing).toEqual(['conv1.weight', 'bn2.running_var']);
    expect(e.unexpected).toEqual(['fc.weight', 'extra']);
    expect(e.mismatched).toEqual([
      { key: 'bn1.bias', expected: [8], actual: [7] },
      { key: 'conv2.weight', expected: [8, 8, 3, 3], actual: [8, 8, 1, 1] },
    ]);
    expect(e.message).toContain('2 missing key(s): conv1.weight, bn2.running_var');
    expect(e.message).toContain('conv2.weight (expected [8, 8, 3, 3], got [8, 8, 1, 1])');
  });

  it('changes nothing when it throws', () => {
    const m = new Linear(2, 2);
    const before = m.weight.data.toArray();
    expect(() => m.loadStateDict({ weight: full([2, 2], 1), bias: zeros([3]) })).toThrow(StateDictError);
    expect(m.weight.data.toArray()).toEqual(before);
  });

  it('with strict false ignores missing and unexpected keys but still rejects shape mismatches', () => {
    const m = new Linear(2, 3);
    const result = m.loadStateDict({ weight: full([3, 2], 2), other: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missing: ['bias'], unexpected: ['other'] });
    expect(m.weight.data.toArray()).toEqual([2, 2, 2, 2, 2, 2]);
    expect(() => m.loadStateDict({ weight: zeros([2, 3]) }, { strict: false })).toThrow(
      /1 shape mismatch\(es\): weight \(expected \[3, 2\], got \[2, 3\]\)/,
    );
  });

  it('converts float16 and int tensors to the slot dtype', () => {
    const bn = new BatchNorm2d(2);
    bn.loadStateDict({
      weight: tensor([1.5, -2], [2], 'float16'),
      bias: tensor([0.25, 0], [2], 'float16'),
      running_mean: tensor([1, 2], [2], 'float16'),
      running_var: tensor([3, 4]),
      num_batches_tracked: new Tensor('int64', [], BigInt64Array.of(123n)),
    });
    expect(bn.weight!.data.dtype).toBe('float32');
    expect(bn.weight!.data.toArray()).toEqual([1.5, -2]);
    expect(bn.runningMean!.dtype).toBe('float32');
    expect(bn.runningMean!.toArray()).toEqual([1, 2]);
    const nbt = bn.getBuffer('num_batches_tracked')!;
    expect(nbt.dtype).toBe('int64');
    expect(nbt.data[0]).toBe(123n);
  });

  it('rejects malformed arguments', () => {
    const m = new Linear(2, 2);
    expect(() => m.loadStateDict(null as unknown as Map<string, Tensor>)).toThrow(TypeError);
    expect(() => m.loadStateDict([] as unknown as Map<string, Tensor>)).toThrow(TypeError);
    expect(() => m.loadStateDict({ weight: [1, 2] as unknown as Tensor })).toThrow(
      /dict\["weight"\]: expected a Tensor/,
    );
    expect(() => m.loadStateDict(m.stateDict(), { strict: 'no' as unknown as boolean })).toThrow(TypeError);
  });
});
