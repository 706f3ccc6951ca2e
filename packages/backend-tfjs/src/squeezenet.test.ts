/**
 * Real weights end to end: torchvision's SqueezeNet 1.1 built with the Module API, its fp16 state_dict from
 * ../shared/golden/weights loaded, traced to a graph (NCHW) and run on tfjs; the logits are compared with the ones
 * torchvision computed from the same weights.
 */
import { readSafetensors } from '@striate/core';
import { SqueezeNet11 } from '@striate/core/testing';
import { describe, expect, it } from 'vitest';
import { readGoldenBytes } from '../../../test-utils/fixtures.js';
import { tfjsBackend } from './backend.js';

describe('SqueezeNet 1.1 with torchvision weights on tfjs', () => {
  for (const device of ['wasm', 'cpu'] as const) {
    it(`reproduces torchvision's logits on ${device}`, async () => {
      const model = new SqueezeNet11();
      model.loadStateDict(readSafetensors(readGoldenBytes('weights/squeezenet1_1.fp16.safetensors')).tensors);
      const graph = model.eval().toGraph({ inputs: { input: ['N', 3, 224, 224] } });
      const io = readSafetensors(readGoldenBytes('weights/squeezenet1_1.io.safetensors'));
      const input = io.tensors.get('input')!;
      const expected = io.tensors.get('logits')!.toFloat32().data;
      const compiled = await tfjsBackend.compile(graph, { device });
      try {
        const { output } = await compiled.run({ input });
        expect(output!.shape).toEqual([2, 1000]);
        let diff = 0;
        for (let i = 0; i < expected.length; i++)
          diff = Math.max(diff, Math.abs((output!.data[i]! as number) - expected[i]!));
        console.log(`squeezenet1_1 on tfjs-${device}: max abs diff ${diff.toExponential(2)} vs torchvision`);
        expect(diff).toBeLessThan(1e-4);
      } finally {
        compiled.dispose();
      }
    }, 30_000);
  }
});
