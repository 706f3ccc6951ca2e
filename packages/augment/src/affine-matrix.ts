/**
 * Affine matrices with torchvision's conventions (`_get_inverse_affine_matrix`, `_compute_affine_output_size`).
 *
 * The map is M = T * C * R(angle) * S(scale) * SHy * SHx * C^-1: rotate by `angle` degrees (positive turns the
 * content clockwise on screen, i.e. counter-clockwise in the y-down frame is negative), scale, shear by
 * `(shearX, shearY)` degrees, all about the centre C, then translate by T. A matrix is `[a, b, c, d, e, f]`:
 * `x' = a x + b y + c`, `y' = d x + e y + f`.
 */

export type Matrix2x3 = [number, number, number, number, number, number];

export interface AffineParams {
  angle: number;
  translate: readonly [number, number];
  scale: number;
  shear: readonly [number, number];
}

const RAD = Math.PI / 180;

/** torchvision's `_get_inverse_affine_matrix(center, angle, translate, scale, shear, inverted)`. */
export function affineMatrix(center: readonly [number, number], p: AffineParams, inverted: boolean): Matrix2x3 {
  const rot = p.angle * RAD;
  const sx = p.shear[0] * RAD;
  const sy = p.shear[1] * RAD;
  const [cx, cy] = center;
  const [tx, ty] = p.translate;
  const cosSy = Math.cos(sy);
  const tanSx = Math.tan(sx);
  const a = Math.cos(rot - sy) / cosSy;
  const b = -(a * tanSx + Math.sin(rot));
  const c = Math.sin(rot - sy) / cosSy;
  const d = Math.cos(rot) - c * tanSx;
  const s = p.scale;
  if (inverted) {
    const m: Matrix2x3 = [d / s, -b / s, 0, -c / s, a / s, 0];
    m[2] += cx - m[0] * (cx + tx) - m[1] * (cy + ty);
    m[5] += cy - m[3] * (cx + tx) - m[4] * (cy + ty);
    return m;
  }
  const m: Matrix2x3 = [a * s, b * s, 0, c * s, d * s, 0];
  m[2] += cx + tx - m[0] * cx - m[1] * cy;
  m[5] += cy + ty - m[3] * cx - m[4] * cy;
  return m;
}

const f32 = Math.fround;

/**
 * The `[height, width]` of the expanded canvas, as torchvision's `_compute_affine_output_size` (corners of the
 * centred frame through the inverse matrix in float32, values truncated to 1e-4 before ceil/floor).
 */
export function expandedSize(inverse: Matrix2x3, height: number, width: number): [number, number] {
  const hw = 0.5 * width;
  const hh = 0.5 * height;
  const m = inverse.map(f32);
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of [
    [-hw, -hh],
    [-hw, hh],
    [hw, hh],
    [hw, -hh],
  ] as const) {
    const nx = f32(f32(f32(x * m[0]!) + f32(y * m[1]!)) + m[2]!);
    const ny = f32(f32(f32(x * m[3]!) + f32(y * m[4]!)) + m[5]!);
    minX = Math.min(minX, nx);
    maxX = Math.max(maxX, nx);
    minY = Math.min(minY, ny);
    maxY = Math.max(maxY, ny);
  }
  const tol = 1e-4;
  const inv = f32(1 / tol);
  const cmax = (v: number, half: number) => Math.ceil(f32(Math.trunc(f32(f32(v + half) * inv)) * f32(tol)));
  const cmin = (v: number, half: number) => Math.floor(f32(Math.trunc(f32(f32(v + half) * inv)) * f32(tol)));
  const w = cmax(maxX, hw) - cmin(minX, hw);
  const h = cmax(maxY, hh) - cmin(minY, hh);
  return [h, w];
}

/** Applies `m` to a point. */
export function applyMatrix(m: Matrix2x3, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Solves the 8x8 system of torchvision's `_get_perspective_coeffs`: coefficients mapping `end` points to `start`. */
export function perspectiveCoeffs(
  start: readonly (readonly [number, number])[],
  end: readonly (readonly [number, number])[],
): number[] {
  const a: number[][] = [];
  const rhs: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [ex, ey] = end[i]!;
    const [sx, sy] = start[i]!;
    a.push([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]);
    rhs.push(sx);
    a.push([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]);
    rhs.push(sy);
  }
  return solve(a, rhs);
}

/** Gaussian elimination with partial pivoting; a RangeError for a singular system. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    if (Math.abs(m[piv]![col]!) < 1e-12)
      throw new RangeError('perspective: the four points are degenerate (singular system)');
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const pr = m[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      if (f === 0) continue;
      for (let k = col; k <= n; k++) row[k] = row[k]! - f * pr[k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Inverts a 3x3 homography given as 8 coefficients (h33 = 1); returns 9 values, row-major. */
export function invertHomography(c: readonly number[]): number[] {
  const [a, b, cc, d, e, f, g, h] = c as [number, number, number, number, number, number, number, number];
  const i = 1;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + cc * C;
  if (Math.abs(det) < 1e-15) throw new RangeError('perspective: the homography is singular');
  return [
    A / det,
    -(b * i - cc * h) / det,
    (b * f - cc * e) / det,
    B / det,
    (a * i - cc * g) / det,
    -(a * f - cc * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}
