/**
 * Real weights end to end: torchvision's SqueezeNet 1.1 built with the Module API, its fp16 state_dict from
 * ../shared/golden/weights loaded, traced to a graph (NCHW) and run on tfjs; the logits are compared with the ones
 * torchvision computed from the same weights.
 */
import {
  AdaptiveAvgPool2d,
  Conv2d,
  Dropout,
  functional as F,
  MaxPool2d,
  Module,
  ReLU,
  readSafetensors,
  Sequential,
  type Value,
} from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenBytes } from '../../../test-utils/fixtures.js';
import { tfjsBackend } from './backend.js';

class Fire extends Module {
  squeeze: Conv2d;
  squeezeActivation = new ReLU();
  expand1x1: Conv2d;
  expand1x1Activation = new ReLU();
  expand3x3: Conv2d;
  expand3x3Activation = new ReLU();

  constructor(inplanes: number, squeezePlanes: number, e1: number, e3: number) {
    super();
    this.squeeze = new Conv2d(inplanes, squeezePlanes, 1);
    this.expand1x1 = new Conv2d(squeezePlanes, e1, 1);
    this.expand3x3 = new Conv2d(squeezePlanes, e3, 3, { padding: 1 });
  }

  override forward(x: Value): Value {
    const s = this.squeezeActivation.forward(this.squeeze.forward(x));
    const a = this.expand1x1Activation.forward(this.expand1x1.forward(s));
    return F.concat([a, this.expand3x3Activation.forward(this.expand3x3.forward(s))], 1);
  }
}

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
    return F.flatten(this.classifier.forward(this.features.forward(x)), 1);
  }
}

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
