import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { Tf } from '../internal/runtime.js';
import { conv2dBackpropInput } from '../ops/conv-backprop-input.js';
import { ensureGradients } from './gradients.js';

await tf.setBackend('cpu');
ensureGradients(tf as unknown as Tf);

/** Central differences of sum(f(x) * r) against tf.grads, in float32 (eps 1e-2, so tolerances are loose). */
function check(name: string, shape: number[], f: (x: tf.Tensor) => tf.Tensor): void {
  it(name, () => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
    const out = f(x);
    const r = tf.randomNormal(out.shape, 0, 1, 'float32', 8);
    const loss = (t: tf.Tensor) => tf.sum(tf.mul(f(t), r)) as tf.Scalar;
    const [g] = tf.grads((t: tf.Tensor) => loss(t))([x]);
    const analytic = g!.dataSync();
    const base = x.dataSync();
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += 1e-2;
      minus[i] -= 1e-2;
      const numeric =
        (loss(tf.tensor(plus, shape)).dataSync()[0]! - loss(tf.tensor(minus, shape)).dataSync()[0]!) / 2e-2;
      expect(analytic[i]).toBeCloseTo(numeric, 1);
    }
  });
}

describe('registered gradients (tfjs-core registers none in Node)', () => {
  it("conv2d filter gradient equals tfjs's own Conv2DBackpropFilter (stride 2, asymmetric pads)", () => {
    const x = tf.randomNormal([4, 9, 11, 3], 0, 1, 'float32', 1);
    const w = tf.randomNormal([3, 2, 3, 5], 0, 1, 'float32', 2);
    const pad = [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ] as [[number, number], [number, number], [number, number], [number, number]];
    const dy = tf.randomNormal([4, 4, 7, 5], 0, 1, 'float32', 3);
    const want = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: [2, 2],
      pad,
      dataFormat: 'NHWC',
      filterShape: [3, 2, 3, 5],
    } as never) as tf.Tensor;
    const [, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, pad), dy)),
    )([x, w]);
    expect(tf.max(tf.abs(tf.sub(dw!, want))).dataSync()[0]).toBeLessThan(1e-4);
  });
  check('conv2d input gradient', [2, 5, 5, 2], (x) =>
    tf.conv2d(x as tf.Tensor4D, tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 4) as tf.Tensor4D, 2, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]),
  );
  check('max pool', [1, 4, 4, 2], (x) =>
    tf.maxPool(x as tf.Tensor4D, 2, 2, [
      [0, 0],
      [0, 1],
      [0, 1],
      [0, 0],
    ]),
  );
  check('avg pool, padded cells not counted (as the forward)', [1, 4, 4, 2], (x) =>
    tf.avgPool(x as tf.Tensor4D, 3, 2, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]),
  );
  check('matMul with transposes and broadcast add', [3, 4], (x) =>
    tf.add(tf.matMul(x, tf.randomNormal([5, 4], 0, 1, 'float32', 5), false, true), tf.ones([5])),
  );
  check('softmax pieces: max, exp, sum, div, sub', [2, 5], (x) =>
    tf.div(tf.exp(tf.sub(x, tf.max(x, 1, true))), tf.sum(tf.exp(tf.sub(x, tf.max(x, 1, true))), 1, true)),
  );
  check('mean, square, rsqrt (batch norm)', [4, 3], (x) =>
    tf.mul(tf.sub(x, tf.mean(x, 0)), tf.rsqrt(tf.add(tf.mean(tf.square(tf.sub(x, tf.mean(x, 0))), 0), 1e-3))),
  );
  check('concat, split, slice, pad, transpose, reshape', [2, 3, 4], (x) => {
    const [a, b] = tf.split(x, [1, 3], 2);
    const c = tf.concat(
      [
        tf.transpose(b!, [0, 2, 1]),
        tf.reshape(
          tf.pad(a!, [
            [0, 0],
            [0, 0],
            [1, 1],
          ]),
          [2, 3, 3],
        ),
      ],
      2,
    );
    return tf.slice(c, [0, 1, 1], [2, 2, 3]);
  });
  check('sigmoid, tanh, leaky relu, relu, clip, maximum, minimum, where', [6], (x) =>
    tf.stack([
      tf.sigmoid(x),
      tf.tanh(x),
      tf.leakyRelu(x, 0.1),
      tf.relu(x),
      tf.clipByValue(x, -0.5, 0.5),
      tf.maximum(x, 0.2),
      tf.minimum(x, 0.2),
      tf.where(tf.greater(x, 0), x, tf.mul(x, 3)),
    ]),
  );
});

