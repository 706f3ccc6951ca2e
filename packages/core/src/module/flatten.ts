import { describeValue, ShapeError } from '../errors.js';
import type { GraphBuilder, Value } from '../graph-builder.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { constantValue, isValue, joinName, recordOp } from './trace.js';

/** Flattens dims startDim..endDim into one, as torch.flatten, recorded under `name` (`fn` names the caller). */
export function flattenAs(value: Value, startDim: number, endDim: number, name: string, fn: string): Value {
  if (!isValue(value)) throw new TypeError(`${fn}: value: expected a graph value, got ${describeValue(value)}`);
  const rank = value.shape.length;
  const norm = (d: number, argName: string): number => {
    const r = Math.max(rank, 1);
    if (!Number.isInteger(d) || d < -r || d >= r) {
      throw new RangeError(
        `${fn}: ${argName}: expected an integer in [${-r}, ${r - 1}] for input ${formatShape(value.shape)}, got ${describeValue(d)}`,
      );
    }
    return d < 0 ? d + r : d;
  };
  const start = norm(startDim, 'startDim');
  const end = norm(endDim, 'endDim');
  if (start > end)
    throw new RangeError(
      `${fn}: startDim ${startDim} comes after endDim ${endDim} for input ${formatShape(value.shape)}`,
    );
  const b = value.builder;
  if (rank === 0) return reshapeAs(b, value, [1], name);
  if (start === end) return value;
  if (start === 1 && end === rank - 1) return recordOp(b, 'Flatten', [value], { axis: 1 }, name)[0]!;
  const after = value.shape.slice(end + 1);
  if (after.some((d) => typeof d !== 'number')) {
    throw new ShapeError(
      `${name}: flattening dims ${start}..${end} of ${formatShape(value.shape)} needs known sizes after dim ${end}`,
    );
  }
  return reshapeAs(b, value, [...new Array<number>(start).fill(0), -1, ...(after as number[])], name);
}

function reshapeAs(b: GraphBuilder, value: Value, target: number[], name: string): Value {
  const shape = new Tensor('int64', [target.length], BigInt64Array.from(target.map((v) => BigInt(v))));
  return recordOp(b, 'Reshape', [value, constantValue(b, `${name}.shape`, shape)], {}, name)[0]!;
}

/**
 * Flattens dims startDim..endDim into one (PyTorch `nn.Flatten`, default 1..-1): an ONNX Flatten (axis 1) for the
 * default, a Reshape otherwise.
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(startDim = 1, endDim = -1) {
    super();
    for (const [name, v] of [
      ['startDim', startDim],
      ['endDim', endDim],
    ] as const) {
      if (!Number.isInteger(v)) throw new RangeError(`Flatten: ${name}: expected an integer, got ${describeValue(v)}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }
  override forward(x: Value): Value {
    return flattenAs(x, this.startDim, this.endDim, joinName(this.pathIn(x)), 'Flatten');
  }
}
