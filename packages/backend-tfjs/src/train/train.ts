import {
  BatchNorm2d,
  DataError,
  DTypeError,
  describeValue,
  type Graph,
  type Module,
  ShapeError,
  StriateError,
  Tensor,
} from '@striate/core';
import type { Scalar, Tensor as TfTensor, Variable } from '@tensorflow/tfjs-core';
import { readDevice, requireDevice } from '../backend.js';
import { type Tf, type TfjsDevice, withDevice } from '../internal/runtime.js';
import { ensureGradients } from './gradients.js';
import { createOptimizer, type OptimizerOptions } from './optimizers.js';
import { type LrSchedule, lrFactor } from './schedules.js';
import { type BatchStats, TrainGraph } from './train-graph.js';

/** Training stopped because the loss stopped being a finite number. */
export class TrainingDivergedError extends StriateError {
  constructor(message: string) {
    super('ERR_TRAINING_DIVERGED', message);
  }
}

/**
 * Samples: `inputs` [N, ...] float32 (NCHW images); `targets` class indices (int32/int64) — [N] for logits [N, C],
 * or [N, H, W] (any trailing dims) for per-pixel logits [N, C, H, W] — or float32 [N, ...] for mse.
 */
export interface TrainData {
  readonly inputs: Tensor;
  readonly targets: Tensor;
}

/**
 * 'cross-entropy': softmax cross-entropy on logits [N, C] with class indices [N], or per element on [N, C, d1, ...]
 * with class indices [N, d1, ...] (PyTorch's CrossEntropyLoss, mean over all elements); 'mse': mean squared error.
 */
export type LossName = 'cross-entropy' | 'mse';

export interface ParamGroup {
  /** Parameter-name pattern, `*` matching anything (`features.*`). The first matching group applies. */
  readonly pattern: string;
  /** Multiplies the optimizer's rate for these parameters (e.g. 0.1 to fine-tune a backbone). */
  readonly lrScale: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly lr: number;
  /** Mean training loss over the epoch's batches. */
  readonly loss: number;
  /** Training accuracy (cross-entropy only; per pixel for dense targets), measured on the batches as trained. */
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  readonly ms: number;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerOptions;
  readonly loss: LossName;
  /**
   * Cross-entropy only: a weight per class, as PyTorch's CrossEntropyLoss(weight): the loss is
   * sum(w[target] * nll) / sum(w[target]) (e.g. to count a rare foreground class more).
   */
  readonly classWeights?: readonly number[];
  /** tfjs device (default 'cpu'). */
  readonly device?: TfjsDevice;
  readonly schedule?: LrSchedule;
  /** Seed of the shuffle and of Dropout (default 0). */
  readonly seed?: number;
  /** Parameter-name patterns to freeze (`features.*`); parameters with requiresGrad false are frozen too. */
  readonly freeze?: readonly string[];
  readonly paramGroups?: readonly ParamGroup[];
  /** Evaluated (eval mode) after each epoch. */
  readonly validation?: TrainData;
  readonly onEpoch?: (report: EpochReport) => void;
  readonly onBatch?: (progress: { epoch: number; batch: number; batches: number; loss: number }) => void;
}

export interface TrainResult {
  readonly history: readonly EpochReport[];
}

export const patternToRegExp = (p: string): RegExp =>
  new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

function checkPositiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`${name}: expected an integer >= 1, got ${describeValue(v)}`);
  return v;
}

function checkData(data: TrainData, name: string, loss: LossName): Int32Array | null {
  if (
    typeof data !== 'object' ||
    data === null ||
    !(data.inputs instanceof Tensor) ||
    !(data.targets instanceof Tensor)
  ) {
    throw new TypeError(`${name}: expected { inputs: Tensor, targets: Tensor }, got ${describeValue(data)}`);
  }
  const n = data.inputs.shape[0] ?? 0;
  if (data.inputs.rank < 2 || n === 0)
    throw new DataError(
      `${name}.inputs: expected a non-empty batch [N, ...], got shape [${data.inputs.shape.join(', ')}]`,
    );
  if (data.inputs.dtype !== 'float32')
    throw new DTypeError(`${name}.inputs: expected float32, got ${data.inputs.dtype}`);
  if (data.targets.shape[0] !== n) {
    throw new ShapeError(
      `${name}.targets: expected ${n} targets (one per input), got shape [${data.targets.shape.join(', ')}]`,
    );
  }
  if (loss === 'cross-entropy') {
    if (data.targets.dtype !== 'int64' && data.targets.dtype !== 'int32') {
      throw new DTypeError(
        `${name}.targets: cross-entropy needs class indices, int64 or int32 of shape [N] or [N, H, W], got ${data.targets.dtype} [${data.targets.shape.join(', ')}]`,
      );
    }
    return Int32Array.from(data.targets.data as BigInt64Array | Int32Array, Number);
  }
  if (data.targets.dtype !== 'float32')
    throw new DTypeError(`${name}.targets: mse needs float32 targets, got ${data.targets.dtype}`);
  return null;
}

