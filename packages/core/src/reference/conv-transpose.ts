import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { validRange } from './conv.js';
import { floatInput, intsAttr, optionalFloatInput, stringAttr, where } from './kernel-args.js';
import { AUTO_PADS, dims4, groupAttr, kernelShape, outShape } from './spatial.js';
import type { Kernel } from './types.js';

/**
 * ONNX ConvTranspose (1-D and 2-D): X [N, C, H, W], W [C, M/group, kH, kW] (PyTorch's layout), B [M]? ->
 * Y [N, M, outH, outW] with outH = (H - 1)*sH - padT - padB + dH*(kH - 1) + output_padding + 1. `output_shape`
 * (with auto_pad) sets the pads as ONNX specifies. Each output plane gathers its contributions in float64.
 */
export const convTranspose: Kernel = (inputs, _attrs, node) => {
  const x = floatInput(inputs, 0, node, 'X');
  const d = dims4(x, node, 'X');
  const w = floatInput(inputs, 1, node, 'W', x.rank);
  const bias = optionalFloatInput(inputs, 2, node, 'B', 1);
  if (w.shape[0] !== d.c) {
    throw new ShapeError(
      `${where(node)}: W ${formatShape(w.shape)} must have X's ${d.c} input channels first, got ${w.shape[0]}`,
    );
  }
  const r = d.spatialRank;
  const mg = w.shape[1]!;
  const group = groupAttr(node, d.c, d.c);
  const m = mg * group;
  if (bias && bias.shape[0] !== m) {
    throw new ShapeError(
      `${where(node)}: B: expected shape [${m}] (one per output channel), got ${formatShape(bias.shape)}`,
    );
  }
  const lift = (v: readonly number[], neutral: number): number[] => (r === 2 ? [...v] : [neutral, v[0]!]);
  const kernel = lift(kernelShape(node, r, w.shape.slice(2)), 1);
  const strides = lift(intsAttr(node, 'strides', r) ?? new Array<number>(r).fill(1), 1);
  const dilations = lift(intsAttr(node, 'dilations', r) ?? new Array<number>(r).fill(1), 1);
  const outPad = lift(intsAttr(node, 'output_padding', r) ?? new Array<number>(r).fill(0), 0);
  for (const [name, values, min] of [
    ['strides', strides, 1],
    ['dilations', dilations, 1],
    ['output_padding', outPad, 0],
  ] as const) {
    if (values.some((v) => v < min)) {
      throw new RangeError(`${where(node)}: attribute ${name}: expected values >= ${min}, got [${values}]`);
    }
  }
  const inSize = [d.h, d.w];
  const autoPad = stringAttr(node, 'auto_pad', 'NOTSET', AUTO_PADS);
  let outputShape = intsAttr(node, 'output_shape');
  if (!outputShape && (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER')) {
    outputShape = inSize.slice(2 - r).map((v, i) => v * strides[2 - r + i]!);
  }
  let begin: number[];
  let end: number[];
  if (outputShape) {
    const target = lift(outputShape.slice(-r), 1);
    begin = [0, 0];
    end = [0, 0];
    for (let i = 0; i < 2; i++) {
      const total = strides[i]! * (inSize[i]! - 1) + outPad[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - target[i]!;
      const half = Math.floor(total / 2);
      begin[i] = autoPad === 'SAME_UPPER' ? half : total - half;
      end[i] = total - begin[i]!;
    }
  } else if (autoPad === 'VALID') {
    begin = [0, 0];
    end = [0, 0];
  } else {
    const pads = intsAttr(node, 'pads', 2 * r) ?? new Array<number>(2 * r).fill(0);
    if (pads.some((v) => v < 0))
      throw new RangeError(`${where(node)}: attribute pads: expected values >= 0, got [${pads}]`);
    begin = lift(pads.slice(0, r), 0);
    end = lift(pads.slice(r), 0);
  }
  const out = [0, 1].map(
    (i) => (inSize[i]! - 1) * strides[i]! - begin[i]! - end[i]! + dilations[i]! * (kernel[i]! - 1) + outPad[i]! + 1,
  );
  if (out[0]! < 0 || out[1]! < 0) {
    throw new ShapeError(`${where(node)}: output size [${out}] is negative (pads [${begin}] + [${end}] too large)`);
  }
  const [outH, outW] = out as [number, number];
  const [kH, kW] = kernel as [number, number];
  const [sH, sW] = strides as [number, number];
  const [dH, dW] = dilations as [number, number];
  const [padT, padL] = begin as [number, number];
  const cg = d.c / group;
  const plane = outH * outW;
  const inPlane = d.h * d.w;
  const xd = x.data;
  const wd = w.data;
  const y = new Float32Array(d.n * m * plane);
  const acc = new Float64Array(plane);
  for (let b = 0; b < d.n; b++) {
    for (let oc = 0; oc < m; oc++) {
      acc.fill(bias ? bias.data[oc]! : 0);
      const g = Math.floor(oc / mg);
      const ocInGroup = oc - g * mg;
      for (let ci = 0; ci < cg; ci++) {
        const ic = g * cg + ci;
        const xBase = (b * d.c + ic) * inPlane;
        const wBase = (ic * mg + ocInGroup) * kH * kW;
        for (let kh = 0; kh < kH; kh++) {
          const [ih0, ih1] = validRange(kh * dH - padT, sH, outH, d.h);
          for (let kw = 0; kw < kW; kw++) {
            const wv = wd[wBase + kh * kW + kw]!;
            const owOff = kw * dW - padL;
            const [iw0, iw1] = validRange(owOff, sW, outW, d.w);
            for (let ih = ih0; ih < ih1; ih++) {
              const a = (ih * sH + kh * dH - padT) * outW + owOff;
              const row = xBase + ih * d.w;
              for (let iw = iw0; iw < iw1; iw++) acc[a + iw * sW] += wv * xd[row + iw]!;
            }
          }
        }
      }
      y.set(acc, (b * m + oc) * plane);
    }
  }
  return [new Tensor('float32', outShape(d, m, outH, outW), y)];
};
