/**
 * Gelu before opset 20: the exact form 0.5 * x * (1 + erf(x / sqrt(2))) through Erf, and the tanh form
 * 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))), as torch.onnx writes them.
 */
import { type AttrValue, type GraphNode, Tensor } from '@striate/core';
import type { Lowered, NameTable } from './export.js';

type LNode = Lowered['nodes'][number];

export function lowerGelu(node: GraphNode, names: NameTable): Lowered {
  const x = node.inputs[0]!;
  const y = node.outputs[0]!;
  const nodes: LNode[] = [];
  const initializers: [string, Tensor][] = [];
  const constant = (label: string, v: number): string => {
    const name = names.fresh(`${node.name}.${label}`);
    initializers.push([name, new Tensor('float32', [], Float32Array.of(v))]);
    return name;
  };
  let step = 0;
  const emit = (op: string, inputs: string[], out?: string, attrs: Record<string, AttrValue> = {}): string => {
    const output = out ?? names.fresh(`${y}.gelu${step}`);
    nodes.push({
      op,
      name: names.fresh(`${node.name}.${op.toLowerCase()}${step++}`),
      inputs,
      outputs: [output],
      attrs,
    });
    return output;
  };
  const approximate = node.attrs.approximate ?? 'none';
  let inner: string;
  if (approximate === 'tanh') {
    const x3 = emit('Mul', [emit('Mul', [x, x]), x]);
    const poly = emit('Add', [x, emit('Mul', [x3, constant('coeff', 0.044715)])]);
    inner = emit('Tanh', [emit('Mul', [poly, constant('sqrt_2_over_pi', Math.sqrt(2 / Math.PI))])]);
  } else if (approximate === 'none') {
    inner = emit('Erf', [emit('Div', [x, constant('sqrt2', Math.SQRT2)])]);
  } else {
    throw new RangeError(
      `${node.name} (Gelu): approximate: expected 'none' or 'tanh', got ${JSON.stringify(approximate)}`,
    );
  }
  const onePlus = emit('Add', [inner, constant('one', 1)]);
  emit('Mul', [emit('Mul', [x, onePlus]), constant('half', 0.5)], y);
  return { nodes, initializers };
}
