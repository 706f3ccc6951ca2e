import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../../test-utils/fixtures.js';
import { ShapeError } from '../errors.js';
import { GraphBuilder } from '../graph-builder.js';
import { Tensor } from '../tensor.js';
import { referenceBackend } from './backend.js';

interface PoolCase {
  input: unknown;
  rois: number[][];
  output_size: [number, number];
  spatial_scale: number;
  out: unknown;
}
const golden = readGoldenJson<{ cases: { roi_pool: PoolCase } }>('ops.json').cases.roi_pool;

function graphOf(x: readonly number[], r: number, pooled: number[], scale: number) {
  const b = new GraphBuilder('max_roi_pool');
  const [y] = b.op(
    'MaxRoiPool',
    [b.input('x', 'float32', x), b.input('rois', 'float32', [r, 5])],
    { pooled_shape: pooled, spatial_scale: scale },
    { name: 'roi_pool' },
  );
  b.output(y!, 'y');
  return b.build();
}

describe('MaxRoiPool reference kernel', () => {
  it('equals the torchvision roi_pool golden', async () => {
    const x = flattenNested(golden.input);
    const model = await referenceBackend.compile(
      graphOf(x.shape, golden.rois.length, golden.output_size, golden.spatial_scale),
    );
    const { y } = await model.run({
      x: new Tensor('float32', x.shape, Float32Array.from(x.data)),
      rois: new Tensor('float32', [golden.rois.length, 5], Float32Array.from(golden.rois.flat())),
    });
    model.dispose();
    const expected = flattenNested(golden.out);
    expect(y!.shape).toEqual(expected.shape);
    expect(maxAbsDiff(y!.data as Float32Array, expected.data)).toBeLessThan(1e-6);
  });

  it('infers [R, C, ph, pw] and rejects bad operands', () => {
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [1, 3, 8, 8]);
    const [y] = b.op('MaxRoiPool', [x, b.input('r', 'float32', ['R', 5])], { pooled_shape: [2, 3] }, { name: 'p' });
    expect(y!.shape).toEqual(['R', 3, 2, 3]);
    expect(() =>
      b.op('MaxRoiPool', [x, b.input('r4', 'float32', [2, 4])], { pooled_shape: [2, 2] }, { name: 'q' }),
    ).toThrow(ShapeError);
    expect(() => b.op('MaxRoiPool', [x, b.input('r5', 'float32', [2, 5])], {}, { name: 'q' })).toThrow(/pooled_shape/);
  });

  it('rejects a batch index outside the batch when it runs', async () => {
    const model = await referenceBackend.compile(graphOf([1, 1, 4, 4], 1, [1, 1], 1));
    await expect(
      model.run({
        x: new Tensor('float32', [1, 1, 4, 4], new Float32Array(16)),
        rois: new Tensor('float32', [1, 5], Float32Array.from([2, 0, 0, 2, 2])),
      }),
    ).rejects.toThrow(/rois\[0\]\[0\] \(batch index\) is 2/);
  });
});
