import type { OpType, ValueInfo } from '../graph.js';
import { formatShape } from '../shape.js';
import { isSymbol } from './dims.js';
import { type NodeView, one, rule } from './node-view.js';
import type { ShapeRule } from './types.js';

const MODES = ['nearest', 'linear', 'cubic'] as const;
const COORDINATE_MODES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'] as const;
const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;

/** Whether an optional operand is really given: ONNX also marks an absent one with an empty tensor. */
function given(n: NodeView, v: ValueInfo | null): boolean {
  if (!v) return false;
  const t = n.ctx.constantOf(v.name);
  return !(t !== undefined && t.size === 0) && !v.shape.some((d) => d === 0);
}

/**
 * Resize(X, roi?, scales?, sizes?): exactly one of scales (float32) and sizes (int64), one value per dim of X.
 * With scales the output is floor(in * scale) as ONNX (the product in float32).
 */
const resize = rule('Resize', (n) => {
  const [x, , scalesV, sizesV] = n.take(['X', 'roi?', 'scales?', 'sizes?']) as [
    ValueInfo,
    ValueInfo | null,
    ValueInfo | null,
    ValueInfo | null,
  ];
  const mode = n.string('mode', 'nearest', MODES);
  n.string('coordinate_transformation_mode', 'half_pixel', COORDINATE_MODES);
  n.string('nearest_mode', 'round_prefer_floor', NEAREST_MODES);
  n.float('cubic_coeff_a', -0.75);
  n.flag('exclude_outside', 0);
  if (mode === 'nearest') n.requireNumeric(x, 'input X');
  else n.requireFloat(x, `input X (mode '${mode}')`);
  const rank = x.shape.length;
  const hasScales = given(n, scalesV);
  const hasSizes = given(n, sizesV);
  if (hasScales === hasSizes) {
    throw n.shapeError(`needs exactly one of scales and sizes, got ${hasScales ? 'both' : 'neither'}`);
  }
  const values = hasScales ? n.constFloats(scalesV!, 'scales') : n.constInts(sizesV!, 'sizes');
  const what = hasScales ? 'scales' : 'sizes';
  if (values.length !== rank) {
    throw n.shapeError(
      `${what} ${formatShape(values)} has ${values.length} values but input X ${formatShape(x.shape)} has ` +
        `rank ${rank} (one value per dim, N and C included)`,
    );
  }
  const out = x.shape.map((d, i) => {
    const v = values[i]!;
    if (hasSizes) {
      if (v < 0) throw n.shapeError(`sizes[${i}] is ${v}; sizes must be >= 0`);
      return v;
    }
    if (!(v > 0) || !Number.isFinite(v)) throw n.shapeError(`scales[${i}] is ${v}; scales must be positive`);
    if (isSymbol(d)) {
      if (v === 1) return d;
      throw n.shapeError(`dim ${i} of ${formatShape(x.shape)} is symbolic (${d}); scaling it by ${v} needs a number`);
    }
    return Math.floor(Math.fround(d * v));
  });
  return one(x.dtype, out);
});

export const RESIZE_RULES: Partial<Record<OpType, ShapeRule>> = { Resize: resize };
