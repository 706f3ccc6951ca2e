import { UnsupportedOpError } from '../errors.js';
import type { GraphNode } from '../graph.js';
import { Tensor } from '../tensor.js';
import { floatInput, intAttr, where } from './kernel-args.js';
import { type Dims4, dims4, kernelShape, outShape, readWindow, type Window, windowOutSize } from './spatial.js';
import type { Kernel } from './types.js';

interface PoolSetup {
  x: Tensor<'float32'>;
  d: Dims4;
  win: Window;
  outH: number;
  outW: number;
}

function setup(inputs: readonly (Tensor | null)[], node: GraphNode, dilationsAllowed: boolean): PoolSetup {
  const x = floatInput(inputs, 0, node, 'X');
  const d = dims4(x, node, 'X');
  const ceil = intAttr(node, 'ceil_mode', 0);
  if (ceil !== 0 && ceil !== 1)
    throw new RangeError(`${where(node)}: attribute ceil_mode: expected 0 or 1, got ${ceil}`);
  const win = readWindow(node, d, kernelShape(node, d.spatialRank), { dilationsAllowed });
  const outH = windowOutSize(node, win, d.h, 0, ceil === 1);
  const outW = windowOutSize(node, win, d.w, 1, ceil === 1);
  return { x, d, win, outH, outW };
}

/**
 * ONNX MaxPool (1-D and 2-D) with dilations, pads (never selected), ceil_mode (PyTorch's rule) and the optional
 * Indices output (int64, flat index into X, row-major or column-major spatial order by storage_order). NaN
 * propagates, as in PyTorch.
 */
export const maxPool: Kernel = (inputs, _attrs, node) => {
  const { x, d, win, outH, outW } = setup(inputs, node, true);
  const storageOrder = intAttr(node, 'storage_order', 0);
  if (storageOrder !== 0 && storageOrder !== 1) {
    throw new RangeError(`${where(node)}: attribute storage_order: expected 0 or 1, got ${storageOrder}`);
  }
  const wantIndices = node.outputs.length > 1 && node.outputs[1] !== '';
  const [kH, kW] = win.kernel;
  const [sH, sW] = win.strides;
  const [dH, dW] = win.dilations;
  const [padT, padL] = win.padsBegin;
  const planes = d.n * d.c;
  const y = new Float32Array(planes * outH * outW);
  const idx = wantIndices ? new BigInt64Array(y.length) : null;
  const xd = x.data;
  const inPlane = d.h * d.w;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        let best = Number.NEGATIVE_INFINITY;
        let bestH = -1;
        let bestW = -1;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * sH - padT + kh * dH;
          if (ih < 0 || ih >= d.h) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * sW - padL + kw * dW;
            if (iw < 0 || iw >= d.w) continue;
            const v = xd[base + ih * d.w + iw]!;
            if (v > best || Number.isNaN(v) || bestH < 0) {
              if (Number.isNaN(best)) continue;
              best = v;
              bestH = ih;
              bestW = iw;
            }
          }
        }
        y[o] = best;
        if (idx)
          idx[o] = BigInt(bestH < 0 ? -1 : base + (storageOrder === 0 ? bestH * d.w + bestW : bestW * d.h + bestH));
      }
    }
  }
  const shape = outShape(d, d.c, outH, outW);
  const outs: Tensor[] = [new Tensor('float32', shape, y)];
  if (idx) outs.push(new Tensor('int64', shape, idx));
  return outs;
};

/**
 * ONNX AveragePool (1-D and 2-D): ceil_mode (PyTorch's rule) and count_include_pad. With count_include_pad the
 * divisor is the window clipped to the padded input (as PyTorch); without it, the number of input elements covered.
 */
export const averagePool: Kernel = (inputs, _attrs, node) => {
  const { x, d, win, outH, outW } = setup(inputs, node, false);
  const includePad = intAttr(node, 'count_include_pad', 0);
  if (includePad !== 0 && includePad !== 1) {
    throw new RangeError(`${where(node)}: attribute count_include_pad: expected 0 or 1, got ${includePad}`);
  }
  const [kH, kW] = win.kernel;
  const [sH, sW] = win.strides;
  const [padT, padL] = win.padsBegin;
  const [padB, padR] = win.padsEnd;
  const planes = d.n * d.c;
  const y = new Float32Array(planes * outH * outW);
  const xd = x.data;
  const inPlane = d.h * d.w;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - padT;
      const h1 = Math.min(h0 + kH, d.h + padB);
      const hs = Math.max(h0, 0);
      const he = Math.min(h1, d.h);
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = ow * sW - padL;
        const w1 = Math.min(w0 + kW, d.w + padR);
        const ws = Math.max(w0, 0);
        const we = Math.min(w1, d.w);
        let sum = 0;
        for (let ih = hs; ih < he; ih++) {
          const row = base + ih * d.w;
          for (let iw = ws; iw < we; iw++) sum += xd[row + iw]!;
        }
        const count = includePad ? (h1 - h0) * (w1 - w0) : (he - hs) * (we - ws);
        y[o] = count > 0 ? sum / count : Number.NaN;
      }
    }
  }
  return [new Tensor('float32', outShape(d, d.c, outH, outW), y)];
};

function globalPool(op: 'avg' | 'max'): Kernel {
  return (inputs, _attrs, node) => {
    const x = floatInput(inputs, 0, node, 'X');
    if (x.rank < 2) {
      throw new UnsupportedOpError(node.op, `${where(node)}: X: expected rank >= 2 (N, C, ...), got rank ${x.rank}`);
    }
    const planes = x.shape[0]! * x.shape[1]!;
    const plane = planes === 0 ? 0 : x.size / planes;
    const y = new Float32Array(planes);
    const xd = x.data;
    for (let p = 0; p < planes; p++) {
      const base = p * plane;
      let acc = op === 'avg' ? 0 : Number.NEGATIVE_INFINITY;
      for (let i = 0; i < plane; i++) {
        const v = xd[base + i]!;
        if (op === 'avg') acc += v;
        else if (v > acc || Number.isNaN(v)) {
          acc = v;
          if (Number.isNaN(v)) break;
        }
      }
      y[p] = op === 'avg' ? acc / plane : acc;
    }
    const shape = [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)];
    return [new Tensor('float32', shape, y)];
  };
}

/** ONNX GlobalAveragePool: the mean over all spatial dims (float64 sum), keeping them as size 1. */
export const globalAveragePool: Kernel = globalPool('avg');
/** ONNX GlobalMaxPool: the maximum over all spatial dims (NaN propagates), keeping them as size 1. */
export const globalMaxPool: Kernel = globalPool('max');
