import { type Dim, type DType, DTypeError, describeValue, formatShape, ShapeError, Tensor, zeros } from '@striate/core';
import { OrtDeviceTensor } from './device-tensor.js';

/** What a model input or output is declared as (from the graph, or from the session's metadata). */
export interface ValueSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** Checks feeds against the declared inputs (names, Tensor, dtype, rank, fixed and symbolic dims). */
export function checkFeeds(
  inputs: readonly ValueSpec[],
  feeds: Readonly<Record<string, Tensor | OrtDeviceTensor>>,
): void {
  if (typeof feeds !== 'object' || feeds === null || feeds instanceof Tensor || Array.isArray(feeds)) {
    throw new TypeError(`feeds: expected an object mapping input names to Tensors, got ${describeValue(feeds)}`);
  }
  const names = inputs.map((v) => v.name);
  for (const key of Object.keys(feeds)) {
    if (!names.includes(key)) {
      throw new RangeError(
        `feeds: unexpected input ${JSON.stringify(key)}; the model's inputs are ${describeValue(names)}`,
      );
    }
  }
  const bound = new Map<string, number>();
  for (const spec of inputs) {
    const t = feeds[spec.name];
    if (t === undefined) {
      throw new RangeError(
        `feeds: missing input ${JSON.stringify(spec.name)}; the model's inputs are ${describeValue(names)}`,
      );
    }
    if (!(t instanceof Tensor) && !(t instanceof OrtDeviceTensor)) {
      throw new TypeError(`feeds.${spec.name}: expected a Tensor or a device tensor, got ${describeValue(t)}`);
    }
    if (t.dtype !== spec.dtype)
      throw new DTypeError(`feeds.${spec.name}: expected dtype ${spec.dtype}, got ${t.dtype}`);
    if (t.rank !== spec.shape.length) {
      throw new ShapeError(
        `feeds.${spec.name}: expected rank ${spec.shape.length} ${formatShape(spec.shape)}, got rank ${t.rank} ` +
          formatShape(t.shape),
      );
    }
    spec.shape.forEach((dim, axis) => {
      const size = t.shape[axis]!;
      const expected = typeof dim === 'number' ? dim : bound.get(dim);
      if (expected !== undefined && expected !== size) {
        throw new ShapeError(
          `feeds.${spec.name}: dim ${axis} (${JSON.stringify(dim)} in ${formatShape(spec.shape)}) must be ${expected}, ` +
            `got ${size} (shape ${formatShape(t.shape)})`,
        );
      }
      if (typeof dim === 'string') bound.set(dim, size);
    });
  }
}

/** Zero tensors for the inputs, symbolic dims bound to 1 (used for the run that verifies node placement). */
export function zeroFeeds(inputs: readonly ValueSpec[]): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const spec of inputs) {
    feeds[spec.name] = zeros(
      spec.shape.map((d) => (typeof d === 'number' ? d : 1)),
      spec.dtype,
    );
  }
  return feeds;
}
