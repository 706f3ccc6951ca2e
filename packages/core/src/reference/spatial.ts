import { ShapeError, UnsupportedOpError } from '../errors.js';
import type { GraphNode } from '../graph.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { intAttr, intsAttr, stringAttr, where } from './kernel-args.js';

/**
 * Window geometry of Conv, ConvTranspose and the pools. 1-D ops are computed as 2-D ones with a height of 1, so
 * every kernel works on [N, C, H, W]; ONNX pads are [x1_begin, x2_begin, x1_end, x2_end].
 */

export type AutoPad = 'NOTSET' | 'VALID' | 'SAME_UPPER' | 'SAME_LOWER';
export const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'];

/** A feature map's dims as [N, C, H, W] (H = 1 for a 1-D map) and its spatial rank. */
export interface Dims4 {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly spatialRank: 1 | 2;
}

export function dims4(x: Tensor, node: GraphNode, label: string): Dims4 {
  const s = x.shape;
  if (s.length === 4) return { n: s[0]!, c: s[1]!, h: s[2]!, w: s[3]!, spatialRank: 2 };
  if (s.length === 3) return { n: s[0]!, c: s[1]!, h: 1, w: s[2]!, spatialRank: 1 };
  if (s.length > 4) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: ${label}: only 1-D and 2-D spatial inputs are supported, got rank ${s.length} ${formatShape(s)}`,
    );
  }
  throw new ShapeError(`${where(node)}: ${label}: expected rank 3 or 4 (N, C, spatial...), got ${formatShape(s)}`);
}

/** The output shape for [N, C, outH, outW] in the input's spatial rank. */
export function outShape(d: Dims4, c: number, outH: number, outW: number): number[] {
  return d.spatialRank === 2 ? [d.n, c, outH, outW] : [d.n, c, outW];
}

/** Window parameters, one per spatial axis (index 0 = H, 1 = W). */
export interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padsBegin: readonly [number, number];
  readonly padsEnd: readonly [number, number];
}

/** Lifts a per-spatial-axis list to 2-D (prepends the neutral value for a 1-D op). */
function lift(values: readonly number[], rank: 1 | 2, neutral: number): [number, number] {
  return rank === 2 ? [values[0]!, values[1]!] : [neutral, values[0]!];
}

function positive(node: GraphNode, name: string, values: readonly number[], min: number): void {
  for (const v of values) {
    if (v < min) throw new RangeError(`${where(node)}: attribute ${name}: expected values >= ${min}, got [${values}]`);
  }
}

/**
 * Reads strides, dilations and pads (explicit, or from auto_pad) for a window of `kernel` (spatial order) over
 * `inSpatial` (H, W). `dilationsAllowed` false rejects dilations other than 1 (AveragePool in opset 17).
 */
export function readWindow(
  node: GraphNode,
  d: Dims4,
  kernel: readonly number[],
  options: { dilationsAllowed: boolean },
): Window {
  const r = d.spatialRank;
  positive(node, 'kernel_shape', kernel, 1);
  const strides = intsAttr(node, 'strides', r) ?? new Array<number>(r).fill(1);
  positive(node, 'strides', strides, 1);
  const dilations = intsAttr(node, 'dilations', r) ?? new Array<number>(r).fill(1);
  positive(node, 'dilations', dilations, 1);
  if (!options.dilationsAllowed && dilations.some((v) => v !== 1)) {
    throw new UnsupportedOpError(
      node.op,
      `${where(node)}: attribute dilations: only 1 is supported, got [${dilations}]`,
    );
  }
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET', AUTO_PADS);
  const k2 = lift(kernel, r, 1);
  const s2 = lift(strides, r, 1);
  const d2 = lift(dilations, r, 1);
  const inSize: [number, number] = [d.h, d.w];
  let begin: [number, number] = [0, 0];
  let end: [number, number] = [0, 0];
  if (autoPad === 'NOTSET') {
    const pads = intsAttr(node, 'pads', 2 * r) ?? new Array<number>(2 * r).fill(0);
    positive(node, 'pads', pads, 0);
    begin = lift(pads.slice(0, r), r, 0);
    end = lift(pads.slice(r), r, 0);
  } else if (autoPad !== 'VALID') {
    for (let i = 0; i < 2; i++) {
      const out = Math.ceil(inSize[i]! / s2[i]!);
      const total = Math.max(0, (out - 1) * s2[i]! + d2[i]! * (k2[i]! - 1) + 1 - inSize[i]!);
      const small = Math.floor(total / 2);
      begin[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      end[i] = total - begin[i]!;
    }
  }
  return { kernel: k2, strides: s2, dilations: d2, padsBegin: begin, padsEnd: end };
}

const AXIS = ['height', 'width'];

/**
 * Output size along spatial axis `i` (0 = H, 1 = W): floor((in + pb + pe - (d*(k-1)+1)) / s) + 1, or with
 * `ceilMode` the PyTorch rule (ceil, and the last window is dropped when it would start inside the end padding).
 */
export function windowOutSize(node: GraphNode, win: Window, inSize: number, i: 0 | 1, ceilMode = false): number {
  const k = win.kernel[i]!;
  const s = win.strides[i]!;
  const dil = win.dilations[i]!;
  const pb = win.padsBegin[i]!;
  const pe = win.padsEnd[i]!;
  const span = dil * (k - 1) + 1;
  const room = inSize + pb + pe - span;
  if (room < 0) {
    throw new ShapeError(
      `${where(node)}: ${AXIS[i]} ${inSize} + pads ${pb}+${pe} is smaller than the window ` +
        `(kernel ${k}, dilation ${dil} -> ${span})`,
    );
  }
  let out = (ceilMode ? Math.ceil(room / s) : Math.floor(room / s)) + 1;
  if (ceilMode && (out - 1) * s >= inSize + pb) out--;
  return out;
}

/** The kernel shape from the `kernel_shape` attribute, checked against `fromWeight` when both are known. */
export function kernelShape(node: GraphNode, rank: 1 | 2, fromWeight?: readonly number[]): number[] {
  const attrShape = intsAttr(node, 'kernel_shape', rank);
  if (attrShape && fromWeight && attrShape.some((v, i) => v !== fromWeight[i])) {
    throw new ShapeError(
      `${where(node)}: attribute kernel_shape [${attrShape}] disagrees with the weight's spatial dims [${fromWeight}]`,
    );
  }
  const k = attrShape ?? fromWeight;
  if (!k) throw new ShapeError(`${where(node)}: attribute kernel_shape is required`);
  return [...k];
}

/** The group attribute (default 1), checked to divide both channel counts. */
export function groupAttr(node: GraphNode, inChannels: number, outChannels: number): number {
  const group = intAttr(node, 'group', 1);
  if (group < 1) throw new RangeError(`${where(node)}: attribute group: expected an integer >= 1, got ${group}`);
  if (inChannels % group !== 0 || outChannels % group !== 0) {
    throw new ShapeError(
      `${where(node)}: group ${group} must divide the input channels (${inChannels}) and output channels (${outChannels})`,
    );
  }
  return group;
}
