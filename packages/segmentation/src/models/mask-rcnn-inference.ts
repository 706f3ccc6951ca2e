/**
 * torchvision's `maskrcnn_inference`: of each RoI's per-class mask logits keep the map of its predicted label and
 * apply the sigmoid. The result is what `pasteMasksInImage` takes.
 */
import { DTypeError, describeValue, formatShape, ShapeError, Tensor } from '@striate/core';

/**
 * logits: float32 [K, C, M, M] (the mask predictor's output); labels: K class indices in [0, C). Returns float32
 * [K, 1, M, M] probabilities `sigmoid(logits[i, labels[i]])`.
 */
export function maskProbabilities(logits: Tensor, labels: Int32Array | readonly number[]): Tensor<'float32'> {
  const ctx = 'maskProbabilities';
  if (!(logits instanceof Tensor))
    throw new TypeError(`${ctx}: logits: expected a Tensor, got ${describeValue(logits)}`);
  if (logits.dtype !== 'float32') throw new DTypeError(`${ctx}: logits: expected float32, got ${logits.dtype}`);
  if (logits.rank !== 4) {
    throw new ShapeError(`${ctx}: logits: expected [K, C, M, M], got ${formatShape(logits.shape)}`);
  }
  const [k, c, h, w] = logits.shape as [number, number, number, number];
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new TypeError(`${ctx}: labels: expected an Int32Array or number[], got ${describeValue(labels)}`);
  }
  if (labels.length !== k) {
    throw new ShapeError(
      `${ctx}: labels: expected ${k} labels (one per RoI of logits ${formatShape(logits.shape)}), got ${labels.length}`,
    );
  }
  const src = logits.data as Float32Array;
  const plane = h * w;
  const out = new Float32Array(k * plane);
  for (let i = 0; i < k; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= c) {
      throw new RangeError(`${ctx}: labels[${i}]: expected an integer in [0, ${c}), got ${describeValue(label)}`);
    }
    const base = (i * c + label) * plane;
    for (let j = 0; j < plane; j++) out[i * plane + j] = 1 / (1 + Math.exp(-src[base + j]!));
  }
  return new Tensor('float32', [k, 1, h, w], out);
}
