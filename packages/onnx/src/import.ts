/**
 * `importOnnx`: an ONNX model (opsets 7 to 22 of the default domain; the shared models use 9 to 12) as a striate
 * Graph. Shape sub-graphs are folded into constants, older opsets' forms are rewritten into opset 17's, and every
 * node is checked by core's shape inference. An op striate cannot take raises UnsupportedOpError naming the op, the
 * node and the opset; malformed bytes or an inconsistent model raise DataError.
 */
import {
  DataError,
  type Dim,
  describeValue,
  type Graph,
  StriateError,
  UnsupportedOpError,
  type ValueInfo,
} from '@striate/core';
import type { onnx as O } from 'onnx-proto';
import { decodeAttrs, type NodeCtx } from './import-attrs.js';
import { Importer } from './import-context.js';
import { NN_CONVERTERS } from './import-ops-nn.js';
import { type Converter, SHAPE_CONVERTERS } from './import-ops-shape.js';
import { type Int64Like, onnx, toNum } from './proto.js';
import { dtypeOfOnnx, tensorFromProto } from './tensor-proto.js';

export interface ImportOnnxOptions {
  /** Overrides of graph input shapes, e.g. `{ input: [1, 3, 240, 320] }`, so shape sub-graphs can be folded. */
  readonly inputShapes?: Readonly<Record<string, readonly Dim[]>>;
}

export const MIN_IMPORT_OPSET = 7;
export const MAX_IMPORT_OPSET = 22;

const CONVERTERS: Readonly<Record<string, Converter>> = { ...SHAPE_CONVERTERS, ...NN_CONVERTERS };

/** The ONNX op types importOnnx takes. */
export const IMPORTABLE_OPS: readonly string[] = Object.freeze(Object.keys(CONVERTERS).sort());

function checkOptions(options: unknown): ImportOnnxOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  }
  const shapes = (options as ImportOnnxOptions).inputShapes;
  if (shapes !== undefined) {
    if (typeof shapes !== 'object' || shapes === null) {
      throw new TypeError(`options.inputShapes: expected a record of shapes, got ${describeValue(shapes)}`);
    }
    for (const [k, s] of Object.entries(shapes)) {
      const ok =
        Array.isArray(s) &&
        s.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || (typeof d === 'string' && d !== ''));
      if (!ok) throw new TypeError(`options.inputShapes.${k}: expected an array of dims, got ${describeValue(s)}`);
    }
  }
  return options as ImportOnnxOptions;
}

function defaultOpset(model: O.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => o.domain === '' || o.domain === 'ai.onnx' || !o.domain);
  if (!entry) throw new DataError('importOnnx: the model imports no opset of the default ONNX domain');
  const opset = toNum(entry.version as Int64Like);
  if (opset < MIN_IMPORT_OPSET || opset > MAX_IMPORT_OPSET) {
    throw new UnsupportedOpError(
      'opset',
      `importOnnx: default-domain opset ${opset} is outside the supported ${MIN_IMPORT_OPSET} to ${MAX_IMPORT_OPSET}`,
    );
  }
  return opset;
}

function graphInput(v: O.IValueInfoProto, override: readonly Dim[] | undefined): ValueInfo {
  const name = v.name ?? '';
  const tt = v.type?.tensorType;
  if (!name || !tt) throw new DataError(`importOnnx: graph input ${describeValue(name)} is not a tensor`);
  const dtype = dtypeOfOnnx(tt.elemType ?? 0, `importOnnx: graph input ${JSON.stringify(name)}`);
  const dims = (tt.shape?.dim ?? []).map((d, i): Dim => {
    const param = d.dimParam ?? '';
    if (param) return param;
    const value = toNum(d.dimValue as Int64Like);
    return value > 0 ? value : `${name}_dim${i}`;
  });
  if (override && override.length !== dims.length) {
    throw new RangeError(
      `options.inputShapes.${name}: the model's input has rank ${dims.length}, got ${describeValue(override)}`,
    );
  }
  return { name, dtype, shape: override ? [...override] : dims };
}