/** Traces the module with Dropout in training form and BatchNorm in the IR's inference form (trained here). */
function traceForTraining(module: Module, sample: readonly number[]): Graph {
  const flags = [...module.namedModules()].map(([, m]) => [m, m.training] as const);
  try {
    module.train();
    for (const [m] of flags) if (m instanceof BatchNorm2d) m.training = false;
    return module.toGraph({ inputs: { input: ['N', ...sample] }, mode: 'preserve' });
  } finally {
    for (const [m, t] of flags) m.training = t;
  }
}

function gatherRows<T extends Float32Array | Int32Array>(
  src: T,
  rowSize: number,
  idx: ArrayLike<number>,
  from: number,
  to: number,
): T {
  const out = new (src.constructor as new (n: number) => T)((to - from) * rowSize);
  for (let i = from; i < to; i++)
    out.set(src.subarray(idx[i]! * rowSize, (idx[i]! + 1) * rowSize), (i - from) * rowSize);
  return out;
}

function lossOf(
  tf: Tf,
  loss: LossName,
  output: TfTensor,
  target: TfTensor,
  classWeights: readonly number[] | undefined,
): Scalar {
  if (loss === 'mse') return tf.mean(tf.square(tf.sub(output, target))) as Scalar;
  const classes = output.shape[1]!;
  // Dense logits [N, C, ...]: classes last, one row per element (tfjs's logSoftmax works on the last axis).
  const rows =
    output.rank > 2
      ? tf.reshape(tf.transpose(output, [0, ...output.shape.slice(2).map((_, i) => i + 2), 1]), [-1, classes])
      : output;
  const logp = tf.logSoftmax(rows);
  const onehot = tf.oneHot(tf.reshape(target, [-1]) as never, classes);
  if (!classWeights) return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as Scalar;
  const w = tf.sum(tf.mul(onehot, tf.tensor1d([...classWeights], 'float32')), 1);
  return tf.neg(tf.div(tf.sum(tf.mul(w, tf.sum(tf.mul(onehot, logp), 1))), tf.sum(w))) as Scalar;
}

/** Correct predictions (argmax over the class axis 1) in a batch, as an int32 scalar. */
const hitsOf = (tf: Tf, output: TfTensor, target: TfTensor): TfTensor =>
  tf.sum(tf.cast(tf.equal(tf.argMax(output, 1), target), 'int32'));

