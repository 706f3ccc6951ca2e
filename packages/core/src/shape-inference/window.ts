import { convOutputSize, poolOutputSize } from '../conv-shape.js';
import type { Dim } from '../graph.js';
import { formatShape } from '../shape.js';
import { isSymbol } from './dims.js';
import type { NodeView } from './node-view.js';

/** Sliding-window attributes shared by Conv, ConvTranspose, MaxPool and AveragePool (ONNX names and defaults). */
export interface WindowAttrs {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** ONNX order: all begins, then all ends. */
  readonly pads: readonly number[];
  readonly autoPad: AutoPad;
}

export type AutoPad = 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

/** Names of the spatial axes for messages: `length`; `height`, `width`; `depth`, `height`, `width`. */
export function axisNames(spatial: number): string[] {
  if (spatial === 1) return ['length'];
  if (spatial === 2) return ['height', 'width'];
  if (spatial === 3) return ['depth', 'height', 'width'];
  return Array.from({ length: spatial }, (_, i) => `spatial dim ${i}`);
}

/** Reads kernel_shape (or takes `kernel` from the weight), strides, dilations, pads and auto_pad. */
export function readWindowAttrs(n: NodeView, spatial: number, kernel: readonly number[]): WindowAttrs {
  const list = (name: string, fallback: number, min: number, length: number): number[] => {
    const v = n.ints(name, min);
    if (v === undefined) return new Array<number>(length).fill(fallback);
    if (v.length !== length) {
      throw n.shapeError(
        `attribute ${name} ${formatShape(v)} has ${v.length} values, expected ${length} for ${spatial} spatial ` +
          `dim${spatial === 1 ? '' : 's'}`,
      );
    }
    return v;
  };
  const strides = list('strides', 1, 1, spatial);
  const dilations = list('dilations', 1, 1, spatial);
  const autoPad = n.string('auto_pad', 'NOTSET', AUTO_PADS);
  if (autoPad !== 'NOTSET' && n.has('pads')) {
    throw n.shapeError(`attribute pads cannot be combined with auto_pad '${autoPad}' (use one of them)`);
  }
  const pads = list('pads', 0, 0, 2 * spatial);
  return { kernel, strides, dilations, pads, autoPad };
}

/**
 * Output size of spatial axis `i` of a Conv or a pool, by conv-shape's functions (so the messages are the same
 * everywhere). A symbolic input size survives only where the output equals it (stride 1 with 'same' padding).
 */
export function windowOutputDim(
  n: NodeView,
  kind: 'conv' | 'pool',
  w: WindowAttrs,
  i: number,
  inDim: Dim,
  ceilMode = false,
): Dim {
  const spatial = w.kernel.length;
  const k = w.kernel[i]!;
  const s = w.strides[i]!;
  const d = w.dilations[i]!;
  const extent = d * (k - 1) + 1;
  const axis = axisNames(spatial)[i]!;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
    if (isSymbol(inDim)) {
      if (s === 1) return inDim;
      throw n.shapeError(`input ${axis} is symbolic (${inDim}); auto_pad ${w.autoPad} with stride ${s} needs a number`);
    }
    return Math.ceil(inDim / s);
  }
  const [pb, pe] = w.autoPad === 'VALID' ? [0, 0] : [w.pads[i]!, w.pads[i + spatial]!];
  if (isSymbol(inDim)) {
    if (s === 1 && pb + pe === extent - 1) return inDim;
    throw n.shapeError(
      `input ${axis} is symbolic (${inDim}); its output size needs a number unless stride is 1 and the padding ` +
        `keeps the size (kernel ${k}, stride ${s}, pad ${pb}+${pe})`,
    );
  }
  const options = { stride: s, padding: [pb, pe] as const, dilation: d, path: n.ctx.path, op: n.op, axis };
  return kind === 'conv' ? convOutputSize(inDim, k, options) : poolOutputSize(inDim, k, { ...options, ceilMode });
}
