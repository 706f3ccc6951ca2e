import type { Attrs } from '../graph.js';
import { Tensor } from '../tensor.js';
import { type ConformanceCase, defineCase } from './case.js';

function resizeScales(id: string, x: readonly number[], scales: readonly number[], attrs: Attrs): ConformanceCase {
  return defineCase(`Resize/${id}`, 'Resize', (c) => c.op1('Resize', [c.input(x), null, c.floats(scales)], attrs));
}

function resizeSizes(id: string, x: readonly number[], sizes: readonly number[], attrs: Attrs): ConformanceCase {
  return defineCase(`Resize/${id}`, 'Resize', (c) => c.op1('Resize', [c.input(x), null, null, c.ints(sizes)], attrs));
}

function pad(id: string, x: readonly number[], pads: readonly number[], mode: string, value?: number) {
  return defineCase(`Pad/${id}`, 'Pad', (c) =>
    c.op1('Pad', [c.input(x), c.ints(pads), value === undefined ? null : c.floats([value], [])], { mode }),
  );
}

function slice(id: string, x: readonly number[], starts: number[], ends: number[], axes?: number[], steps?: number[]) {
  return defineCase(`Slice/${id}`, 'Slice', (c) =>
    c.op1('Slice', [
      c.input(x),
      c.ints(starts),
      c.ints(ends),
      axes ? c.ints(axes) : null,
      steps ? c.ints(steps) : null,
    ]),
  );
}

const BIG = 2 ** 53 - 1;

/** Shape ops, Resize (nearest/linear, every coordinate mode), Pad modes, Slice with negative axes and steps. */
export const TENSOR_CASES: readonly ConformanceCase[] = Object.freeze([
  defineCase('Concat/axis 1, two inputs', 'Concat', (c) =>
    c.op1('Concat', [c.input([2, 3, 4]), c.input([2, 5, 4])], { axis: 1 }),
  ),
  defineCase('Concat/axis -1, three inputs', 'Concat', (c) =>
    c.op1('Concat', [c.input([2, 3, 1]), c.input([2, 3, 4]), c.input([2, 3, 2])], { axis: -1 }),
  ),
  defineCase('Reshape/[2,3,4] to [6,4]', 'Reshape', (c) => c.op1('Reshape', [c.input([2, 3, 4]), c.ints([6, 4])])),
  defineCase('Reshape/0 and -1', 'Reshape', (c) => c.op1('Reshape', [c.input([2, 3, 4]), c.ints([0, -1])])),
  defineCase('Flatten/axis 1', 'Flatten', (c) => c.op1('Flatten', [c.input([2, 3, 4, 5])])),
  defineCase('Flatten/axis 0', 'Flatten', (c) => c.op1('Flatten', [c.input([2, 3, 4])], { axis: 0 })),
  defineCase('Flatten/axis -1', 'Flatten', (c) => c.op1('Flatten', [c.input([2, 3, 4])], { axis: -1 })),
  defineCase('Transpose/default (reversed)', 'Transpose', (c) => c.op1('Transpose', [c.input([2, 3, 4])])),
  defineCase('Transpose/NCHW to NHWC', 'Transpose', (c) =>
    c.op1('Transpose', [c.input([2, 3, 4, 5])], { perm: [0, 2, 3, 1] }),
  ),
  resizeScales('nearest x2, asymmetric floor (PyTorch nearest)', [1, 2, 3, 4], [1, 1, 2, 2], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  }),
  resizeSizes('nearest to 5x7, half_pixel round_prefer_floor', [1, 2, 3, 4], [1, 2, 5, 7], { mode: 'nearest' }),
  resizeScales('linear x2, half_pixel', [1, 2, 3, 4], [1, 1, 2, 2], { mode: 'linear' }),
  resizeSizes('linear to 5x7, align_corners', [1, 2, 3, 4], [1, 2, 5, 7], {
    mode: 'linear',
    coordinate_transformation_mode: 'align_corners',
  }),
  resizeSizes('linear down to 3x2, pytorch_half_pixel', [1, 2, 7, 5], [1, 2, 3, 2], {
    mode: 'linear',
    coordinate_transformation_mode: 'pytorch_half_pixel',
  }),
  resizeSizes('linear to a 1x1 map, pytorch_half_pixel', [1, 2, 4, 4], [1, 2, 1, 1], {
    mode: 'linear',
    coordinate_transformation_mode: 'pytorch_half_pixel',
  }),
  pad('constant 1.5, asymmetric', [1, 2, 3, 4], [0, 0, 1, 2, 0, 0, 2, 0], 'constant', 1.5),
  pad('constant, value omitted (0)', [2, 3], [1, 0, 0, 2], 'constant'),
  pad('reflect', [1, 2, 4, 5], [0, 0, 2, 1, 0, 0, 1, 3], 'reflect'),
  pad('edge', [1, 2, 3, 3], [0, 0, 2, 2, 0, 0, 1, 3], 'edge'),
  slice('axes 2 and 3', [1, 3, 8, 8], [1, 2], [7, 6], [2, 3]),
  slice('negative axes and starts', [2, 3, 6], [-4, 1], [BIG, 3], [-1, -2]),
  slice('steps 2', [1, 2, 9, 7], [0, 1], [9, 7], [2, 3], [2, 3]),
  slice('negative step (reverse)', [2, 5], [-1], [-BIG], [1], [-1]),
  slice('all axes implied', [4, 6], [1, 2], [3, 5]),
  defineCase('Split/sizes [2,3] on axis 1', 'Split', (c) =>
    c.op('Split', [c.input([2, 5, 3]), c.ints([2, 3])], { axis: 1 }, 2),
  ),
  defineCase('Split/3 equal parts on axis -1', 'Split', (c) =>
    c.op('Split', [c.input([2, 2, 6]), c.ints([2, 2, 2])], { axis: -1 }, 3),
  ),
  defineCase('Dropout/inference is identity', 'Dropout', (c) => c.op1('Dropout', [c.input([2, 7])])),
  defineCase('Identity/NCHW', 'Identity', (c) => c.op1('Identity', [c.input([2, 3, 2, 2])])),
  defineCase('Constant/added to an input', 'Constant', (c) => {
    const k = c.op1('Constant', [], { value: new Tensor('float32', [3, 1], Float32Array.of(0.5, -1, 2)) });
    return c.op1('Add', [c.input([2, 3, 4]), k]);
  }),
]);
