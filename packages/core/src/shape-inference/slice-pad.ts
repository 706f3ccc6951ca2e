import type { Dim, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { isSymbol } from './dims.js';
import { one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

/** An `ends` at or past this is taken as "to the end" of a symbolic dim (INT32_MAX, INT64_MAX, ...). */
const TO_END = 2 ** 31 - 1;

/** Size of one sliced axis by ONNX's clamping rules (negative steps walk backwards). */
export function sliceSize(dim: number, start: number, end: number, step: number): number {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  return Math.max(0, Math.ceil((e - s) / step));
}

/** Slice(data, starts, ends, axes?, steps?): all int64 constants. */
const slice = rule('Slice', (n) => {
  const [x, startsV, endsV, axesV, stepsV] = n.take(['data', 'starts', 'ends', 'axes?', 'steps?']) as [
    ValueInfo,
    ValueInfo,
    ValueInfo,
    ValueInfo | null,
    ValueInfo | null,
  ];
  const rank = x.shape.length;
  const starts = n.constInts(startsV, 'starts');
  const ends = n.constInts(endsV, 'ends');
  const axes = axesV ? n.constInts(axesV, 'axes') : starts.map((_, i) => i);
  const steps = stepsV ? n.constInts(stepsV, 'steps') : starts.map(() => 1);
  for (const [list, name] of [
    [ends, 'ends'],
    [axes, 'axes'],
    [steps, 'steps'],
  ] as const) {
    if (list.length !== starts.length) {
      throw n.shapeError(`${name} has ${list.length} values but starts has ${starts.length}; they must match`);
    }
  }
  const out: Dim[] = [...x.shape];
  const seen = new Set<number>();
  for (const [i, rawAxis] of axes.entries()) {
    const axis = n.normAxis(rawAxis, rank, `axes[${i}]`);
    if (seen.has(axis)) throw n.shapeError(`axes ${formatShape(axes)} repeat axis ${axis}`);
    seen.add(axis);
    const step = steps[i]!;
    if (step === 0) throw n.shapeError(`steps[${i}] is 0; a step must be non-zero`);
    const dim = x.shape[axis]!;
    if (isSymbol(dim)) {
      if (step === 1 && starts[i] === 0 && ends[i]! >= TO_END) continue;
      throw n.shapeError(
        `dim ${axis} of ${formatShape(x.shape)} is symbolic (${dim}); slicing it [${starts[i]}:${ends[i]}:${step}] ` +
          'needs a number (only the whole dim, 0 to the end with step 1, keeps the symbol)',
      );
    }
    out[axis] = sliceSize(dim, starts[i]!, ends[i]!, step);
  }
  return one(x.dtype, out);
});

const PAD_MODES = ['constant', 'reflect', 'edge'] as const;

/** Pad(data, pads, constant_value?): pads are [x1_begin, x2_begin, ..., x1_end, x2_end, ...]; negative crops. */
const pad = rule('Pad', (n) => {
  const [x, padsV, value] = n.take(['data', 'pads', 'constant_value?']) as [ValueInfo, ValueInfo, ValueInfo | null];
  const mode = n.string('mode', 'constant', PAD_MODES);
  const rank = x.shape.length;
  const pads = n.constInts(padsV, 'pads');
  if (pads.length !== 2 * rank) {
    throw n.shapeError(`pads has ${pads.length} values, expected ${2 * rank} (begin and end of each of ${rank} dims)`);
  }
  if (value) {
    n.requireSameDType(value, 'constant_value', x, 'input data');
    if (value.shape.some((d) => d !== 1)) {
      throw n.shapeError(`constant_value must be a scalar, got shape ${formatShape(value.shape)}`);
    }
  }
  const out = x.shape.map((d, i) => {
    const pb = pads[i]!;
    const pe = pads[i + rank]!;
    if (isSymbol(d)) {
      if (pb === 0 && pe === 0) return d;
      throw n.shapeError(`dim ${i} of ${formatShape(x.shape)} is symbolic (${d}); padding it needs a number`);
    }
    if (mode === 'reflect' && (pb >= d || pe >= d)) {
      throw n.shapeError(
        `reflect padding ${pb}+${pe} of dim ${i} must be smaller than its size ${d} (input ${formatShape(x.shape)})`,
      );
    }
    if (mode === 'edge' && d === 0 && (pb > 0 || pe > 0)) {
      throw n.shapeError(`edge padding of dim ${i} needs a non-empty dim (input ${formatShape(x.shape)})`);
    }
    const size = d + pb + pe;
    if (size < 0) {
      throw n.shapeError(`pads ${pb}+${pe} crop dim ${i} of size ${d} below zero (input ${formatShape(x.shape)})`);
    }
    return size;
  });
  return one(x.dtype, out);
});

export const SLICE_PAD_RULES: Partial<Record<OpType, ShapeRule>> = { Slice: slice, Pad: pad };
