import type { GradConfig, NamedAttrMap, Tensor as TfTensor } from '@tensorflow/tfjs-core';
import type { Tf } from '../internal/runtime.js';
import { type ConvPad, conv2dBackpropInput } from '../ops/conv-backprop-input.js';

/**
 * Gradients for the kernels training uses. tfjs-core's Node bundle (the one its `main` loads) registers no
 * gradients — they ship only as extensionless ES modules that Node cannot load — so the ones needed here are
 * registered when training starts, each only if tfjs has none yet (loading the full `@tensorflow/tfjs` first keeps
 * its own). The formulas are tfjs's (tfjs-core/src/gradients/*_grad.ts).
 */
type GradFn = (
  dy: TfTensor | TfTensor[],
  saved: TfTensor[],
  attrs: NamedAttrMap,
) => Record<string, () => TfTensor> | (() => TfTensor)[];

interface Def {
  readonly inputsToSave?: string[];
  readonly outputsToSave?: boolean[];
  readonly saveAllInputs?: boolean;
  readonly grad: GradFn;
}

/**
 * dW of a 2-D convolution as a forward convolution (tfjs-cpu's Conv2DBackpropFilter is very slow and wasm has
 * none): with x padded and laid out [Ci, H, W, N] and dy as a filter [OH, OW, N, Co] dilated by the strides,
 * conv(x, dy)[ci, a, b, co] = sum over n, oh, ow of x[n, a + oh*sh, b + ow*sw, ci] * dy[n, oh, ow, co].
 */
function filterGrad(
  tf: Tf,
  x: TfTensor,
  dy: TfTensor,
  shape: number[],
  stridesAttr: number | [number, number],
  pad: unknown,
): TfTensor {
  const strides: [number, number] = typeof stridesAttr === 'number' ? [stridesAttr, stridesAttr] : stridesAttr;
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  const [, h, w] = x.shape as number[];
  const [, oh, ow] = dy.shape as number[];
  let p: [[number, number], [number, number], [number, number], [number, number]];
  if (Array.isArray(pad)) p = pad as typeof p;
  else if (typeof pad === 'number')
    p = [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ];
  else if (pad === 'same') {
    const th = Math.max(0, (oh! - 1) * strides[0] + kh - h!);
    const tw = Math.max(0, (ow! - 1) * strides[1] + kw - w!);
    p = [
      [0, 0],
      [Math.floor(th / 2), th - Math.floor(th / 2)],
      [Math.floor(tw / 2), tw - Math.floor(tw / 2)],
      [0, 0],
    ];
  } else
    p = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
  const xt = tf.transpose(tf.pad(x, p), [3, 1, 2, 0]) as TfTensor;
  const f = tf.transpose(dy, [1, 2, 0, 3]);
  const r = tf.conv2d(xt as never, f as never, 1, 'valid', 'NHWC', strides);
  return tf.transpose(tf.slice(r, [0, 0, 0, 0], [ci, kh, kw, co]), [1, 2, 0, 3]);
}

const pair = (v: unknown): [number, number] =>
  typeof v === 'number' ? [v, v] : [(v as number[])[0]!, (v as number[])[1]!];

