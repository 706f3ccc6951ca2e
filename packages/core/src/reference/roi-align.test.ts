import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Attrs } from '../graph.js';
import { GraphBuilder } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { referenceBackend } from './backend.js';

interface AlignCase {
  input: unknown;
  rois: number[][];
  output_size: [number, number];
  spatial_scale: number;
  sampling_ratio: number;
  aligned: boolean;
  out: unknown;
}
const goldens = readGoldenJson<{ cases: { roi_align: AlignCase[] } }>('ops.json').cases.roi_align;

function graphOf(x: readonly number[], r: number, attrs: Attrs) {
  const b = new GraphBuilder('roi_align');
  const y = b.op(
    'RoiAlign',
    [b.input('x', 'float32', x), b.input('rois', 'float32', [r, 4]), b.input('batch_indices', 'int64', [r])],
    attrs,
    { name: 'box_roi_pool' },
  )[0]!;
  b.output(y, 'y');
  return b.build();
}

describe('RoiAlign reference kernel', () => {
  it.each(goldens.map((c, i) => [i, c.aligned, c.sampling_ratio, c]))(
    'equals torchvision roi_align golden %i (aligned %s, sampling %i) to 1e-4',
    async (_i, _a, _s, c) => {
      const x = flattenNested(c.input);
      const boxes = c.rois.flatMap((r) => r.slice(1));
      const batch = c.rois.map((r) => BigInt(r[0]!));
      const graph = graphOf(x.shape, c.rois.length, {
        output_height: c.output_size[0],
        output_width: c.output_size[1],
        spatial_scale: c.spatial_scale,
        sampling_ratio: Math.max(c.sampling_ratio, 0),
        coordinate_transformation_mode: c.aligned ? 'half_pixel' : 'output_half_pixel',
      });
      const model = await referenceBackend.compile(graph);
      const { y } = await model.run({
        x: new Tensor('float32', x.shape, Float32Array.from(x.data)),
        rois: new Tensor('float32', [c.rois.length, 4], Float32Array.from(boxes)),
        batch_indices: new Tensor('int64', [c.rois.length], BigInt64Array.from(batch)),
      });
      model.dispose();
      const expected = flattenNested(c.out);
      expect(y!.shape).toEqual(expected.shape);
      expect(maxAbsDiff(y!.data as Float32Array, expected.data)).toBeLessThan(1e-4);
    },
  );

  it('infers [R, C, output_height, output_width] with a symbolic R', () => {
    const b = new GraphBuilder();
    const [y] = b.op(
      'RoiAlign',
      [b.input('x', 'float32', [2, 8, 10, 10]), b.input('r', 'float32', ['R', 4]), b.input('i', 'int64', ['R'])],
      { output_height: 7, output_width: 5 },
      { name: 'pool' },
    );
    expect(y!.shape).toEqual(['R', 8, 7, 5]);
  });

  it('rejects bad operands and attributes at build time, naming the node', () => {
    const build = (rois: (number | string)[], idx: (number | string)[], attrs: Attrs = {}, idxType = 'int64') => {
      const b = new GraphBuilder();
      return b.op(
        'RoiAlign',
        [b.input('x', 'float32', [1, 2, 5, 5]), b.input('r', 'float32', rois), b.input('i', idxType as 'int64', idx)],
        attrs,
        { name: 'head.pool' },
      );
    };
    expect(() => build([3, 5], [3])).toThrow(ShapeError);
    expect(() => build([3, 4], [2])).toThrow(/head\.pool \(RoiAlign\).*same number of RoIs/);
    expect(() => build([3, 4], [3], {}, 'int32')).toThrow(DTypeError);
    expect(() => build([3, 4], [3], { mode: 'sum' })).toThrow(/mode.*'avg', 'max'/);
    expect(() => build([3, 4], [3], { sampling_ratio: -1 })).toThrow(/sampling_ratio/);
    expect(() => build([3, 4], [3], { spatial_scale: 0 })).toThrow(/spatial_scale/);
  });

  it('rejects a batch index outside the batch when it runs', async () => {
    const model = await referenceBackend.compile(graphOf([1, 1, 4, 4], 1, {}));
    await expect(
      model.run({
        x: new Tensor('float32', [1, 1, 4, 4], new Float32Array(16)),
        rois: new Tensor('float32', [1, 4], Float32Array.from([0, 0, 2, 2])),
        batch_indices: new Tensor('int64', [1], BigInt64Array.from([1n])),
      }),
    ).rejects.toThrow(/batch_indices\[0\] is 1; expected an index in \[0, 0\]/);
  });
});
