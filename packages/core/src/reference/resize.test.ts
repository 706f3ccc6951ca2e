import { describe, expect, it } from 'vitest';
import { flattenNested, maxAbsDiff, readGoldenJson } from '../../../../test-utils/fixtures.js';
import { DTypeError, ShapeError, UnsupportedOpError } from '../errors.js';
import type { Attrs, GraphNode } from '../graph.js';
import { Tensor, tensor } from '../tensor.js';
import { resize } from './resize.js';

const node = (attrs: Attrs = {}): GraphNode => ({
  op: 'Resize',
  name: 'neck.up',
  inputs: ['x', '', 'scales', 'sizes'],
  outputs: ['y'],
  attrs,
});
const sizes = (v: number[]) => new Tensor('int64', [v.length], BigInt64Array.from(v.map(BigInt)));
const scales = (v: number[]) => new Tensor('float32', [v.length], Float32Array.from(v));

interface InterpolateCase {
  input: unknown;
  size: [number, number];
  mode: 'bilinear' | 'nearest';
  align_corners: boolean | null;
  out: unknown;
}

/** torch.nn.functional.interpolate's modes as Resize attributes. */
function torchAttrs(c: InterpolateCase): Attrs {
  if (c.mode === 'nearest')
    return { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
  return { mode: 'linear', coordinate_transformation_mode: c.align_corners ? 'align_corners' : 'half_pixel' };
}

describe('Resize', () => {
  const golden = readGoldenJson<{ cases: { interpolate: InterpolateCase[] } }>('ops.json').cases.interpolate;

  it('has the three interpolate cases', () => {
    expect(golden.map((c) => `${c.mode}/${c.align_corners}`)).toEqual([
      'bilinear/false',
      'bilinear/true',
      'nearest/null',
    ]);
  });

  it.each(golden.map((c) => [`${c.mode} align_corners=${c.align_corners}`, c] as const))(
    'matches torch interpolate %s to 1e-5',
    (_name, c) => {
      const x = flattenNested(c.input);
      const out = flattenNested(c.out);
      expect(x.shape).toEqual([1, 3, 5, 7]);
      const attrs = torchAttrs(c);
      const [y] = resize(
        [tensor(Float32Array.from(x.data), x.shape), null, null, sizes([1, 3, ...c.size])],
        attrs,
        node(attrs),
      );
      expect(y!.shape).toEqual(out.shape);
      expect(maxAbsDiff(y!.toArray(), out.data)).toBeLessThan(1e-5);
    },
  );

  it('upsamples 2x with scales, nearest round_prefer_floor (ONNX defaults)', () => {
    const x = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const [y] = resize([x, null, scales([1, 1, 2, 2])], {}, node());
    expect(y!.shape).toEqual([1, 1, 4, 4]);
    // half_pixel: (j + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> 0, 0, 1, 1
    expect(y!.toArray()).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  it('applies each nearest_mode to the tie at x.5', () => {
    // 2 -> 3 with align_corners: x = j * (2 - 1) / (3 - 1) = 0, 0.5, 1
    const x = tensor([[10, 20]]);
    const run = (mode: string) => {
      const attrs = { mode: 'nearest', coordinate_transformation_mode: 'align_corners', nearest_mode: mode };
      return resize([x, null, null, sizes([1, 3])], attrs, node(attrs))[0]!.toArray();
    };
    expect(run('round_prefer_floor')).toEqual([10, 10, 20]);
    expect(run('round_prefer_ceil')).toEqual([10, 20, 20]);
    expect(run('floor')).toEqual([10, 10, 20]);
    expect(run('ceil')).toEqual([10, 20, 20]);
  });

  it('interpolates linearly with asymmetric and pytorch_half_pixel coordinates', () => {
    const x = tensor([[0, 10, 20]]);
    const asym = { mode: 'linear', coordinate_transformation_mode: 'asymmetric' };
    // x = j / 2: 0, 0.5, 1, 1.5, 2, 2.5 (clamped to 2)
    expect(resize([x, null, scales([1, 2])], asym, node(asym))[0]!.toArray()).toEqual([0, 5, 10, 15, 20, 20]);
    const pt = { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' };
    // output length 1: coordinate 0, unlike half_pixel which samples the middle
    expect(resize([x, null, null, sizes([1, 1])], pt, node(pt))[0]!.toArray()).toEqual([0]);
    const hp = { mode: 'linear' };
    expect(resize([x, null, null, sizes([1, 1])], hp, node(hp))[0]!.toArray()).toEqual([10]);
  });

  it('downsamples with scales < 1 (output floor(in * scale))', () => {
    const x = new Tensor('float32', [1, 1, 1, 5], Float32Array.from([0, 1, 2, 3, 4]));
    const attrs = { mode: 'linear' };
    const [y] = resize([x, null, scales([1, 1, 1, 0.5])], attrs, node(attrs));
    // 5 * 0.5 -> 2 outputs; x = (j + 0.5) / 0.5 - 0.5 = 0.5, 2.5
    expect(y!.shape).toEqual([1, 1, 1, 2]);
    expect(y!.toArray()).toEqual([0.5, 2.5]);
  });

  it('computes the output size in float32 as onnxruntime and shape inference do', () => {
    // 7 * fround(9/7) is 8.99999... in float64 but rounds to 9 in float32.
    const s = Math.fround(9 / 7);
    expect(Math.floor(7 * s)).toBe(8);
    const x = new Tensor('float32', [1, 1, 1, 7], new Float32Array(7).fill(1));
    const [y] = resize([x, null, scales([1, 1, 1, s])], { mode: 'nearest' }, node({ mode: 'nearest' }));
    expect(y!.shape).toEqual([1, 1, 1, 9]);
  });

  it('rejects bad sizes, scales and unsupported modes', () => {
    const x = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const run =
      (inputs: (Tensor | null)[], attrs: Attrs = {}) =>
      () =>
        resize(inputs, attrs, node(attrs));
    expect(run([x, null, null, null])).toThrow(/neck\.up \(Resize\): one of the inputs scales or sizes/);
    expect(run([x, null, null, sizes([1, 4])])).toThrow(ShapeError);
    expect(run([x, null, null, sizes([1, 1, 4, -4])])).toThrow(RangeError);
    expect(run([x, null, scales([1, 1, 0, 2])])).toThrow(RangeError);
    expect(run([x, null, scales([1, 1, Number.NaN, 2])])).toThrow(RangeError);
    expect(run([x, null, tensor([1, 1, 2, 2], undefined, 'int32')])).toThrow(DTypeError);
    expect(run([x, null, scales([1, 1, 2, 2])], { mode: 'cubic' })).toThrow(UnsupportedOpError);
    expect(run([x, null, scales([1, 1, 2, 2])], { coordinate_transformation_mode: 'tf_crop_and_resize' })).toThrow(
      UnsupportedOpError,
    );
    expect(run([new Tensor('float32', [1, 0], new Float32Array(0)), null, null, sizes([1, 3])])).toThrow(/empty/);
  });

  it('returns an empty result for a zero output size', () => {
    const [y] = resize([tensor([[1, 2]]), null, null, sizes([0, 2])], {}, node());
    expect(y!.shape).toEqual([0, 2]);
  });
});
