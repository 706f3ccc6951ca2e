/** Small helpers shared by the timm-defined Inception models. */
import { AvgPool2d, functional as F, MaxPool2d, type Module, Sequential, type Value } from '@striate/core';
import { BasicConv2d } from './googlenet.js';

type K = number | [number, number];
/** Conv + BatchNorm (eps 1e-3) + ReLU with timm's keys (conv.*, bn.*). */
export const cna = (i: number, o: number, k: K, stride = 1, padding: number | [number, number] = 0) =>
  new BasicConv2d(i, o, k, { stride, padding });
export const seq = (...ms: Module[]) => new Sequential(...ms);
export const maxPool = () => new MaxPool2d(3, { stride: 2 });
/** 3x3 stride-1 average pooling that excludes the padding from the mean (count_include_pad=False). */
export const avgPool = () => new AvgPool2d(3, { stride: 1, padding: 1, countIncludePad: false });
export const cat = (ms: Module[], x: Value): Value =>
  F.concat(
    ms.map((m) => m.forward(x) as Value),
    1,
  );