function convert(model: O.IModelProto, options: ImportOnnxOptions): Graph {
  const g = model.graph;
  if (!g) throw new DataError('importOnnx: the model has no graph');
  const opset = defaultOpset(model);
  const imp = new Importer(opset);
  for (const [i, t] of (g.initializer ?? []).entries()) {
    if (!t.name) throw new DataError(`importOnnx: initializer ${i} has no name`);
    imp.setConst(t.name, tensorFromProto(t, 'importOnnx: initializer'));
  }
  const inputs = (g.input ?? [])
    .filter((v) => !imp.consts.has(v.name ?? ''))
    .map((v) => graphInput(v, options.inputShapes?.[v.name ?? '']));
  for (const v of inputs) {
    imp.reserve(v.name);
    imp.values.set(v.name, v);
  }
  for (const n of g.node ?? []) for (const o of n.output ?? []) if (o) imp.reserve(o);
  for (const [k, n] of (g.node ?? []).entries()) {
    const op = n.opType ?? '';
    const name = n.name || `${op}_${k}`;
    const where = `${name} (${op}, opset ${opset})`;
    if (n.domain && n.domain !== 'ai.onnx') {
      throw new UnsupportedOpError(op, `${where}: ops of domain ${JSON.stringify(n.domain)} are not supported`);
    }
    const converter = Object.hasOwn(CONVERTERS, op) ? CONVERTERS[op] : undefined;
    if (!converter) {
      throw new UnsupportedOpError(
        op,
        `${where}: ONNX op ${JSON.stringify(op)} is not supported by importOnnx (it takes ${IMPORTABLE_OPS.join(', ')})`,
      );
    }
    const ctx: NodeCtx = {
      imp,
      op,
      name,
      where,
      opset,
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: decodeAttrs(n.attribute ?? [], where),
    };
    if (ctx.outputs.length === 0 || !ctx.outputs[0]) throw new DataError(`${where}: the node has no output`);
    try {
      converter(ctx);
    } catch (error) {
      if (error instanceof UnsupportedOpError && !error.message.startsWith(where)) {
        throw new UnsupportedOpError(error.opType, `${where}: ${error.message}`, { cause: error });
      }
      if (error instanceof StriateError && !(error instanceof UnsupportedOpError) && !error.message.includes(name)) {
        throw new DataError(`${where}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  const outputs = (g.output ?? []).map((v): ValueInfo => {
    const name = v.name ?? '';
    if (imp.consts.has(name) && !imp.nodes.some((n) => n.outputs.includes(name))) {
      const src = imp.fresh(`${name}.constant`);
      imp.setConst(src, imp.consts.get(name)!);
      imp.emit('Identity', imp.freshNodeName(`${name}.identity`), [src], {}, [name]);
    }
    const info = imp.values.get(name);
    if (!info) throw new DataError(`importOnnx: graph output ${JSON.stringify(name)} is not produced by any node`);
    return info;
  });
  const used = new Set<string>([...inputs.map((v) => v.name), ...imp.initializers.keys()]);
  for (const n of imp.nodes) for (const o of n.outputs) used.add(o);
  const values = new Map([...imp.values].filter(([k]) => used.has(k)));
  return { name: g.name || 'onnx', inputs, outputs, nodes: imp.nodes, initializers: imp.initializers, values };
}

/** Reads ONNX model bytes into a striate Graph. */
export function importOnnx(bytes: Uint8Array, options?: ImportOnnxOptions): Graph {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes: expected a Uint8Array of an .onnx file, got ${describeValue(bytes)}`);
  }
  const opts = checkOptions(options);
  let model: O.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DataError(`importOnnx: the bytes (${bytes.length}) are not a valid ONNX model: ${why}`, { cause: error });
  }
  try {
    return convert(model, opts);
  } catch (error) {
    if (error instanceof UnsupportedOpError || error instanceof DataError) throw error;
    if (error instanceof RangeError && error.message.startsWith('options.')) throw error;
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new DataError(`importOnnx: the model is invalid: ${why}`, { cause: error });
  }
}
