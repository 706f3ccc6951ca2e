import { type Module, Tensor } from '@striate/core';
import { tfjsBackend } from '../backend.js';
import type { TfjsDevice } from '../internal/runtime.js';

/** Accuracy of a classifier (eval mode, compiled on tfjs) on images [N, ...] and class indices [N]. */
export async function evaluateAccuracy(
  module: Module,
  inputs: Tensor,
  labels: Tensor,
  options: { device?: TfjsDevice; batchSize?: number } = {},
): Promise<number> {
  const n = inputs.shape[0]!;
  if (labels.shape[0] !== n) throw new RangeError(`labels: expected ${n} labels, got ${labels.shape[0]}`);
  const batch = options.batchSize ?? 256;
  const graph = module.eval().toGraph({ inputs: { input: ['N', ...inputs.shape.slice(1)] } });
  const model = await tfjsBackend.compile(graph, { device: options.device ?? 'cpu' });
  const row = inputs.size / n;
  const truth = Array.from(labels.data as BigInt64Array | Int32Array, Number);
  let correct = 0;
  try {
    for (let from = 0; from < n; from += batch) {
      const to = Math.min(n, from + batch);
      const x = new Tensor(
        'float32',
        [to - from, ...inputs.shape.slice(1)],
        (inputs.data as Float32Array).slice(from * row, to * row),
      );
      const logits = Object.values(await model.run({ [model.inputNames[0]!]: x }))[0]!;
      const c = logits.shape[1]!;
      for (let i = 0; i < to - from; i++) {
        let best = 0;
        for (let k = 1; k < c; k++)
          if ((logits.data[i * c + k] as number) > (logits.data[i * c + best] as number)) best = k;
        if (best === truth[from + i]) correct++;
      }
    }
  } finally {
    model.dispose();
  }
  return correct / n;
}
