/**
 * torchvision weights load directly: the fp16 state_dicts of ../shared/golden/weights (torchvision's keys) go into
 * the models built here, and the traced graph run on core's reference backend and on ONNX Runtime (CPU) reproduces
 * the logits torchvision computed from the same weights and input (float32, eval mode) within 1e-3.
 */
import { ortNode } from '@striate/backend-ort';
import { type Backend, readSafetensors, referenceBackend, StateDictError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, readGoldenBytes } from '../../../test-utils/fixtures.js';
import { createModel } from './registry.js';
import { loadWeights } from './transfer.js';

for (const name of ['squeezenet1_1', 'mobilenet_v3_small']) {
  describe(`${name} with torchvision weights`, () => {
    it('has exactly the state_dict keys and shapes of the torchvision file', () => {
      const model = createModel(name, { skipInit: true });
      const file = readSafetensors(readGoldenBytes(`weights/${name}.fp16.safetensors`));
      const ours = model.stateDict();
      // The fp16 export has no int64 num_batches_tracked counters (PyTorch loads such files too).
      const keys = [...ours.keys()].filter((k) => !k.endsWith('num_batches_tracked'));
      expect(keys.sort()).toEqual([...file.tensors.keys()].sort());
      for (const [k, t] of file.tensors) expect(ours.get(k)!.shape, k).toEqual(t.shape);
    });

    const backends: [string, Backend, string][] = [
      ['the reference backend', referenceBackend, 'cpu'],
      ['ONNX Runtime (node, cpu)', ortNode, 'cpu'],
    ];
    it.each(backends)(
      'reproduces the torchvision logits on %s (max abs diff < 1e-3)',
      async (label, backend, device) => {
        const model = createModel(name, { skipInit: true });
        const result = loadWeights(model, readGoldenBytes(`weights/${name}.fp16.safetensors`));
        expect(result).toEqual({ missing: [], unexpected: [] });
        const io = readSafetensors(readGoldenBytes(`weights/${name}.io.safetensors`));
        const input = io.tensors.get('input')!;
        const expected = io.tensors.get('logits')!;
        expect(input.shape).toEqual([2, 3, 224, 224]);
        const graph = model.eval().toGraph({ inputs: { input: ['N', 3, 224, 224] } });
        const compiled = await backend.compile(graph, { device });
        try {
          const { output } = await compiled.run({ input });
          expect(output!.shape).toEqual(expected.shape);
          const diff = maxAbsDiff(output!.data as Float32Array, expected.toFloat32().data);
          const scale = Math.max(...expected.toArray().map(Math.abs));
          console.log(
            `${name} on ${label}: max abs diff ${diff.toExponential(3)} over ${expected.size} logits, max |logit| ${scale.toFixed(3)}`,
          );
          expect(diff).toBeLessThan(1e-3);
          // mobilenet_v3_small's golden logits are small (max 0.018), so also bound the error relative to them.
          expect(diff).toBeLessThan(1e-4 * scale);
          const argmax = (a: ArrayLike<number>, row: number) => {
            const r = Array.from({ length: 1000 }, (_, i) => a[row * 1000 + i]!);
            return r.indexOf(Math.max(...r));
          };
          const ref = expected.toFloat32().data;
          expect([argmax(output!.data as Float32Array, 0), argmax(output!.data as Float32Array, 1)]).toEqual([
            argmax(ref, 0),
            argmax(ref, 1),
          ]);
        } finally {
          await compiled.dispose();
        }
      },
    );
  });
}

describe('loading weights that do not fit', () => {
  it('names the mismatched key and both shapes', () => {
    const model = createModel('squeezenet1_1', { skipInit: true, numClasses: 10 });
    let error: unknown;
    try {
      loadWeights(model, readGoldenBytes('weights/squeezenet1_1.fp16.safetensors'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDictError);
    const message = (error as Error).message;
    expect(message).toContain('classifier.1.weight');
    expect(message).toMatch(/10.*1000|1000.*10/);
    expect((error as StateDictError).mismatched.map((m) => m.key)).toEqual([
      'classifier.1.weight',
      'classifier.1.bias',
    ]);
  });

  it('lists missing keys (weights of another architecture)', () => {
    const model = createModel('mobilenet_v3_small', { skipInit: true });
    expect(() => loadWeights(model, readGoldenBytes('weights/squeezenet1_1.fp16.safetensors'))).toThrow(
      /features\.0\.0\.weight|missing/,
    );
  });

  it('rejects non-bytes', () => {
    const model = createModel('squeezenet1_1', { skipInit: true });
    expect(() => loadWeights(model, 'weights.safetensors' as never)).toThrow(TypeError);
  });

  it('loads into a featuresOnly model without the classifier (strict off by default there)', () => {
    const model = createModel('squeezenet1_1', { skipInit: true, featuresOnly: true });
    const result = loadWeights(model, readGoldenBytes('weights/squeezenet1_1.fp16.safetensors'));
    expect(result.missing).toEqual([]);
    expect(result.unexpected.sort()).toEqual(['classifier.1.bias', 'classifier.1.weight']);
  });
});
