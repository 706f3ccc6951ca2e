import { type CompiledModel, type CompileOptions, DTypeError, describeValue, ShapeError, Tensor } from '@striate/core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { io, Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { modelSource } from '#runtime-platform';
import { readDevice, requireDevice } from './backend.js';
import { type TfjsDevice, withDevice } from './internal/runtime.js';

/**
 * Where a TF.js graph model comes from: in Node a path to `model.json` on the file system (its weight files
 * beside it), in a browser (`@striate/backend-tfjs/web`) the URL of `model.json`, fetched with its weights by
 * tfjs-converter; anywhere a tfjs `io.IOHandler` (e.g. `tf.io.fromMemory(...)`).
 */
export type TfjsModelSource = string | io.IOHandler;

function checkSource(source: unknown): asserts source is TfjsModelSource {
  if (typeof source === 'string' ? source.length > 0 : typeof (source as io.IOHandler | null)?.load === 'function')
    return;
  throw new TypeError(
    `source: expected a model.json path (Node) or URL (browser), or a tfjs IOHandler with load(), got ${describeValue(source)}`,
  );
}

interface InputSpec {
  readonly name: string;
  readonly shape: readonly (number | null)[] | null;
  readonly dtype: string;
}

/**
 * A TF.js graph model (model.json + weights, as tfjs-converter writes them) loaded from files, a URL or an IOHandler
 * (see `TfjsModelSource`) and run through the
 * same interface as a compiled striate graph: named striate Tensors in, named striate Tensors out. The tensors are
 * laid out as the model expects (TF.js models are NHWC). Owns its weights until `dispose()`.
 */
export class TfjsGraphModel implements CompiledModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly device: TfjsDevice;
  private _providers: readonly string[];
  private model: GraphModel | null;
  private readonly specs: readonly InputSpec[];

  private constructor(model: GraphModel, device: TfjsDevice) {
    this.model = model;
    this.device = device;
    this._providers = Object.freeze([device]);
    this.specs = model.inputs.map((i) => ({ name: i.name, shape: i.shape ?? null, dtype: i.dtype }));
    this.inputNames = Object.freeze(this.specs.map((s) => s.name));
    this.outputNames = Object.freeze([...model.outputNodes]);
  }

  /** Loads `model.json` and its weights (a path in Node, a URL in a browser, or an IOHandler) onto a tfjs device (default 'cpu'). */
  static async load(source: TfjsModelSource, options?: CompileOptions): Promise<TfjsGraphModel> {
    const device = readDevice(options);
    checkSource(source);
    const handler = typeof source === 'string' ? await modelSource(source) : source;
    await requireDevice(device);
    const converter = await import('@tensorflow/tfjs-converter');
    const model = await withDevice(device, () => converter.loadGraphModel(handler));
    return new TfjsGraphModel(model, device);
  }

  get providers(): readonly string[] {
    return this._providers;
  }

  private check(feeds: Readonly<Record<string, Tensor>>): void {
    if (typeof feeds !== 'object' || feeds === null || feeds instanceof Tensor || Array.isArray(feeds)) {
      throw new TypeError(`feeds: expected an object mapping input names to Tensors, got ${describeValue(feeds)}`);
    }
    for (const key of Object.keys(feeds)) {
      if (!this.inputNames.includes(key)) {
        throw new RangeError(
          `feeds: unexpected input ${JSON.stringify(key)}; the inputs are ${describeValue(this.inputNames)}`,
        );
      }
    }
    for (const spec of this.specs) {
      const t = feeds[spec.name];
      if (t === undefined)
        throw new RangeError(
          `feeds: missing input ${JSON.stringify(spec.name)}; the inputs are ${describeValue(this.inputNames)}`,
        );
      if (!(t instanceof Tensor)) throw new TypeError(`feeds.${spec.name}: expected a Tensor, got ${describeValue(t)}`);
      const want = spec.dtype === 'int32' ? 'int32' : 'float32';
      if (t.dtype !== want) throw new DTypeError(`feeds.${spec.name}: expected dtype ${want}, got ${t.dtype}`);
      const shape = spec.shape;
      if (shape && (shape.length !== t.rank || shape.some((d, i) => d !== null && d >= 0 && d !== t.shape[i]))) {
        throw new ShapeError(
          `feeds.${spec.name}: expected shape [${shape.map((d) => (d === null || d < 0 ? '?' : d)).join(', ')}] (NHWC, as the model expects), got [${t.shape.join(', ')}]`,
        );
      }
    }
  }

  async run(feeds: Readonly<Record<string, Tensor>>): Promise<Record<string, Tensor>> {
    if (!this.model) throw new Error('TfjsGraphModel: run() called after dispose()');
    this.check(feeds);
    return withDevice(this.device, async (tf) => {
      const model = this.model;
      if (!model) throw new Error('TfjsGraphModel: the model was disposed before its run started');
      this._providers = Object.freeze([tf.getBackend()]);
      const inputs: Record<string, TfTensor> = {};
      let outs: TfTensor[] = [];
      try {
        for (const spec of this.specs) {
          const t = feeds[spec.name]!;
          inputs[spec.name] = tf.tensor(
            t.data as Float32Array | Int32Array,
            [...t.shape],
            t.dtype as 'float32' | 'int32',
          );
        }
        const names = [...this.outputNames];
        let result: TfTensor | TfTensor[];
        try {
          // execute() when the graph has no control flow (executeAsync would print a hint saying so).
          result = model.execute(inputs, names);
        } catch (e) {
          if (!/executeAsync/.test(String((e as Error).message))) throw e;
          result = await model.executeAsync(inputs, names);
        }
        outs = Array.isArray(result) ? result : [result];
        const out: Record<string, Tensor> = {};
        for (const [i, name] of this.outputNames.entries()) {
          const t = outs[i]!;
          const data = await t.data();
          out[name] =
            t.dtype === 'int32'
              ? new Tensor('int32', [...t.shape], Int32Array.from(data as Int32Array))
              : new Tensor('float32', [...t.shape], Float32Array.from(data as Float32Array));
        }
        return out;
      } finally {
        for (const t of [...Object.values(inputs), ...outs]) t.dispose();
      }
    });
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/**
 * tfjs-converter's `loadGraphModel`: a TF.js graph model as a compiled model (see `TfjsGraphModel`), from a
 * `model.json` path in Node, its URL in a browser, or an IOHandler anywhere.
 */
export function loadTfjsGraphModel(source: TfjsModelSource, options?: CompileOptions): Promise<TfjsGraphModel> {
  return TfjsGraphModel.load(source, options);
}
