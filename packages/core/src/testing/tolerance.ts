import type { DType } from '../dtype.js';
import type { OpType } from '../graph.js';

/** Elementwise check `|actual - expected| <= atol + rtol * |expected|` (numpy's allclose). */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

const EXACT: Tolerance = Object.freeze({ atol: 0, rtol: 0 });
/** Pure data movement and comparisons: float32 results must be bit-equal. */
const MOVE: Tolerance = EXACT;
/** One rounding or a few: activations, elementwise arithmetic. */
const POINTWISE: Tolerance = Object.freeze({ atol: 1e-6, rtol: 1e-5 });
/** Transcendental functions (exp, tanh, erf), whose implementations differ in the last bits. */
const TRANSCENDENTAL: Tolerance = Object.freeze({ atol: 1e-6, rtol: 2e-5 });
/** Reductions and dot products over tens to hundreds of terms, summed in a backend's own order. */
const ACCUMULATE: Tolerance = Object.freeze({ atol: 1e-5, rtol: 1e-4 });

/**
 * float32 tolerance per op. The numbers are for outputs of order 1 (the suite's inputs are N(0,1) or bounded), and
 * are what every backend here meets; a backend that needs more lists the case as a known gap instead.
 */
const FLOAT32: Readonly<Record<OpType, Tolerance>> = Object.freeze({
  Conv: ACCUMULATE,
  ConvTranspose: ACCUMULATE,
  BatchNormalization: POINTWISE,
  LayerNormalization: ACCUMULATE,
  Relu: MOVE,
  LeakyRelu: POINTWISE,
  PRelu: POINTWISE,
  Elu: TRANSCENDENTAL,
  Sigmoid: TRANSCENDENTAL,
  Tanh: TRANSCENDENTAL,
  HardSigmoid: POINTWISE,
  HardSwish: POINTWISE,
  Gelu: TRANSCENDENTAL,
  Softmax: TRANSCENDENTAL,
  MaxPool: MOVE,
  AveragePool: POINTWISE,
  GlobalAveragePool: POINTWISE,
  GlobalMaxPool: MOVE,
  Gemm: ACCUMULATE,
  MatMul: ACCUMULATE,
  Add: POINTWISE,
  Sub: POINTWISE,
  Mul: POINTWISE,
  Div: POINTWISE,
  Concat: MOVE,
  Reshape: MOVE,
  Flatten: MOVE,
  Transpose: MOVE,
  Resize: POINTWISE,
  Pad: MOVE,
  Slice: MOVE,
  Split: MOVE,
  Dropout: MOVE,
  Identity: MOVE,
  Clip: MOVE,
  Constant: POINTWISE,
  ReduceMean: ACCUMULATE,
  // Bilinear samples averaged over a grid of up to tens of points, in each backend's order.
  RoiAlign: ACCUMULATE,
  MaxRoiPool: MOVE,
});

/** float16 results carry 11 significant bits: one half-precision ulp relative, plus the float32 tolerance. */
const FLOAT16_EXTRA: Tolerance = Object.freeze({ atol: 1e-3, rtol: 1e-3 });

/** The tolerance for an op's output of one dtype; integer and bool outputs are compared exactly. */
export function toleranceFor(op: OpType, dtype: DType): Tolerance {
  if (dtype === 'float32') return FLOAT32[op];
  if (dtype === 'float16') {
    const t = FLOAT32[op];
    return { atol: t.atol + FLOAT16_EXTRA.atol, rtol: t.rtol + FLOAT16_EXTRA.rtol };
  }
  return EXACT;
}

/** The float32 table itself, for printing and for tests that every op has an entry. */
export const FLOAT32_TOLERANCES: Readonly<Record<OpType, Tolerance>> = FLOAT32;