/** A permutation of 0..n-1 from a seed (xorshift-based Fisher-Yates; the same order on every machine). */
function permutation(n: number, seed: number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Trains `module` in place on tfjs (see README): mini-batches in a seeded order, SGD (momentum, weight decay) or
 * Adam, cross-entropy (softmax) or MSE, BatchNorm with batch statistics (running statistics updated as PyTorch
 * does), Dropout active; frozen and per-group rates by parameter name. The module's parameters and buffers are
 * written back only when training completes; on an error (a NaN loss, bad data) the module is left as it was.
 */
export async function train(module: Module, data: TrainData, options: TrainOptions): Promise<TrainResult> {
  if (typeof module !== 'object' || module === null || typeof (module as Module).toGraph !== 'function') {
    throw new TypeError(`module: expected a Module, got ${describeValue(module)}`);
  }
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  const epochs = checkPositiveInt(options.epochs, 'options.epochs');
  const batchSize = checkPositiveInt(options.batchSize, 'options.batchSize');
  if (options.loss !== 'cross-entropy' && options.loss !== 'mse') {
    throw new RangeError(`options.loss: expected 'cross-entropy' or 'mse', got ${describeValue(options.loss)}`);
  }
  if (options.classWeights !== undefined && options.loss !== 'cross-entropy') {
    throw new RangeError(`options.classWeights: only for loss 'cross-entropy', the loss is '${options.loss}'`);
  }
  const labels = checkData(data, 'data', options.loss);
  const valLabels = options.validation ? checkData(options.validation, 'options.validation', options.loss) : null;
  const device = readDevice({ device: options.device ?? 'cpu' });
  const optimizer = createOptimizer(options.optimizer);
  lrFactor(options.schedule, 0, epochs, options.optimizer.lr);
  const graph = traceForTraining(module, data.inputs.shape.slice(1));
  const outShape = graph.outputs[0]!.shape;
  if (labels) {
    const classes = outShape[1];
    const dense = data.targets.shape.slice(1);
    if (
      outShape.length !== dense.length + 2 ||
      typeof classes !== 'number' ||
      JSON.stringify(outShape.slice(2)) !== JSON.stringify(dense)
    ) {
      const want = dense.length === 0 ? '[N, C]' : `[N, C, ${dense.join(', ')}]`;
      throw new ShapeError(
        `module: cross-entropy with targets [${data.targets.shape.join(', ')}] needs logits ${want}, the module outputs [${outShape.join(', ')}]`,
      );
    }
    const cw = options.classWeights;
    if (
      cw !== undefined &&
      (!Array.isArray(cw) ||
        cw.length !== classes ||
        cw.some((v) => typeof v !== 'number' || !(v >= 0) || v === Infinity))
    ) {
      throw new RangeError(
        `options.classWeights: expected ${classes} finite weights >= 0 (one per class), got ${describeValue(cw)}`,
      );
    }
    if (options.validation && JSON.stringify(options.validation.targets.shape.slice(1)) !== JSON.stringify(dense)) {
      throw new ShapeError(
        `options.validation.targets: expected [N, ${dense.join(', ')}] as data.targets, got [${options.validation.targets.shape.join(', ')}]`,
      );
    }
    for (const [name, ls] of [
      ['data', labels],
      ['options.validation', valLabels],
    ] as const) {
      const bad = ls ? ls.findIndex((l) => l < 0 || l >= classes) : -1;
      if (bad >= 0)
        throw new RangeError(
          `${name}.targets[${bad}]: label ${ls![bad]} is outside [0, ${classes}) (the model has ${classes} classes)`,
        );
    }
  } else if (JSON.stringify(outShape.slice(1)) !== JSON.stringify(data.targets.shape.slice(1))) {
    throw new ShapeError(
      `data.targets: expected [N, ${outShape.slice(1).join(', ')}] to match the module's output, got [${data.targets.shape.join(', ')}]`,
    );
  }
  const freeze = (options.freeze ?? []).map(patternToRegExp);
  const groups = (options.paramGroups ?? []).map((g) => ({ re: patternToRegExp(g.pattern), scale: g.lrScale }));
  const params = new Map(module.namedParameters());
  const state = module.stateDict();
  const momenta = new Map<string, number | null>();
  for (const [path, m] of module.namedModules()) if (m instanceof BatchNorm2d) momenta.set(path, m.momentum);
  const tracked = new Map<string, number>();
  for (const [name, t] of state) if (name.endsWith('num_batches_tracked')) tracked.set(name, Number(t.data[0]));
  await requireDevice(device);

  const uid = Math.random().toString(36).slice(2, 10);
  const vars = new Map<string, Variable>();
  const trainable = new Set<string>();
  let tg: TrainGraph | null = null;
  const history: EpochReport[] = [];
  try {
    await withDevice(device, (tf) => {
      ensureGradients(tf);
      for (const [name, t] of state) {
        if (t.dtype !== 'float32') continue;
        const p = params.get(name);
        const isTrainable = !!p && p.requiresGrad && !freeze.some((re) => re.test(name));
        if (isTrainable) trainable.add(name);
        const initial = tf.tensor(t.data as Float32Array, [...t.shape]);
        vars.set(name, tf.variable(initial, isTrainable, `${name}#${uid}`));
        initial.dispose();
      }
      tg = new TrainGraph(tf, graph, vars, (path) => momenta.get(path) ?? 0.1);
    });
    const n = data.inputs.shape[0]!;
    const rowSize = data.inputs.size / n;
    const sample = data.inputs.shape.slice(1);
    const targetRow = data.targets.size / n;
    const batches = Math.ceil(n / batchSize);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const start = performance.now();
      const lr = options.optimizer.lr * lrFactor(options.schedule, epoch, epochs, options.optimizer.lr);
      const lrOf = (name: string): number => lr * (groups.find((g) => g.re.test(name))?.scale ?? 1);
      const order = permutation(n, (options.seed ?? 0) * 1000003 + epoch);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        const from = b * batchSize;
        const to = Math.min(n, from + batchSize);
        const x = gatherRows(data.inputs.data as Float32Array, rowSize, order, from, to);
        const y = labels
          ? gatherRows(labels, targetRow, order, from, to)
          : gatherRows(data.targets.data as Float32Array, targetRow, order, from, to);
        const step = await withDevice(device, async (tf) => {
          let stats: BatchStats[] = [];
          let hits: TfTensor | null = null;
          const xs = tf.tensor(x, [to - from, ...sample]);
          const ys = tf.tensor(y, [to - from, ...data.targets.shape.slice(1)], labels ? 'int32' : 'float32');
          const varList = [...trainable].map((k) => vars.get(k)!);
          const { value, grads } = tf.variableGrads(() => {
            const r = tg!.forward(xs, true, epoch * 100003 + b);
            stats = r.stats;
            if (labels) hits = tf.keep(hitsOf(tf, r.output, ys));
            return lossOf(tf, options.loss, r.output, ys, options.classWeights);
          }, varList);
          try {
            const lossValue = (await value.data())[0]!;
            if (!Number.isFinite(lossValue)) {
              throw new TrainingDivergedError(
                `train: the loss became ${lossValue} at epoch ${epoch + 1}, batch ${b + 1} of ${batches} (step ${epoch * batches + b + 1}); lower the learning rate or check the data`,
              );
            }
            const byState: Record<string, TfTensor> = {};
            for (const name of trainable) byState[name] = grads[`${name}#${uid}`]!;
            optimizer.step(tf, byState, vars, lrOf);
            tf.tidy(() => {
              for (const s of stats) {
                const key = s.meanName.replace(/running_mean$/, 'num_batches_tracked');
                const count = (tracked.get(key) ?? 0) + 1;
                tracked.set(key, count);
                const m = s.momentum ?? 1 / count;
                const rm = vars.get(s.meanName)!;
                const rv = vars.get(s.varName)!;
                rm.assign(tf.add(tf.mul(rm, 1 - m), tf.mul(s.mean, m)));
                rv.assign(tf.add(tf.mul(rv, 1 - m), tf.mul(s.variance, m)));
              }
            });
            return { loss: lossValue, hits: hits ? (await (hits as TfTensor).data())[0]! : 0 };
          } finally {
            tf.dispose([xs, ys, value, ...Object.values(grads), ...(hits ? [hits] : [])]);
            for (const s of stats) tf.dispose([s.mean, s.variance]);
          }
        });
        lossSum += step.loss * (to - from);
        correct += step.hits;
        options.onBatch?.({ epoch: epoch + 1, batch: b + 1, batches, loss: step.loss });
      }
      let report: EpochReport = {
        epoch: epoch + 1,
        epochs,
        lr,
        loss: lossSum / n,
        ...(labels ? { accuracy: correct / labels.length } : {}),
        ms: 0,
      };
      if (options.validation) {
        const v = await evaluateWith(device, tg!, options.validation, valLabels, options, batchSize);
        report = { ...report, valLoss: v.loss, ...(v.accuracy !== undefined ? { valAccuracy: v.accuracy } : {}) };
      }
      report = { ...report, ms: performance.now() - start };
      history.push(report);
      options.onEpoch?.(report);
    }
    // Success: write the trained parameters and running statistics back into the module.
    const out = new Map<string, Tensor>();
    await withDevice(device, async () => {
      for (const [name, t] of state) {
        const v = vars.get(name);
        if (v) out.set(name, new Tensor('float32', [...t.shape], (await v.data()) as Float32Array));
        else if (tracked.has(name))
          out.set(name, new Tensor('int64', [...t.shape], BigInt64Array.from([BigInt(tracked.get(name)!)])));
        else out.set(name, t);
      }
    });
    module.loadStateDict(out);
    return { history };
  } finally {
    await withDevice(device, () => {
      (tg as TrainGraph | null)?.dispose();
      for (const v of vars.values()) v.dispose();
      optimizer.dispose();
    });
  }
}

