/** ONNX AttributeProtos to IR attribute values, and the small readers the op converters share. */
import { type AttrValue, DataError, type OpType, type Tensor, UnsupportedOpError } from '@striate/core';
import type { onnx as O } from 'onnx-proto';
import { numbersOf } from './fold.js';
import type { Importer } from './import-context.js';
import { ATTR_TYPE, type Int64Like, toNum } from './proto.js';
import { tensorFromProto } from './tensor-proto.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeAttrs(attrs: readonly O.IAttributeProto[], where: string): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const a of attrs) {
    const name = a.name ?? '';
    let type = a.type ?? 0;
    if (type === 0) {
      // IR version 1 models may leave the type out: take the field that is set.
      if (a.ints?.length) type = ATTR_TYPE.INTS;
      else if (a.floats?.length) type = ATTR_TYPE.FLOATS;
      else if (a.t) type = ATTR_TYPE.TENSOR;
      else if (a.s?.length) type = ATTR_TYPE.STRING;
    }
    switch (type) {
      case ATTR_TYPE.FLOAT:
        out[name] = a.f ?? 0;
        break;
      case ATTR_TYPE.INT:
        out[name] = toNum(a.i as Int64Like);
        break;
      case ATTR_TYPE.STRING:
        out[name] = utf8.decode(a.s ?? new Uint8Array());
        break;
      case ATTR_TYPE.TENSOR:
        out[name] = tensorFromProto(a.t ?? {}, `${where}: attribute ${name}`);
        break;
      case ATTR_TYPE.FLOATS:
        out[name] = [...(a.floats ?? [])];
        break;
      case ATTR_TYPE.INTS:
        out[name] = (a.ints ?? []).map((v) => toNum(v as Int64Like));
        break;
      case ATTR_TYPE.STRINGS:
        out[name] = (a.strings ?? []).map((s) => utf8.decode(s));
        break;
      default:
        throw new DataError(
          `${where}: attribute ${JSON.stringify(name)} has type ${type}, which striate does not read`,
        );
    }
  }
  return out;
}

/** One ONNX node being converted. */
export interface NodeCtx {
  readonly imp: Importer;
  readonly op: string;
  readonly name: string;
  /** `name (Op, opset N)`, the prefix of every error about this node. */
  readonly where: string;
  readonly opset: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

export function unsupported(c: NodeCtx, message: string): UnsupportedOpError {
  return new UnsupportedOpError(c.op, `${c.where}: ${message}`);
}

export function input(c: NodeCtx, i: number): string {
  return c.inputs[i] ?? '';
}

/** The constant behind input i (initializer or folded value), if any. */
export function constIn(c: NodeCtx, i: number): Tensor | undefined {
  const name = input(c, i);
  return name === '' ? undefined : c.imp.consts.get(name);
}

export function requireConst(c: NodeCtx, i: number, what: string): Tensor {
  const t = constIn(c, i);
  if (!t) throw unsupported(c, `input ${i} (${what}) is computed at run time; striate needs it constant`);
  return t;
}

/** Whether every given input is a constant (so the node can be folded). */
export function allConst(c: NodeCtx): boolean {
  return c.inputs.length > 0 && c.inputs.every((n) => n === '' || c.imp.consts.has(n));
}

export const intsOf = (t: Tensor): number[] => numbersOf(t);

export function intAttr(c: NodeCtx, key: string, fallback: number): number {
  const v = c.attrs[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number') throw new DataError(`${c.where}: attribute ${key} should be an int`);
  return v;
}

export function intsAttr(c: NodeCtx, key: string): number[] | undefined {
  const v = c.attrs[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new DataError(`${c.where}: attribute ${key} should be a list of ints`);
  return v as number[];
}

/** The attributes in `keys` that are present. */
export function pick(c: NodeCtx, keys: readonly string[]): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const k of keys) if (c.attrs[k] !== undefined) out[k] = c.attrs[k]!;
  return out;
}

/** Emits one IR node for this ONNX node, producing its first output. */
export function emit1(
  c: NodeCtx,
  op: OpType,
  inputs: readonly (string | Tensor | null)[],
  attrs: Record<string, AttrValue | undefined> = {},
  output = c.outputs[0]!,
): string {
  return c.imp.emit(op, c.name, inputs, attrs, [output])[0]!;
}

/** A fresh intermediate value name for a multi-node lowering. */
export const temp = (c: NodeCtx, label: string): string => c.imp.fresh(`${c.name}.${label}`);
