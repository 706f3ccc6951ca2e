/**
 * Round trip over every shared real model (../shared/models/*\/*.onnx): import -> export -> ONNX Runtime gives the
 * original file's ORT outputs (1e-5 relative to the output's scale), and import -> reference backend gives them
 * within 1e-4. Inputs are seeded uniform values in each model's input range.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { modelsDir } from '../../../test-utils/fixtures.js';
import { relDiff, runOrt, runReference } from '../test/ort.js';
import { exportOnnx } from './export.js';
import { importOnnx } from './import.js';

/** Every .onnx file one folder down; an empty list is an error. */
function listModels(): string[] {
  const root = modelsDir();
  const files = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(root, d.name))
        .filter((f) => f.endsWith('.onnx'))
        .map((f) => join(d.name, f)),
    )
    .sort();
  if (files.length === 0) throw new Error(`no .onnx models under ${root}`);
  return files;
}

/** Input range per model family: [0, 1] images for FastestDet, [-1, 1] normalized images for the others. */
const rangeOf = (file: string): [number, number] => (file.startsWith('fastestdet') ? [0, 1] : [-1, 1]);

describe.each(listModels())('round trip of %s', (file) => {
  const bytes = new Uint8Array(readFileSync(join(modelsDir(), file)));
  const graph = importOnnx(bytes);
  const feeds: Record<string, Tensor> = {};
  for (const [i, input] of graph.inputs.entries()) {
    const shape = input.shape as number[];
    const [lo, hi] = rangeOf(file);
    feeds[input.name] = new Tensor(
      'float32',
      shape,
      new Rng(100 + i).uniformArray(
        shape.reduce((a, b) => a * b, 1),
        lo,
        hi,
      ),
    );
  }
  const original = runOrt(bytes, feeds);

  it('import -> export runs on ORT with the original outputs (<= 1e-5 relative)', async () => {
    const [want, got] = await Promise.all([original, runOrt(exportOnnx(graph), feeds)]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expect(relDiff(got[k]!, want[k]!), k).toBeLessThanOrEqual(1e-5);
  });

  it('import -> reference backend gives the ORT outputs (<= 1e-4 relative)', async () => {
    const [want, got] = await Promise.all([original, runReference(graph, feeds)]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) expect(relDiff(got[k]!, want[k]!), k).toBeLessThanOrEqual(1e-4);
  }, 60_000);
});
