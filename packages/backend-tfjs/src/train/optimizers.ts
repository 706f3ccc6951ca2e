import type { Tensor as TfTensor, Variable } from '@tensorflow/tfjs-core';
import type { Tf } from '../internal/runtime.js';

/** Optimizer settings, PyTorch's semantics (torch.optim.SGD / torch.optim.Adam, L2 weight decay added to grads). */
export type OptimizerOptions =
  | {
      readonly type: 'sgd';
      readonly lr: number;
      readonly momentum?: number;
      readonly weightDecay?: number;
      readonly nesterov?: boolean;
    }
  | {
      readonly type: 'adam';
      readonly lr: number;
      readonly betas?: readonly [number, number];
      readonly eps?: number;
      readonly weightDecay?: number;
    };

/** One step over the trainable variables, each with its own learning rate (per-group rates). */
export interface Optimizer {
  step(
    tf: Tf,
    grads: Readonly<Record<string, TfTensor>>,
    vars: ReadonlyMap<string, Variable>,
    lrOf: (name: string) => number,
  ): void;
  dispose(): void;
}

function checkNumber(v: unknown, name: string, low: number, high: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < low || v > high) {
    throw new RangeError(`${name}: expected a number in [${low}, ${high}], got ${String(v)}`);
  }
  return v;
}

export function createOptimizer(options: OptimizerOptions): Optimizer {
  if (typeof options !== 'object' || options === null) throw new TypeError('options.optimizer: expected an object');
  checkNumber(options.lr, 'options.optimizer.lr', 0, Number.MAX_VALUE);
  const wd = checkNumber(options.weightDecay ?? 0, 'options.optimizer.weightDecay', 0, Number.MAX_VALUE);
  const state = new Map<string, Variable[]>();
  const slot = (tf: Tf, name: string, v: Variable, count: number): Variable[] => {
    let s = state.get(name);
    if (!s) {
      s = Array.from({ length: count }, () => {
        const zeros = tf.zerosLike(v);
        const variable = tf.variable(zeros, false);
        zeros.dispose();
        return variable;
      });
      state.set(name, s);
    }
    return s;
  };
  let t = 0;
  if (options.type === 'sgd') {
    const momentum = checkNumber(options.momentum ?? 0, 'options.optimizer.momentum', 0, 1);
    const nesterov = options.nesterov ?? false;
    const started = new Set<string>();
    return {
      step(tf, grads, vars, lrOf) {
        tf.tidy(() => {
          for (const [name, g0] of Object.entries(grads)) {
            const v = vars.get(name)!;
            let g = wd > 0 ? tf.add(g0, tf.mul(v, wd)) : g0;
            if (momentum > 0) {
              const [buf] = slot(tf, name, v, 1) as [Variable];
              // torch: the first step's buffer is the gradient itself (no dampening here).
              buf.assign(started.has(name) ? tf.add(tf.mul(buf, momentum), g) : g);
              started.add(name);
              g = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
            }
            v.assign(tf.sub(v, tf.mul(g, lrOf(name))));
          }
        });
      },
      dispose() {
        for (const s of state.values()) for (const v of s) v.dispose();
        state.clear();
      },
    };
  }
  if (options.type !== 'adam') {
    throw new RangeError(
      `options.optimizer.type: expected 'sgd' or 'adam', got ${JSON.stringify((options as { type: unknown }).type)}`,
    );
  }
  const [b1, b2] = options.betas ?? [0.9, 0.999];
  checkNumber(b1, 'options.optimizer.betas[0]', 0, 1);
  checkNumber(b2, 'options.optimizer.betas[1]', 0, 1);
  const eps = checkNumber(options.eps ?? 1e-8, 'options.optimizer.eps', 0, 1);
  return {
    step(tf, grads, vars, lrOf) {
      t += 1;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      tf.tidy(() => {
        for (const [name, g0] of Object.entries(grads)) {
          const v = vars.get(name)!;
          const g = wd > 0 ? tf.add(g0, tf.mul(v, wd)) : g0;
          const [m, s] = slot(tf, name, v, 2) as [Variable, Variable];
          m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
          s.assign(tf.add(tf.mul(s, b2), tf.mul(tf.square(g), 1 - b2)));
          const denom = tf.add(tf.div(tf.sqrt(s), Math.sqrt(c2)), eps);
          v.assign(tf.sub(v, tf.mul(tf.div(m, denom), lrOf(name) / c1)));
        }
      });
    },
    dispose() {
      for (const s of state.values()) for (const v of s) v.dispose();
      state.clear();
    },
  };
}
