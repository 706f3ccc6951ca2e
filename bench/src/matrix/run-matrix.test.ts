import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.js';
import { MODELS } from './models.js';
import { isFallback, planCases, quickAccuracySkip } from './run-matrix.js';

describe('planCases', () => {
  const devices = [
    { backend: 'ort-node', device: 'cpu', available: true },
    { backend: 'ort-node', device: 'webgpu', available: true },
    { backend: 'reference', device: 'cpu', available: true },
    { backend: 'tfjs', device: 'cpu', available: false, reason: 'x' },
  ];

  it('runs only available devices, small models on slow ones, batch 1 in --quick', () => {
    const plan = planCases(true, BACKENDS, MODELS, devices).map(
      (c) => `${c.model.name} ${c.backend.name}/${c.device} ${c.batch}`,
    );
    expect(plan).toContain('resnet50 ort-node/cpu 1');
    expect(plan).toContain('fastestdet ort-node/webgpu 1');
    expect(plan).not.toContain('resnet50 ort-node/webgpu 1'); // SwiftShader: tiny models only in --quick
    expect(plan.filter((p) => p.includes('reference'))).toEqual(['lenet5 reference/cpu 1']);
    expect(plan.some((p) => p.includes('tfjs'))).toBe(false);
    expect(plan.some((p) => p.endsWith(' 8'))).toBe(false);
  });

  it('adds batch 8 for batchable models in a full run, never for the fixed-batch ONNX files', () => {
    const plan = planCases(false, BACKENDS, MODELS, devices).map(
      (c) => `${c.model.name} ${c.backend.name}/${c.device} ${c.batch}`,
    );
    expect(plan).toContain('resnet50 ort-node/webgpu 8');
    expect(plan).not.toContain('fastestdet ort-node/cpu 8');
  });

  it('runs the TF.js graph model (selfie-seg) on tfjs only', () => {
    const tfjs = [...devices, { backend: 'tfjs', device: 'wasm', available: true }];
    const plan = planCases(true, BACKENDS, MODELS, tfjs).map((c) => `${c.model.name} ${c.backend.name}/${c.device}`);
    expect(plan.filter((p) => p.startsWith('selfie-seg'))).toEqual(['selfie-seg tfjs/wasm']);
  });
});

describe('isFallback', () => {
  it('flags providers other than the device asked for', () => {
    expect(isFallback('ort-node', 'cpu', ['cpu'])).toBe(false);
    expect(isFallback('reference', 'cpu', ['reference'])).toBe(false);
    expect(isFallback('ort-web', 'wasm', ['wasm (placement per node not observable in onnxruntime-web)'])).toBe(false);
    expect(isFallback('ort-node', 'webgpu', ['webgpu', 'cpu (fallback: 3 nodes)'])).toBe(true);
    expect(isFallback('ort-node', 'webgpu', ['cpu'])).toBe(true);
  });
});

describe('quickAccuracySkip', () => {
  const plan = (model: string) => ({
    model: MODELS.find((m) => m.name === model)!,
    backend: BACKENDS[0]!,
    device: 'webgpu',
    batch: 1,
  });

  it('skips a real model whose 8 quick images would take over 20 s, saying why', () => {
    expect(quickAccuracySkip(plan('fastestdet'), 2000)).toBeUndefined();
    expect(quickAccuracySkip(plan('fastestdet'), 3000)).toBe(
      '--quick: 8 images x p50 3000 ms = 24 s is over the 20 s budget for one case (run without --quick to measure it)',
    );
    expect(quickAccuracySkip(plan('resnet50'), 9000)).toBeUndefined(); // no accuracy task
  });

  it("counts LeNet-5's 1,000 quick MNIST images", () => {
    expect(quickAccuracySkip(plan('lenet5'), 20)).toBeUndefined();
    expect(quickAccuracySkip(plan('lenet5'), 25)).toBe(
      '--quick: 1000 images x p50 25 ms = 25 s is over the 20 s budget for one case (run without --quick to measure it)',
    );
  });
});
