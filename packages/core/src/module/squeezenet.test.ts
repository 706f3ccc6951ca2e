/**
 * Integration test with real weights: torchvision's SqueezeNet 1.1 built from the Module API, the fp16 state_dict
 * of ../shared/golden/weights loaded into it, traced, and run on the reference backend; the logits are compared
 * with the ones torchvision computed from the same weights (eval mode, float32).
 */
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readGoldenBytes } from '../../../../test-utils/fixtures.js';
import type { Value } from '../graph-builder.js';
import { referenceBackend } from '../reference/backend.js';
import { readSafetensors } from '../safetensors-read.js';
import { ReLU } from './activation.js';
import { Sequential } from './container.js';
import { Conv2d } from './conv.js';
import { Dropout } from './dropout.js';
import { concat, flatten } from './functional.js';
import { Module } from './module.js';
import { AdaptiveAvgPool2d, MaxPool2d } from './pool.js';

/** torchvision.models.squeezenet.Fire. */
class Fire extends Module {
  squeeze: Conv2d;
  squeezeActivation = new ReLU();
  expand1x1: Conv2d;
  expand1x1Activation = new ReLU();
  expand3x3: Conv2d;
  expand3x3Activation = new ReLU();

  constructor(inplanes: number, squeezePlanes: number, expand1x1Planes: number, expand3x3Planes: number) {
    super();
    this.squeeze = new Conv2d(inplanes, squeezePlanes, 1);
    this.expand1x1 = new Conv2d(squeezePlanes, expand1x1Planes, 1);
    this.expand3x3 = new Conv2d(squeezePlanes, expand3x3Planes, 3, { padding: 1 });
  }

  override forward(x: Value): Value {
    const s = this.squeezeActivation.forward(this.squeeze.forward(x));
    const a = this.expand1x1Activation.forward(this.expand1x1.forward(s));
    const b = this.expand3x3Activation.forward(this.expand3x3.forward(s));
    return concat([a, b], 1);
  }
}

/** torchvision.models.squeezenet1_1 (num_classes 1000). */
class SqueezeNet11 extends Module {
  features = new Sequential(
    new Conv2d(3, 64, 3, { stride: 2 }),
    new ReLU(),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(64, 16, 64, 64),
    new Fire(128, 16, 64, 64),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(128, 32, 128, 128),
    new Fire(256, 32, 128, 128),
    new MaxPool2d(3, { stride: 2, ceilMode: true }),
    new Fire(256, 48, 192, 192),
    new Fire(384, 48, 192, 192),
    new Fire(384, 64, 256, 256),
    new Fire(512, 64, 256, 256),
  );
  classifier = new Sequential(new Dropout(0.5), new Conv2d(512, 1000, 1), new ReLU(), new AdaptiveAvgPool2d(1));

  override forward(x: Value): Value {
    return flatten(this.classifier.forward(this.features.forward(x)), 1);
  }
}

describe('SqueezeNet 1.1 with torchvision weights', () => {
  it('has torchvision parameter count and state_dict keys', () => {
    const model = new SqueezeNet11();
    expect(model.numParameters()).toBe(1_235_496);
    const file = readSafetensors(readGoldenBytes('weights/squeezenet1_1.fp16.safetensors'));
    expect([...model.stateDict().keys()].sort()).toEqual([...file.tensors.keys()].sort());
    expect([...model.stateDict().keys()].slice(0, 4)).toEqual([
      'features.0.weight',
      'features.0.bias',
      'features.3.squeeze.weight',
      'features.3.squeeze.bias',
    ]);
  });

  it('reproduces torchvision logits from the fp16 weights on the reference backend', async () => {
    const model = new SqueezeNet11();
    const weights = readSafetensors(readGoldenBytes('weights/squeezenet1_1.fp16.safetensors'));
    const result = model.loadStateDict(weights.tensors);
    expect(result).toEqual({ missing: [], unexpected: [] });
    expect(model.features.at(0).stateDict().get('weight')!.dtype).toBe('float32');

    const graph = model.eval().toGraph({ inputs: { input: ['N', 3, 224, 224] } });
    expect(graph.outputs).toEqual([{ name: 'output', dtype: 'float32', shape: ['N', 1000] }]);
    expect(graph.nodes.filter((n) => n.op === 'Dropout')).toHaveLength(0);
    expect(graph.initializers.size).toBe(52);

    const io = readSafetensors(readGoldenBytes('weights/squeezenet1_1.io.safetensors'));
    const input = io.tensors.get('input')!;
    const expected = io.tensors.get('logits')!;
    const compiled = await referenceBackend.compile(graph);
    try {
      const { output } = await compiled.run({ input });
      expect(output!.shape).toEqual([2, 1000]);
      const diff = maxAbsDiff(output!.data as Float32Array, expected.data as Float32Array);
      const scale = Math.max(...expected.toArray().map(Math.abs));
      // Measured: max abs diff 6e-8 with max |logit| 0.69 (float32 both sides; only summation order differs).
      expect(diff).toBeLessThan(1e-5 * Math.max(1, scale));
      const argmax = (row: number) => {
        const r = [...output!.data.subarray(row * 1000, row * 1000 + 1000)] as number[];
        return r.indexOf(Math.max(...r));
      };
      const argmaxRef = (row: number) => {
        const r = expected.toArray().slice(row * 1000, row * 1000 + 1000);
        return r.indexOf(Math.max(...r));
      };
      expect([argmax(0), argmax(1)]).toEqual([argmaxRef(0), argmaxRef(1)]);
      console.log(`squeezenet1_1: max abs diff ${diff.toExponential(3)}, max |logit| ${scale.toFixed(3)}`);
    } finally {
      compiled.dispose();
    }
  });
});