function defs(tf: Tf): Record<string, Def> {
  const reduceTo = (dy: TfTensor, shape: readonly number[]): TfTensor => {
    const axes = tf.backend_util.getReductionAxes([...shape], dy.shape);
    return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, [...shape]);
  };
  const keepShape = (xShape: readonly number[], axis: unknown): number[] => {
    const axes = tf.util.parseAxisParam(axis as number | number[], [...xShape]);
    return xShape.map((d, i) => (axes.includes(i) ? 1 : d));
  };
  const one = (dy: TfTensor | TfTensor[]): TfTensor => dy as TfTensor;
  const unary = (f: (dy: TfTensor, x: TfTensor) => TfTensor): Def => ({
    inputsToSave: ['x'],
    grad: (dy, [x]) => ({ x: () => f(one(dy), x!) }),
  });
  const unaryOut = (f: (dy: TfTensor, y: TfTensor) => TfTensor): Def => ({
    outputsToSave: [true],
    grad: (dy, [y]) => ({ x: () => f(one(dy), y!) }),
  });
  const binary = (
    fa: (dy: TfTensor, a: TfTensor, b: TfTensor) => TfTensor,
    fb: (dy: TfTensor, a: TfTensor, b: TfTensor) => TfTensor,
  ): Def => ({
    inputsToSave: ['a', 'b'],
    grad: (dy, [a, b]) => ({
      a: () => reduceTo(fa(one(dy), a!, b!), a!.shape),
      b: () => reduceTo(fb(one(dy), a!, b!), b!.shape),
    }),
  });
  const mask = (t: TfTensor): TfTensor => tf.cast(t, 'float32');
  const poolAttrs = (a: NamedAttrMap) => ({
    filterSize: a.filterSize,
    strides: a.strides,
    pad: a.pad,
    dimRoundingMode: a.dimRoundingMode,
  });
  return {
    Identity: { grad: (dy) => ({ x: () => tf.clone(one(dy)) }) },
    Cast: { grad: (dy) => ({ x: () => tf.clone(one(dy)) }) },
    Neg: { grad: (dy) => ({ x: () => tf.neg(one(dy)) }) },
    Relu: unary((dy, x) => tf.mul(dy, mask(tf.greater(x, 0)))),
    Relu6: unary((dy, x) => tf.mul(dy, mask(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6))))),
    LeakyRelu: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => ({
        x: () => tf.mul(one(dy), tf.where(tf.greater(x!, 0), tf.onesLike(x!), tf.fill(x!.shape, a.alpha as number))),
      }),
    },
    Exp: unaryOut((dy, y) => tf.mul(dy, y)),
    Log: unary((dy, x) => tf.div(dy, x)),
    Sqrt: unary((dy, x) => tf.div(dy, tf.mul(tf.sqrt(x), 2))),
    Rsqrt: unary((dy, x) => tf.div(dy, tf.mul(tf.pow(x, 1.5), -2))),
    Square: unary((dy, x) => tf.mul(dy, tf.mul(x, 2))),
    Sigmoid: unaryOut((dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
    Tanh: unaryOut((dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
    ClipByValue: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => ({
        x: () =>
          tf.mul(
            one(dy),
            mask(
              tf.logicalAnd(tf.greaterEqual(x!, a.clipValueMin as number), tf.lessEqual(x!, a.clipValueMax as number)),
            ),
          ),
      }),
    },
    Add: binary(
      (dy) => dy,
      (dy) => dy,
    ),
    Sub: binary(
      (dy) => dy,
      (dy) => tf.neg(dy),
    ),
    Multiply: binary(
      (dy, _a, b) => tf.mul(dy, b),
      (dy, a) => tf.mul(dy, a),
    ),
    RealDiv: binary(
      (dy, _a, b) => tf.div(dy, b),
      (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b))),
    ),
    Maximum: binary(
      (dy, a, b) => tf.mul(dy, mask(tf.greaterEqual(a, b))),
      (dy, a, b) => tf.mul(dy, mask(tf.less(a, b))),
    ),
    Minimum: binary(
      (dy, a, b) => tf.mul(dy, mask(tf.lessEqual(a, b))),
      (dy, a, b) => tf.mul(dy, mask(tf.greater(a, b))),
    ),
    Select: {
      inputsToSave: ['condition'],
      grad: (dy, [c]) => ({
        condition: () => tf.cast(tf.zerosLike(c!), 'float32'),
        t: () => tf.mul(one(dy), mask(c!)),
        e: () => tf.mul(one(dy), tf.sub(1, mask(c!))),
      }),
    },
    Reshape: { inputsToSave: ['x'], grad: (dy, [x]) => ({ x: () => tf.reshape(one(dy), x!.shape) }) },
    Transpose: {
      grad: (dy, _s, a) => {
        const perm = a.perm as number[];
        const inv = perm.map((_, i) => perm.indexOf(i));
        return { x: () => tf.transpose(one(dy), inv) };
      },
    },
    BroadcastTo: { inputsToSave: ['x'], grad: (dy, [x]) => ({ x: () => reduceTo(one(dy), x!.shape) }) },
    Sum: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => ({ x: () => tf.mul(tf.reshape(one(dy), keepShape(x!.shape, a.axis)), tf.onesLike(x!)) }),
    },
    Mean: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => {
        const kept = keepShape(x!.shape, a.axis);
        const count = x!.size / kept.reduce((p, d) => p * d, 1);
        return { x: () => tf.div(tf.mul(tf.reshape(one(dy), kept), tf.onesLike(x!)), count) };
      },
    },
    Max: {
      inputsToSave: ['x'],
      outputsToSave: [true],
      grad: (dy, [x, y], a) => {
        const kept = keepShape(x!.shape, a.reductionIndices);
        return { x: () => tf.mul(tf.reshape(one(dy), kept), mask(tf.equal(x!, tf.reshape(y!, kept)))) };
      },
    },
    Concat: {
      saveAllInputs: true,
      grad: (dy, saved, a) => {
        const axis = tf.util.parseAxisParam(a.axis as number, [...saved[0]!.shape])[0]!;
        const parts = tf.split(
          one(dy),
          saved.map((t) => t.shape[axis]!),
          axis,
        );
        return parts.map((t) => () => t);
      },
    },
    SplitV: { grad: (dy, _s, a) => ({ x: () => tf.concat(dy as TfTensor[], a.axis as number) }) },
    Slice: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => {
        const begin = a.begin as number[];
        const size = a.size as number[];
        const pads = x!.shape.map((d, i): [number, number] => [
          begin[i]!,
          d - begin[i]! - (size[i] === -1 ? d - begin[i]! : size[i]!),
        ]);
        return { x: () => tf.pad(one(dy), pads) };
      },
    },
    PadV2: {
      inputsToSave: ['x'],
      grad: (dy, [x], a) => {
        const paddings = a.paddings as [number, number][];
        return {
          x: () =>
            tf.slice(
              one(dy),
              paddings.map((p) => p[0]),
              x!.shape,
            ),
        };
      },
    },
    BatchMatMul: {
      inputsToSave: ['a', 'b'],
      grad: (dy0, [a, b], attrs) => {
        const dy = one(dy0);
        const tA = attrs.transposeA as boolean;
        const tB = attrs.transposeB as boolean;
        if (!tA && !tB) return { a: () => tf.matMul(dy, b!, false, true), b: () => tf.matMul(a!, dy, true, false) };
        if (!tA && tB) return { a: () => tf.matMul(dy, b!, false, false), b: () => tf.matMul(dy, a!, true, false) };
        if (tA && !tB) return { a: () => tf.matMul(b!, dy, false, true), b: () => tf.matMul(a!, dy, false, false) };
        return { a: () => tf.matMul(b!, dy, true, true), b: () => tf.matMul(dy, a!, true, true) };
      },
    },
    Conv2D: {
      inputsToSave: ['x', 'filter'],
      grad: (dy0, [x, filter], a) => {
        const dy = one(dy0);
        const strides = pair(a.strides);
        const dilations = pair(a.dilations ?? 1);
        if (dilations[0] !== 1 || dilations[1] !== 1) {
          throw new Error(`gradient of Conv2D: dilations must be 1, got [${dilations.join(', ')}]`);
        }
        return {
          x: () =>
            conv2dBackpropInput(
              tf,
              dy,
              filter!,
              x!.shape as [number, number, number, number],
              strides,
              a.pad as ConvPad,
            ),
          filter: () => filterGrad(tf, x!, dy, filter!.shape as number[], strides, a.pad),
        };
      },
    },
    Reverse: { grad: (dy, _s, a) => ({ x: () => tf.reverse(one(dy), a.dims as number[]) }) },
    // The kernel of conv2dTranspose (tfjs-core/src/gradients/Conv2DBackpropInput_grad.ts); the filter gradient
    // is conv2d's, with the roles of input and output gradient swapped.
    Conv2DBackpropInput: {
      inputsToSave: ['dy', 'filter'],
      grad: (ddx0, [dy, filter], a) => {
        const ddx = one(ddx0);
        const strides = a.strides as [number, number];
        return {
          dy: () => tf.conv2d(ddx as never, filter as never, strides, a.pad as 'valid'),
          filter: () => filterGrad(tf, ddx, dy!, filter!.shape as number[], strides, a.pad),
        };
      },
    },
    // gather along one axis with 1-D indices (Resize, reflect padding, strided Slice): the scatter-add of dy back to
    // the gathered positions, as a matMul with a one-hot matrix (tfjs's formula uses UnsortedSegmentSum, which
    // tfjs-backend-wasm does not have).
    GatherV2: {
      inputsToSave: ['x', 'indices'],
      grad: (dy0, [x, indices], a) => {
        if (indices!.rank !== 1 || ((a.batchDims as number) ?? 0) !== 0) {
          throw new Error(
            `gradient of GatherV2: only 1-D indices without batchDims are supported, got indices rank ${indices!.rank}, batchDims ${a.batchDims}`,
          );
        }
        const dy = one(dy0);
        const axis = tf.util.parseAxisParam(a.axis as number, [...x!.shape])[0]!;
        const rank = x!.rank;
        const toLast = [...Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis), axis];
        const back = toLast.map((_, i) => toLast.indexOf(i));
        return {
          x: () => {
            const moved = tf.transpose(dy, toLast);
            const rows = tf.reshape(moved, [-1, indices!.shape[0]!]);
            const onehot = tf.oneHot(tf.cast(indices!, 'int32') as never, x!.shape[axis]!);
            const scattered = tf.matMul(rows, tf.cast(onehot, 'float32'));
            const shape = toLast.map((d) => x!.shape[d]!);
            return tf.transpose(tf.reshape(scattered, shape), back);
          },
          indices: () => tf.zerosLike(tf.cast(indices!, 'float32')),
        };
      },
    },
    MaxPool: {
      inputsToSave: ['x'],
      outputsToSave: [true],
      grad: (dy, [x, y], a) => ({
        x: () =>
          tf
            .engine()
            .runKernel(
              'MaxPoolGrad',
              { dy: one(dy), input: x!, output: y! },
              poolAttrs(a) as unknown as NamedAttrMap,
            ) as TfTensor,
      }),
    },
    AvgPool: {
      inputsToSave: ['x'],
      grad: (dy0, [x], a) => {
        // tfjs's AvgPoolGrad divides by the whole window, but its forward averages only the cells inside the
        // input: dy is rescaled by window / (cells counted) so the gradient matches the forward.
        const dy = one(dy0);
        const [kh, kw] = (Array.isArray(a.filterSize) ? a.filterSize : [a.filterSize, a.filterSize]) as [
          number,
          number,
        ];
        const counts = tf.conv2d(
          tf.ones([1, x!.shape[1]!, x!.shape[2]!, 1]) as never,
          tf.ones([kh, kw, 1, 1]) as never,
          a.strides as [number, number],
          a.pad as 'valid',
        );
        const scaled = tf.mul(dy, tf.div(kh * kw, counts));
        return {
          x: () =>
            tf
              .engine()
              .runKernel('AvgPoolGrad', { dy: scaled, input: x! }, poolAttrs(a) as unknown as NamedAttrMap) as TfTensor,
        };
      },
    },
    // Comparisons are piecewise constant: zero gradients (the Select/Where that consumes them carries the signal).
    ...Object.fromEntries(
      ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd'].map((k): [string, Def] => [
        k,
        {
          inputsToSave: ['a', 'b'],
          grad: (_dy, [a, b]) => ({
            a: () => tf.zerosLike(tf.cast(a!, 'float32')),
            b: () => tf.zerosLike(tf.cast(b!, 'float32')),
          }),
        },
      ]),
    ),
    Pack: {
      grad: (dy, _s, a) => tf.unstack(one(dy), a.axis as number).map((t) => () => t),
    },
  };
}

let registered = false;

/** Registers the gradients above that tfjs does not have yet (once per process). */
export function ensureGradients(tf: Tf): void {
  if (registered) return;
  registered = true;
  for (const [kernelName, d] of Object.entries(defs(tf))) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({ kernelName, ...d, gradFunc: d.grad } as unknown as GradConfig);
  }
}
