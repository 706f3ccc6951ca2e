import { convTransposeOutputSize } from '../conv-shape.js';
import type { Dim, OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { allNumeric, isSymbol } from './dims.js';
import { type NodeView, one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';
import { axisNames, readWindowAttrs, type WindowAttrs, windowOutputDim } from './window.js';

/**
 * Checks X (N, C, spatial...) and W: ranks, a numeric weight shape, kernel_shape agreeing with the weight, and
 * returns the spatial count.
 */
function checkConvOperands(n: NodeView, x: ValueInfo, w: ValueInfo, b: ValueInfo | null): number {
  n.requireFloat(x, 'input X');
  n.requireFloat(w, 'weight W', { value: x, name: 'input X' });
  if (b) n.requireFloat(b, 'bias B', { value: x, name: 'input X' });
  n.requireRank(x, 'input X', [3, 4, 5]);
  if (w.shape.length !== x.shape.length) {
    throw n.shapeError(
      `weight W ${formatShape(w.shape)} has rank ${w.shape.length} but input X ${formatShape(x.shape)} has rank ` +
        `${x.shape.length}; they must match`,
    );
  }
  if (!allNumeric(w.shape)) throw n.shapeError(`weight W must have a numeric shape, got ${formatShape(w.shape)}`);
  if (isSymbol(x.shape[1]!)) {
    throw n.shapeError(`input X ${formatShape(x.shape)} has a symbolic channel count; channels must be a number`);
  }
  const spatial = x.shape.length - 2;
  const kernel = w.shape.slice(2) as number[];
  const attrKernel = n.ints('kernel_shape', 1);
  if (attrKernel !== undefined && (attrKernel.length !== spatial || attrKernel.some((k, i) => k !== kernel[i]))) {
    throw n.shapeError(
      `attribute kernel_shape ${formatShape(attrKernel)} disagrees with weight W ${formatShape(w.shape)} ` +
        `(kernel ${kernel.join('x')})`,
    );
  }
  if (kernel.some((k) => k < 1)) throw n.shapeError(`weight W ${formatShape(w.shape)} has an empty kernel`);
  return spatial;
}

function checkBias(n: NodeView, b: ValueInfo | null, outChannels: number, source: string): void {
  if (!b) return;
  if (b.shape.length !== 1 || (b.shape[0] !== outChannels && !isSymbol(b.shape[0]!))) {
    throw n.shapeError(
      `bias B has shape ${formatShape(b.shape)} but ${source} has ${outChannels} output channels; expected ` +
        `[${outChannels}]`,
    );
  }
}

const conv = rule('Conv', (n) => {
  const [x, w, b] = n.take(['X', 'W', 'B?']) as [ValueInfo, ValueInfo, ValueInfo | null];
  const spatial = checkConvOperands(n, x, w, b);
  const group = n.int('group', 1, 1);
  const c = x.shape[1] as number;
  const [m, cPerGroup] = w.shape as number[];
  if (c % group !== 0) throw n.shapeError(`input has ${c} channels, which group ${group} does not divide`);
  if (m! % group !== 0) {
    throw n.shapeError(
      `weight W ${formatShape(w.shape)} has ${m} output channels, which group ${group} does not divide`,
    );
  }
  if (cPerGroup! * group !== c) {
    throw n.shapeError(
      `input has ${c} channels but weight expects ${cPerGroup}*${group}=${cPerGroup! * group} ` +
        `(weight W ${formatShape(w.shape)}, group ${group})`,
    );
  }
  checkBias(n, b, m!, `weight W ${formatShape(w.shape)}`);
  const win = readWindowAttrs(n, spatial, w.shape.slice(2) as number[]);
  const out = x.shape.slice(2).map((d, i) => windowOutputDim(n, 'conv', win, i, d));
  return one(x.dtype, [x.shape[0]!, m!, ...out]);
});

/** Output spatial dims of ConvTranspose from output_shape, auto_pad or the pads. */
function transposeOutDims(n: NodeView, win: WindowAttrs, inDims: readonly Dim[], outputPadding: number[]): Dim[] {
  const spatial = inDims.length;
  const names = axisNames(spatial);
  let outputShape = n.ints('output_shape', 0);
  if (outputShape !== undefined) {
    // ONNX gives the spatial sizes; a full (N, C, spatial...) shape is accepted too.
    if (outputShape.length === spatial + 2) outputShape = outputShape.slice(2);
    if (outputShape.length !== spatial) {
      throw n.shapeError(`attribute output_shape ${formatShape(outputShape)} must have ${spatial} spatial sizes`);
    }
    return inDims.map((d, i) => {
      if (isSymbol(d)) return outputShape![i]!;
      const full = win.strides[i]! * (d - 1) + outputPadding[i]! + win.dilations[i]! * (win.kernel[i]! - 1) + 1;
      if (full < outputShape![i]! || outputShape![i]! < 1) {
        throw n.shapeError(
          `attribute output_shape asks for ${names[i]} ${outputShape![i]}, but input ${names[i]} ${d} with ` +
            `kernel ${win.kernel[i]} and stride ${win.strides[i]} gives at most ${full}`,
        );
      }
      return outputShape![i]!;
    });
  }
  return inDims.map((d, i) => {
    const s = win.strides[i]!;
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') {
      if (isSymbol(d)) {
        if (s === 1) return d;
        throw n.shapeError(`input ${names[i]} is symbolic (${d}); the output size needs a number`);
      }
      return d * s;
    }
    const [pb, pe] = win.autoPad === 'VALID' ? [0, 0] : [win.pads[i]!, win.pads[i + spatial]!];
    const options = {
      stride: s,
      padding: [pb, pe] as const,
      dilation: win.dilations[i]!,
      outputPadding: outputPadding[i]!,
      path: n.ctx.path,
      op: n.op,
      axis: names[i]!,
    };
    if (isSymbol(d)) {
      if (s === 1 && pb + pe === win.dilations[i]! * (win.kernel[i]! - 1) && outputPadding[i] === 0) return d;
      throw n.shapeError(`input ${names[i]} is symbolic (${d}); the output size needs a number`);
    }
    return convTransposeOutputSize(d, win.kernel[i]!, options);
  });
}

const convTranspose = rule('ConvTranspose', (n) => {
  const [x, w, b] = n.take(['X', 'W', 'B?']) as [ValueInfo, ValueInfo, ValueInfo | null];
  const spatial = checkConvOperands(n, x, w, b);
  const group = n.int('group', 1, 1);
  const c = x.shape[1] as number;
  const [wIn, mPerGroup] = w.shape as number[];
  if (c % group !== 0) throw n.shapeError(`input has ${c} channels, which group ${group} does not divide`);
  if (wIn !== c) {
    throw n.shapeError(
      `input has ${c} channels but weight W ${formatShape(w.shape)} expects ${wIn} ` +
        `(ConvTranspose weights are [C_in, C_out/group, kH, kW])`,
    );
  }
  const m = mPerGroup! * group;
  checkBias(n, b, m, `weight W ${formatShape(w.shape)} with group ${group}`);
  const win = readWindowAttrs(n, spatial, w.shape.slice(2) as number[]);
  const outputPadding = n.ints('output_padding', 0) ?? new Array<number>(spatial).fill(0);
  if (outputPadding.length !== spatial) {
    throw n.shapeError(`attribute output_padding ${formatShape(outputPadding)} must have ${spatial} values`);
  }
  for (const [i, op] of outputPadding.entries()) {
    const s = win.strides[i]!;
    const d = win.dilations[i]!;
    if (op >= Math.max(s, d)) {
      throw n.shapeError(
        `attribute output_padding ${formatShape(outputPadding)}: ${axisNames(spatial)[i]} output_padding ${op} ` +
          `must be smaller than the stride ${s} or the dilation ${d}`,
      );
    }
  }
  return one(x.dtype, [x.shape[0]!, m, ...transposeOutDims(n, win, x.shape.slice(2), outputPadding)]);
});

export const CONV_RULES: Partial<Record<OpType, ShapeRule>> = { Conv: conv, ConvTranspose: convTranspose };
