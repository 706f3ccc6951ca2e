/** The README's example: the three lines below appear there verbatim (checked by src/examples.test.ts). */
import { Conv2d, type Graph } from '@striate/core';
import { exportOnnx, importOnnx } from '../src/index.js';

export function quickstart(): { bytes: Uint8Array; graph: Graph } {
  const bytes = exportOnnx(new Conv2d(3, 8, 3).toGraph({ inputs: { input: ['N', 3, 32, 32] } }));
  const graph = importOnnx(bytes);
  console.log(graph.nodes[0]?.op, graph.inputs[0]?.shape); // Conv [ 'N', 3, 32, 32 ]
  return { bytes, graph };
}
