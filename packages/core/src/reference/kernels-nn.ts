import type { OpType } from '../graph.js';
import { conv } from './conv.js';
import { convTranspose } from './conv-transpose.js';
import { gemm, matMul } from './gemm.js';
import { maxRoiPool } from './max-roi-pool.js';
import { batchNormalization, layerNormalization } from './norm.js';
import { averagePool, globalAveragePool, globalMaxPool, maxPool } from './pool.js';
import { resize } from './resize.js';
import { roiAlign } from './roi-align.js';
import { softmax } from './softmax.js';
import type { Kernel } from './types.js';

/** The reference kernels of the neural-network ops (convolution, pooling, normalization, GEMM, resize, softmax). */
export const nnKernels: Partial<Record<OpType, Kernel>> = Object.freeze({
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  GlobalMaxPool: globalMaxPool,
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Gemm: gemm,
  MatMul: matMul,
  Softmax: softmax,
  Resize: resize,
  RoiAlign: roiAlign,
  MaxRoiPool: maxRoiPool,
});