describe('registered gradients for upsampling (UNet decoders)', () => {
  it("conv2dBackpropInput (a forward conv2d) equals tfjs's Conv2DBackpropInput kernel", () => {
    type Shape4 = [number, number, number, number];
    const cases: [Shape4, Shape4, [number, number], Parameters<typeof conv2dBackpropInput>[5]][] = [
      [[2, 6, 7, 3], [3, 3, 3, 4], [1, 1], 'same'],
      [[2, 6, 7, 3], [3, 3, 3, 4], [2, 2], 'same'],
      [[2, 7, 6, 3], [3, 2, 3, 4], [2, 3], 'valid'],
      [[1, 5, 5, 2], [2, 2, 2, 3], [1, 1], 3],
      [
        [1, 8, 9, 2],
        [3, 3, 2, 3],
        [2, 2],
        [
          [0, 0],
          [1, 0],
          [2, 1],
          [0, 0],
        ],
      ],
    ];
    for (const [xShape, wShape, strides, pad] of cases) {
      const w = tf.randomNormal(wShape, 0, 1, 'float32', 21);
      const y = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w as tf.Tensor4D, strides, pad as 'valid');
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 22);
      const want = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
        strides,
        pad,
        dataFormat: 'NHWC',
        inputShape: xShape,
      } as never) as tf.Tensor;
      const got = conv2dBackpropInput(tf as unknown as Tf, dy, w, xShape, strides, pad);
      expect(got.shape).toEqual(xShape);
      expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBeLessThan(1e-4);
    }
  });
  check('conv2d input gradient (same, stride 2, even size: asymmetric pads)', [2, 6, 6, 2], (x) =>
    tf.conv2d(x as tf.Tensor4D, tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 4) as tf.Tensor4D, 2, 'same'),
  );
  check('conv2d input gradient (padding larger than the kernel)', [1, 4, 5, 2], (x) =>
    tf.conv2d(x as tf.Tensor4D, tf.randomNormal([2, 2, 2, 3], 0, 1, 'float32', 4) as tf.Tensor4D, 1, 3),
  );
  const w = () => tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 11);
  const x = () => tf.randomNormal([2, 3, 4, 4], 0, 1, 'float32', 12);
  check('conv2dTranspose input gradient (stride 2, Conv2DBackpropInput)', [2, 3, 4, 4], (t) =>
    tf.conv2dTranspose(t as tf.Tensor4D, w() as tf.Tensor4D, [2, 7, 9, 2], 2, 'valid'),
  );
  check('conv2dTranspose filter gradient (stride 2)', [3, 3, 2, 4], (t) =>
    tf.conv2dTranspose(x() as tf.Tensor4D, t as tf.Tensor4D, [2, 7, 9, 2], 2, 'valid'),
  );
  check('conv2dTranspose filter gradient (stride 1, same)', [3, 3, 2, 4], (t) =>
    tf.conv2dTranspose(x() as tf.Tensor4D, t as tf.Tensor4D, [2, 3, 4, 2], 1, 'same'),
  );
  check('gather along an axis with repeated and skipped indices (GatherV2)', [2, 5, 3], (t) =>
    tf.gather(t, tf.tensor1d([4, 0, 0, 2, 4, 4], 'int32'), 1),
  );
});
