/**
 * Every model of models.json (torchvision 0.26, weights=None): parameter count equal, output shape equal (traced
 * with a symbolic batch at the input size there), FLOPs (2 x multiply-adds of Conv/Gemm/MatMul counted on the
 * traced graph) within 1%. Built with skipInit so that no random weights are drawn.
 */
import { BatchNorm2d } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { readGoldenJson } from '../../../test-utils/fixtures.js';
import { countFlops } from './flops.js';
import { createModel, getModelInfo, listModels } from './registry.js';

interface GoldenModel {
  params: number;
  input: number[];
  output: number[];
  flops: number;
}
interface Golden {
  torchvision: string;
  models: Record<string, GoldenModel>;
  with_aux: Record<string, number>;
  timm: Record<string, number>;
}

const golden = readGoldenJson<Golden>('models.json');

describe('torchvision architectures against models.json', () => {
  it('covers every model listed there', () => {
    const missing = Object.keys(golden.models).filter((n) => !listModels().includes(n));
    expect(missing).toEqual([]);
  });

  for (const [name, ref] of Object.entries(golden.models)) {
    it(`${name}: params, output shape and FLOPs`, () => {
      const model = createModel(name, { skipInit: true });
      expect(model.numParameters()).toBe(ref.params);
      expect(getModelInfo(name).numParams).toBe(ref.params);
      const graph = model.toGraph({ inputs: { input: ['N', ...ref.input.slice(1)] } });
      expect(graph.outputs.map((o) => o.shape)).toEqual([['N', ...ref.output.slice(1)]]);
      const flops = countFlops(graph, ref.input).total;
      expect(Math.abs(flops / ref.flops - 1)).toBeLessThan(0.01);
    });
  }
});

describe('auxiliary classifiers (models.json with_aux)', () => {
  for (const [name, count] of Object.entries(golden.with_aux)) {
    it(`${name} with auxLogits has ${count} parameters and returns the aux logits only in training traces`, () => {
      const model = createModel(name, { skipInit: true, auxLogits: true } as never);
      expect(model.numParameters()).toBe(count);
      const size = golden.models[name]!.input.slice(1);
      const evalGraph = model.toGraph({ inputs: { input: ['N', ...size] } });
      expect(evalGraph.outputs).toHaveLength(1);
      // Training semantics for the model itself (the aux branches), inference BatchNorm (the IR has no batch stats).
      model.train();
      for (const m of model.modules()) if (m instanceof BatchNorm2d) m.eval();
      const trainGraph = model.toGraph({ inputs: { input: ['N', ...size] }, mode: 'preserve' });
      expect(trainGraph.outputs.map((o) => o.shape)).toEqual(trainGraph.outputs.map(() => ['N', 1000]));
      expect(trainGraph.outputs.length).toBe(name === 'googlenet' ? 3 : 2);
    });
  }
});
