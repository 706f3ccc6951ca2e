import { ShapeError } from '../errors.js';
import type { GraphNode } from '../graph.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { convIm2col } from './conv-gemm.js';
import { floatInput, optionalFloatInput, where } from './kernel-args.js';
import { dims4, groupAttr, kernelShape, outShape, readWindow, windowOutSize } from './spatial.js';
import type { Kernel } from './types.js';

/** First and one-past-last output index o in [0, outSize) with 0 <= o*stride + offset < inSize. */
export function validRange(offset: number, stride: number, inSize: number, outSize: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.floor((inSize - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/** Checked operands, geometry and output shape of a Conv node. */
export interface PreparedConv {
  x: Tensor<'float32'>;
  w: Tensor<'float32'>;
  bias: Tensor<'float32'> | null;
  geometry: ConvGeometry;
  outShape: number[];
}

/** Checks a Conv node's inputs and attributes and computes its geometry (1-D as 2-D with height 1). */
export function prepareConv(inputs: readonly (Tensor | null)[], node: GraphNode): PreparedConv {
  const x = floatInput(inputs, 0, node, 'X');
  const d = dims4(x, node, 'X');
  const w = floatInput(inputs, 1, node, 'W', x.rank);
  const bias = optionalFloatInput(inputs, 2, node, 'B', 1);
  const m = w.shape[0]!;
  const group = groupAttr(node, d.c, m);
  const cg = d.c / group;
  if (w.shape[1] !== cg) {
    throw new ShapeError(
      `${where(node)}: W ${formatShape(w.shape)} needs ${cg} input channels per group (X has ${d.c} channels, ` +
        `group ${group}), got ${w.shape[1]}`,
    );
  }
  if (bias && bias.shape[0] !== m) {
    throw new ShapeError(
      `${where(node)}: B: expected shape [${m}] (one per output channel), got ${formatShape(bias.shape)}`,
    );
  }
  const kernel = kernelShape(node, d.spatialRank, w.shape.slice(2));
  const win = readWindow(node, d, kernel, { dilationsAllowed: true });
  const outH = windowOutSize(node, win, d.h, 0);
  const outW = windowOutSize(node, win, d.w, 1);
  const geometry: ConvGeometry = {
    n: d.n,
    c: d.c,
    h: d.h,
    w: d.w,
    m,
    group,
    outH,
    outW,
    kH: win.kernel[0],
    kW: win.kernel[1],
    sH: win.strides[0],
    sW: win.strides[1],
    dH: win.dilations[0],
    dW: win.dilations[1],
    padT: win.padsBegin[0],
    padL: win.padsBegin[1],
  };
  return { x, w, bias, geometry, outShape: outShape(d, m, outH, outW) };
}

/**
 * ONNX Conv (1-D and 2-D): X [N, C, H, W], W [M, C/group, kH, kW], B [M]? -> Y [N, M, outH, outW]. Groups
 * (depthwise included), dilations, strides, explicit pads or auto_pad; float64 accumulation. A group with at least
 * 4 output channels runs as im2col + a register-blocked GEMM (`convIm2col`); depthwise and other thin groups run
 * as direct loops over output planes (`convPlanes`).
 */
export const conv: Kernel = (inputs, _attrs, node) => {
  const { x, w, bias, geometry: g, outShape: shape } = prepareConv(inputs, node);
  const y = new Float32Array(g.n * g.m * g.outH * g.outW);
  const run = g.m / g.group >= 4 ? convIm2col : convPlanes;
  run(x.data, w.data, bias?.data ?? null, y, g);
  return [new Tensor('float32', shape, y)];
};

/** Conv geometry in the 2-D form. */
export interface ConvGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  m: number;
  group: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  dH: number;
  dW: number;
  padT: number;
  padL: number;
}

/**
 * Direct Conv loops on raw arrays: for each output plane (float64), each input channel and kernel tap adds a
 * weighted input row; the padding bounds of each tap are hoisted out of the inner loop.
 */
export function convPlanes(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  y: Float32Array,
  g: ConvGeometry,
): void {
  const { h, w: width, m, outH, outW, kH, kW, sH, sW, dH, dW } = g;
  const cg = g.c / g.group;
  const mg = m / g.group;
  const plane = outH * outW;
  const acc = new Float64Array(plane);
  const rowLo = new Int32Array(kH);
  const rowHi = new Int32Array(kH);
  const colLo = new Int32Array(kW);
  const colHi = new Int32Array(kW);
  for (let kh = 0; kh < kH; kh++) [rowLo[kh], rowHi[kh]] = validRange(kh * dH - g.padT, sH, h, outH);
  for (let kw = 0; kw < kW; kw++) [colLo[kw], colHi[kw]] = validRange(kw * dW - g.padL, sW, width, outW);
  for (let b = 0; b < g.n; b++) {
    for (let oc = 0; oc < m; oc++) {
      acc.fill(bias ? bias[oc]! : 0);
      const firstIn = Math.floor(oc / mg) * cg;
      for (let ci = 0; ci < cg; ci++) {
        const xBase = (b * g.c + firstIn + ci) * h * width;
        const wBase = (oc * cg + ci) * kH * kW;
        for (let kh = 0; kh < kH; kh++) {
          const ihOff = kh * dH - g.padT;
          const oh0 = rowLo[kh]!;
          const oh1 = rowHi[kh]!;
          for (let kw = 0; kw < kW; kw++) {
            const wv = w[wBase + kh * kW + kw]!;
            const iwOff = kw * dW - g.padL;
            const ow0 = colLo[kw]!;
            const ow1 = colHi[kw]!;
            for (let oh = oh0; oh < oh1; oh++) {
              const row = xBase + (oh * sH + ihOff) * width + iwOff;
              const a = oh * outW;
              if (sW === 1) {
                for (let ow = ow0; ow < ow1; ow++) acc[a + ow] += wv * x[row + ow]!;
              } else {
                for (let ow = ow0; ow < ow1; ow++) acc[a + ow] += wv * x[row + ow * sW]!;
              }
            }
          }
        }
      }
      y.set(acc, (b * m + oc) * plane);
    }
  }
}
