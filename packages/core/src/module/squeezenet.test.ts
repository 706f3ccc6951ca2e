/**
 * Integration test with real weights: torchvision's SqueezeNet 1.1 built from the Module API, the fp16 state_dict
 * of ../shared/golden/weights loaded into it, traced, and run on the reference backend; the logits are compared
 * with the ones torchvision computed from the same weights (eval mode, float32).
 */
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readGoldenBytes } from '../../../../test-utils/fixtures.js';
import { referenceBackend } from '../reference/backend.js';
import { readSafetensors } from '../safetensors-read.js';
import { SqueezeNet11 } from '../testing/squeezenet.js';

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
