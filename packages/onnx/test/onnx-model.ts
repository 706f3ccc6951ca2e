/** Test helper: small ONNX models written directly with onnx-proto, in any opset, to test importOnnx on them. */
import type { Tensor } from '@striate/core';
import onnxProto, { type onnx as O } from 'onnx-proto';
import { tensorToProto } from '../src/tensor-proto.js';

const { onnx } = onnxProto;

export type AttrSpec =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { t: Tensor };

export type NodeSpec = [
  op: string,
  inputs: string[],
  outputs: string[],
  attrs?: Record<string, AttrSpec>,
  name?: string,
];

export interface ModelSpec {
  readonly opset: number;
  readonly inputs: Record<string, (number | string)[]>;
  readonly outputs: string[];
  readonly nodes: NodeSpec[];
  readonly initializers?: Record<string, Tensor>;
  readonly domain?: string;
}

function attr(name: string, a: AttrSpec): O.IAttributeProto {
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('s' in a) return { name, type: 3, s: new TextEncoder().encode(a.s) };
  if ('ints' in a) return { name, type: 7, ints: a.ints };
  if ('floats' in a) return { name, type: 6, floats: a.floats };
  return { name, type: 4, t: tensorToProto('', a.t) };
}

export function onnxModel(spec: ModelSpec): Uint8Array {
  const model: O.IModelProto = {
    irVersion: spec.opset >= 15 ? 8 : 6,
    opsetImport: [{ domain: '', version: spec.opset }],
    graph: {
      name: 'test',
      node: spec.nodes.map(([op, input, output, attrs, name], k) => ({
        opType: op,
        name: name ?? `n${k}_${op}`,
        domain: spec.domain ?? '',
        input,
        output,
        attribute: Object.entries(attrs ?? {}).map(([n, a]) => attr(n, a)),
      })),
      input: Object.entries(spec.inputs).map(([name, dims]) => ({
        name,
        type: {
          tensorType: {
            elemType: 1,
            shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
          },
        },
      })),
      output: spec.outputs.map((name) => ({ name, type: { tensorType: { elemType: 1 } } })),
      initializer: Object.entries(spec.initializers ?? {}).map(([n, t]) => tensorToProto(n, t)),
    },
  };
  const bytes = onnx.ModelProto.encode(model).finish();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