async function evaluateWith(
  device: TfjsDevice,
  tg: TrainGraph,
  data: TrainData,
  labels: Int32Array | null,
  options: TrainOptions,
  batchSize: number,
): Promise<{ loss: number; accuracy?: number }> {
  const n = data.inputs.shape[0]!;
  const rowSize = data.inputs.size / n;
  const targetRow = data.targets.size / n;
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  let lossSum = 0;
  let correct = 0;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const r = await withDevice(device, async (tf) => {
      const [l, c] = tf.tidy(() => {
        const xs = tf.tensor(gatherRows(data.inputs.data as Float32Array, rowSize, idx, from, to), [
          to - from,
          ...data.inputs.shape.slice(1),
        ]);
        const ys = labels
          ? tf.tensor(
              labels.subarray(from * targetRow, to * targetRow),
              [to - from, ...data.targets.shape.slice(1)],
              'int32',
            )
          : tf.tensor(gatherRows(data.targets.data as Float32Array, targetRow, idx, from, to), [
              to - from,
              ...data.targets.shape.slice(1),
            ]);
        const { output } = tg.forward(xs, false, 0);
        const hits = labels ? hitsOf(tf, output, ys) : tf.scalar(0, 'int32');
        return [lossOf(tf, options.loss, output, ys, options.classWeights), hits];
      });
      try {
        return { loss: (await l.data())[0]!, hits: (await c.data())[0]! };
      } finally {
        tf.dispose([l, c]);
      }
    });
    lossSum += r.loss * (to - from);
    correct += r.hits;
  }
  return { loss: lossSum / n, ...(labels ? { accuracy: correct / labels.length } : {}) };
}
