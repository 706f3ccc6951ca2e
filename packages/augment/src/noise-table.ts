/**
 * The table Gaussian noise draws from: 65,536 quantiles of N(0, 1) (at (i + 0.5) / 65536, so the tails stop at
 * +-4.3 sigma), indexed by 16 random bits. It is built with basic IEEE operations only, so the noise is the same
 * in every engine; exact enough for uint8 output (the quantisation of the normal is 1e-4 sigma near the mode) and
 * about ten times faster than exact sampling. `noiseOffsets` turns it into the integer offsets the CPU and WebGPU
 * paths add.
 */

/** ln(x) for x > 0 from basic operations only (range reduction by 2, then the atanh series). */
function ln(x: number): number {
  let k = 0;
  while (x > Math.SQRT2) {
    x /= 2;
    k++;
  }
  while (x < Math.SQRT1_2) {
    x *= 2;
    k--;
  }
  const s = (x - 1) / (x + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let n = 1; n < 60; n += 2) {
    sum += term / n;
    term *= s2;
  }
  return 2 * sum + k * Math.LN2;
}

/** Acklam's inverse normal CDF (relative error < 1.2e-9), with `ln` above and `Math.sqrt` (correctly rounded). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * ln(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

let table: Float32Array | undefined;

/** The 65,536 normal quantiles (built once). */
export function normalTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = normalQuantile((i + 0.5) / 65536);
  }
  return table;
}

/**
 * The noise offsets per 16-bit draw: `floor(f32(mean + std z + 0.5))` for the 65,536 normal quantiles z, clamped
 * to [-256, 256] (no byte changes further). For an integer v, `trunc(clamp(v + f32(mean + std z + 0.5)))` (the
 * rounding half up of v + mean + std z, clamped) is `clamp(v + offset, 0, 255)`: v + a float32 is exact in
 * float64, and floor(v + s) = v + floor(s). std >= 0 and a finite mean (the callers check). The WebGPU path
 * reads the same offsets.
 */
export function noiseOffsets(std: number, mean: number, into = new Int16Array(65536)): Int16Array {
  const t = normalTable();
  const at = (i: number) => Math.max(-256, Math.min(256, Math.floor(Math.fround(mean + std * t[i]! + 0.5))));
  // The quantiles increase and std >= 0, so the offsets never decrease: at most 513 runs of equal values, each
  // filled after a binary search for its end (about 40x fewer float ops than one per entry).
  for (let i = 0; i < 65536; ) {
    const o = at(i);
    let lo = i;
    let hi = 65535;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at(mid) <= o) lo = mid;
      else hi = mid - 1;
    }
    into.fill(o, i, lo + 1);
    i = lo + 1;
  }
  return into;
}
