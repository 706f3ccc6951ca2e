/**
 * The WGSL kernels of the batch path. Images live on the GPU as one u32 per pixel (`r | g << 8 | b << 16`), the
 * batch's samples one after another. Every kernel uses the same bind group layout (see `augmenter.ts`): a uniform
 * block `U`, the source pixels, the destination, the per-sample parameters (`params`, `U.stride` words a sample),
 * a constant table and a scratch buffer. Threads run over a flattened index `i = gid.x + gid.y * U.rowThreads`.
 *
 * Where the CPU op is integer (flips, nearest, resize's fixed point, HSV, lookup tables, the noise stream) the
 * kernel does the same integer work and gives the same bytes. float32 steps are kept to single correctly rounded
 * additions and multiplications of operands loaded from memory (so no fused multiply-add can change them); the
 * bilinear warp, hue and normalize use float32 where the CPU uses float64 and are tested within a tolerance.
 */

const HEADER = /* wgsl */ `
struct U {
  total: u32, rowThreads: u32, n: u32, stride: u32,
  inH: u32, inW: u32, outH: u32, outW: u32,
  e0: u32, e1: u32, e2: u32, e3: u32,
  e4: u32, e5: u32, e6: u32, e7: u32,
}
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
@group(0) @binding(3) var<storage, read> params: array<u32>;
@group(0) @binding(4) var<storage, read> table: array<u32>;

fn rgb(p: u32) -> vec3u { return vec3u(p & 255u, (p >> 8u) & 255u, (p >> 16u) & 255u); }
fn pack(c: vec3u) -> u32 { return c.x | (c.y << 8u) | (c.z << 16u); }
fn pf(n: u32, k: u32) -> f32 { return bitcast<f32>(params[n * u.stride + k]); }
fn pu(n: u32, k: u32) -> u32 { return params[n * u.stride + k]; }
`;

const SCRATCH = /* wgsl */ `@group(0) @binding(5) var<storage, read_write> scratch: array<u32>;`;
const SCRATCH_ATOMIC = /* wgsl */ `@group(0) @binding(5) var<storage, read_write> scratch: array<atomic<u32>>;`;

const MAIN = (body: string) => /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * u.rowThreads;
  if (i >= u.total) { return; }
${body}
}`;

/** HWC RGB bytes (read as u32 words) -> packed pixels. */
export const UNPACK = `${HEADER}${SCRATCH}
fn byteAt(b: u32) -> u32 { return (src[b >> 2u] >> ((b & 3u) * 8u)) & 255u; }
${MAIN(`  let b = i * 3u;
  dst[i] = byteAt(b) | (byteAt(b + 1u) << 8u) | (byteAt(b + 2u) << 16u);`)}`;

/** Packed pixels -> HWC RGB bytes, one output word (4 bytes) per thread. */
export const PACK = `${HEADER}${SCRATCH}
fn byteOf(b: u32) -> u32 { return (src[b / 3u] >> ((b % 3u) * 8u)) & 255u; }
${MAIN(`  let b = i * 4u;
  let last = u.e0; // number of bytes
  var w = 0u;
  for (var k = 0u; k < 4u; k++) { if (b + k < last) { w |= byteOf(b + k) << (8u * k); } }
  dst[i] = w;`)}`;

/** params[0]: 0 keep, 1 mirror left-right, 2 mirror top-bottom. */
export const FLIP = `${HEADER}${SCRATCH}
${MAIN(`  let hw = u.inH * u.inW;
  let n = i / hw;
  let p = i % hw;
  var y = p / u.inW;
  var x = p % u.inW;
  let mode = pu(n, 0u);
  if (mode == 1u) { x = u.inW - 1u - x; }
  if (mode == 2u) { y = u.inH - 1u - y; }
  dst[i] = src[n * hw + y * u.inW + x];`)}`;

/**
 * Affine warp (warp.ts): params [a, b, cx, d, e, cy, bilinear, hasFill, fillR, fillG, fillB] (f32 bits except the
 * flags), with cx = c + (inW - 1) / 2 and cy = f + (inH - 1) / 2 precomputed in float64.
 */
export const WARP = `${HEADER}${SCRATCH}
fn clampRound(v: f32) -> u32 { return u32(clamp(round(v), 0.0, 255.0)); }
fn texel(n: u32, x: i32, y: i32) -> vec3f { return vec3f(rgb(src[n * u.inH * u.inW + u32(y) * u.inW + u32(x)])); }
${MAIN(`  let hw = u.outH * u.outW;
  let n = i / hw;
  let p = i % hw;
  let oi = f32(p / u.outW) - f32(u.outH - 1u) * 0.5;
  let oj = f32(p % u.outW) - f32(u.outW - 1u) * 0.5;
  let x = pf(n, 0u) * oj + pf(n, 1u) * oi + pf(n, 2u);
  let y = pf(n, 3u) * oj + pf(n, 4u) * oi + pf(n, 5u);
  let bilinear = pu(n, 6u) == 1u;
  let hasFill = pu(n, 7u) == 1u;
  let fill = vec3f(pf(n, 8u), pf(n, 9u), pf(n, 10u));
  let w = i32(u.inW);
  let h = i32(u.inH);
  var out = vec3u(0u);
  if (!bilinear) {
    let xr = i32(round(x));
    let yr = i32(round(y));
    if (xr >= 0 && xr < w && yr >= 0 && yr < h && abs(x) < 1e9 && abs(y) < 1e9) {
      out = vec3u(texel(n, xr, yr));
    } else if (hasFill) {
      out = vec3u(clampRound(fill.x), clampRound(fill.y), clampRound(fill.z));
    }
  } else {
    let x0 = floor(x);
    let y0 = floor(y);
    let fx = x - x0;
    let fy = y - y0;
    let xi = i32(x0);
    let yi = i32(y0);
    if (xi >= 0 && yi >= 0 && xi + 1 < w && yi + 1 < h) {
      let v = (1.0 - fx) * (1.0 - fy) * texel(n, xi, yi) + fx * (1.0 - fy) * texel(n, xi + 1, yi)
        + (1.0 - fx) * fy * texel(n, xi, yi + 1) + fx * fy * texel(n, xi + 1, yi + 1);
      out = vec3u(clampRound(v.x), clampRound(v.y), clampRound(v.z));
    } else if (xi + 1 < 0 || yi + 1 < 0 || xi >= w || yi >= h || abs(x) >= 1e9 || abs(y) >= 1e9) {
      if (hasFill) { out = vec3u(clampRound(fill.x), clampRound(fill.y), clampRound(fill.z)); }
    } else {
      var acc = vec3f(0.0);
      var cover = 0.0;
      for (var dy = 0; dy < 2; dy++) {
        let yy = yi + dy;
        if (yy < 0 || yy >= h) { continue; }
        let wy = select(fy, 1.0 - fy, dy == 0);
        for (var dx = 0; dx < 2; dx++) {
          let xx = xi + dx;
          if (xx < 0 || xx >= w) { continue; }
          let wt = wy * select(fx, 1.0 - fx, dx == 0);
          cover += wt;
          acc += wt * texel(n, xx, yy);
        }
      }
      var v = acc;
      if (hasFill) { v = (acc - fill) * cover + fill; }
      out = vec3u(clampRound(v.x), clampRound(v.y), clampRound(v.z));
    }
  }
  dst[i] = pack(out);`)}`;

/**
 * One separable resize pass in 14-bit fixed point (resize-image.ts). e0 = 1 for the horizontal pass (in
 * [inH, inW] -> [inH, outW]), 0 for the vertical one ([inH, inW] -> [outH, inW]); the table holds start, count,
 * then weights (maxK = e1 per output).
 */
export const RESIZE = `${HEADER}${SCRATCH}
${MAIN(`  let horizontal = u.e0 == 1u;
  let maxK = u.e1;
  let oh = select(u.outH, u.inH, horizontal);
  let ow = select(u.inW, u.outW, horizontal);
  let hw = oh * ow;
  let n = i / hw;
  let p = i % hw;
  let y = p / ow;
  let x = p % ow;
  let o = select(y, x, horizontal);
  let outSize = select(u.outH, u.outW, horizontal);
  let start = table[o];
  let count = table[outSize + o];
  var acc = vec3i(8192);
  for (var k = 0u; k < count; k++) {
    let wt = bitcast<i32>(table[2u * outSize + o * maxK + k]);
    var s: u32;
    if (horizontal) { s = n * u.inH * u.inW + y * u.inW + start + k; }
    else { s = n * u.inH * u.inW + (start + k) * u.inW + x; }
    acc += wt * vec3i(rgb(src[s]));
  }
  dst[i] = pack(vec3u(acc >> vec3u(14u)));`)}`;

/**
 * The flooredLuma sum per sample (contrast's mean) into scratch[n]: 2D dispatch (x over pixels in groups of 64,
 * y = sample), a workgroup sum then one atomic add. table: the luma terms (lumaTerms()).
 */
export const LUMA_SUM = `${HEADER}${SCRATCH_ATOMIC}
var<workgroup> part: array<u32, 64>;
fn flooredLuma(c: vec3u) -> u32 {
  let l = 2989u * c.x + 5870u * c.y + 1140u * c.z;
  let q = l / 10000u;
  if (q * 10000u != l) { return q; }
  let s = bitcast<f32>(table[c.x]) + bitcast<f32>(table[256u + c.y]);
  return u32(floor(s + bitcast<f32>(table[512u + c.z])));
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let hw = u.inH * u.inW;
  let n = wg.y;
  // Workgroup x sums pixels [1024 x, 1024 (x + 1)) of sample n: 16 per thread, then a tree in shared memory.
  var sum = 0u;
  for (var k = 0u; k < 16u; k++) {
    let p = wg.x * 1024u + k * 64u + li;
    if (p < hw) { sum += flooredLuma(rgb(src[n * hw + p])); }
  }
  part[li] = sum;
  workgroupBarrier();
  for (var w = 32u; w > 0u; w >>= 1u) {
    if (li < w) { part[li] += part[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) { atomicAdd(&scratch[n], part[0]); }
}`;

/**
 * Contrast's offset per sample: mean = float32(sum / pixels) correctly rounded (integer long division), then
 * offset = mean * f32(1 - f) into scratch[u.n + n]. One thread per sample; params word e0 holds f32(1 - f).
 */
export const CONTRAST_STATS = `${HEADER}${SCRATCH}
fn divToF32(num: u32, den: u32) -> f32 {
  if (num == 0u) { return 0.0; }
  var m = num / den;
  var rem = num % den;
  var e = 0;
  while (m < (1u << 24u)) {
    rem = rem * 2u;
    m = m * 2u;
    if (rem >= den) { m += 1u; rem -= den; }
    e -= 1;
  }
  let roundBit = m & 1u;
  m = m >> 1u;
  e += 1;
  if (roundBit == 1u && (rem != 0u || (m & 1u) == 1u)) { m += 1u; }
  return f32(m) * exp2(f32(e));
}
${MAIN(`  let mean = divToF32(scratch[i], u.inH * u.inW);
  scratch[u.n + i] = bitcast<u32>(mean * pf(i, u.e0));`)}`;

/**
 * One ColorJitter slot: each sample applies its own op at position u.e0 of its order. params per sample:
 * [order 0..3, hue factor, f32(1 - contrast f), brightness LUT (256), contrast v*f (256), saturation v*f (256),
 * saturation v*(1-f) (256)] (f32 bits). table: the luma terms. scratch[u.n + n]: contrast's offset.
 */
/** `ops[k]`: whether op k (brightness, contrast, saturation, hue) is compiled in (the others are dead code). */
export const colorSlot = (ops: readonly boolean[]) => `${HEADER}${SCRATCH}
const B = 6u;
fn trunc8(v: f32) -> u32 { if (v <= 0.0) { return 0u; } if (v >= 255.0) { return 255u; } return u32(v); }
fn flooredLuma(c: vec3u) -> u32 {
  let l = 2989u * c.x + 5870u * c.y + 1140u * c.z;
  let q = l / 10000u;
  if (q * 10000u != l) { return q; }
  let s = bitcast<f32>(table[c.x]) + bitcast<f32>(table[256u + c.y]);
  return u32(floor(s + bitcast<f32>(table[512u + c.z])));
}
fn hue(c: vec3u, hf: f32) -> vec3u {
  let inv = bitcast<f32>(0x3b808081u);
  let r = f32(c.x) * inv;
  let g = f32(c.y) * inv;
  let b = f32(c.z) * inv;
  let maxc = max(r, max(g, b));
  let minc = min(r, min(g, b));
  let range = maxc - minc;
  var h = 0.0;
  var s = 0.0;
  if (range > 0.0) {
    s = range / maxc;
    let rc = (maxc - r) / range;
    let gc = (maxc - g) / range;
    let bc = (maxc - b) / range;
    if (maxc == r) { h = bc - gc; } else if (maxc == g) { h = 2.0 + rc - bc; } else { h = 4.0 + gc - rc; }
    h = fract(h / 6.0 + 1.0);
  }
  h = fract(h + hf + 1.0);
  let h6 = h * 6.0;
  let sector = floor(h6);
  let fr = h6 - sector;
  let v = maxc;
  var t = array<f32, 4>(v, clamp((1.0 - s) * v, 0.0, 1.0), clamp((1.0 - s * fr) * v, 0.0, 1.0),
    clamp((s * fr + (1.0 - s)) * v, 0.0, 1.0));
  let k = u32(sector) % 6u;
  var selR = array<u32, 6>(0u, 2u, 1u, 1u, 3u, 0u);
  var selG = array<u32, 6>(3u, 0u, 0u, 2u, 1u, 1u);
  var selB = array<u32, 6>(1u, 1u, 3u, 0u, 0u, 2u);
  let scale = 255.999;
  return vec3u(trunc8(t[selR[k]] * scale), trunc8(t[selG[k]] * scale), trunc8(t[selB[k]] * scale));
}
${MAIN(`  let hw = u.inH * u.inW;
  let n = i / hw;
  let c = rgb(src[i]);
  let op = pu(n, u.e0);
  var o = c;
  if (${ops[0]} && op == 0u) {
    o = vec3u(pu(n, B + c.x), pu(n, B + c.y), pu(n, B + c.z));
  } else if (${ops[1]} && op == 1u) {
    let off = bitcast<f32>(scratch[u.n + n]);
    o = vec3u(trunc8(pf(n, B + 256u + c.x) + off), trunc8(pf(n, B + 256u + c.y) + off), trunc8(pf(n, B + 256u + c.z) + off));
  } else if (${ops[2]} && op == 2u) {
    let gray = pf(n, B + 768u + flooredLuma(c));
    o = vec3u(trunc8(pf(n, B + 512u + c.x) + gray), trunc8(pf(n, B + 512u + c.y) + gray), trunc8(pf(n, B + 512u + c.z) + gray));
  } else if (${ops[3]} && op == 3u) {
    ${ops[3] ? 'o = hue(c, pf(n, 4u));' : ''}
  }
  dst[i] = pack(o);`)}`;

/**
 * YOLO's HSV jitter (hsv.ts): OpenCV's integer RGB->HSV with the SDIV/HDIV tables (table[0..512)), the sample's
 * LUTs (params: H, S, V, 256 each), and HSV->RGB as integer `round(v * m)` with the packed multipliers
 * (table[512..)).
 */
export const HSV = `${HEADER}${SCRATCH}
fn mulRound(v: u32, packed: u32) -> u32 {
  let mant = packed & 0xffffffu;
  let shift = packed >> 24u;
  if (mant == 0u || shift > 32u) { return 0u; }
  return (((v * mant) >> (shift - 1u)) + 1u) >> 1u;
}
${MAIN(`  let hw = u.inH * u.inW;
  let n = i / hw;
  let c = vec3i(rgb(src[i]));
  let v = max(c.x, max(c.y, c.z));
  let diff = v - min(c.x, min(c.y, c.z));
  let sat = (diff * i32(table[u32(v)]) + 2048) >> 12u;
  var h: i32;
  if (v == c.x) { h = c.y - c.z; } else if (v == c.y) { h = c.z - c.x + 2 * diff; } else { h = c.x - c.y + 4 * diff; }
  h = (h * i32(table[256u + u32(diff)]) + 2048) >> 12u;
  if (h < 0) { h += 180; }
  let vv = pu(n, 512u + u32(v));
  let k = 512u + (pu(n, u32(h)) * 256u + pu(n, 256u + u32(sat))) * 3u;
  dst[i] = pack(vec3u(mulRound(vv, table[k]), mulRound(vv, table[k + 1u]), mulRound(vv, table[k + 2u])));`)}`;

/**
 * Gaussian noise (noise.ts): thread t handles 64 pixels (192 values, 96 draws) of one sample. Its xoshiro128**
 * state is the sample's seed state (params[0..4)) advanced by the jump matrices (table: M^(96 * 2^j), 512 words
 * each) of the bits of its chunk index; value q of the image adds floor(table entry) (params[4 + idx], i32) of the
 * low (even q) or high (odd q) 16 bits of its draw, clamped to [0, 255]. e0: chunks per sample, e1: jump levels.
 */
export const NOISE = `${HEADER}${SCRATCH}
fn rotl(x: u32, k: u32) -> u32 { return (x << k) | (x >> (32u - k)); }
${MAIN(`  let hw = u.inH * u.inW;
  let n = i / u.e0;
  let chunk = i % u.e0;
  var s = vec4u(pu(n, 0u), pu(n, 1u), pu(n, 2u), pu(n, 3u));
  for (var j = 0u; j < u.e1; j++) {
    if (((chunk >> j) & 1u) == 0u) { continue; }
    var t = vec4u(0u);
    for (var b = 0u; b < 128u; b++) {
      let word = select(select(select(s.w, s.z, b < 96u), s.y, b < 64u), s.x, b < 32u);
      if (((word >> (b & 31u)) & 1u) == 1u) {
        let base = j * 512u + b * 4u;
        t ^= vec4u(table[base], table[base + 1u], table[base + 2u], table[base + 3u]);
      }
    }
    s = t;
  }
  let first = chunk * 64u;
  let count = min(64u, hw - first);
  var r = 0u;
  for (var q = 0u; q < count * 3u; q++) {
    if ((q & 1u) == 0u) {
      r = rotl(s.y * 5u, 7u) * 9u;
      let t = s.y << 9u;
      s.z ^= s.x;
      s.w ^= s.y;
      s.y ^= s.z;
      s.x ^= s.w;
      s.z ^= t;
      s.w = rotl(s.w, 11u);
    }
    let idx = select(r >> 16u, r & 0xffffu, (q & 1u) == 0u);
    let px = n * hw + first + q / 3u;
    let ch = (q % 3u) * 8u;
    let val = i32((src[px] >> ch) & 255u) + bitcast<i32>(pu(n, 4u + idx));
    let byte = u32(clamp(val, 0, 255));
    // src and dst differ: build the pixel in dst channel by channel (this thread owns these 64 pixels).
    if (ch == 0u) { dst[px] = byte; } else { dst[px] = dst[px] | (byte << ch); }
  }`)}`;

/**
 * Packed pixels -> float32 CHW `[N, 3, H, W]` (toTensor: v * f32(1/255)), then `(x - mean) / std` when e0 = 1
 * (mean and std f32 bits in params of sample 0 at [0..3) and [3..6)). dst is read as f32 bits.
 */
export const TO_TENSOR = `${HEADER}${SCRATCH}
${MAIN(`  let hw = u.inH * u.inW;
  let n = i / hw;
  let p = i % hw;
  let c = rgb(src[i]);
  let inv = bitcast<f32>(0x3b808081u);
  var v = vec3f(f32(c.x) * inv, f32(c.y) * inv, f32(c.z) * inv);
  if (u.e0 == 1u) {
    let m = vec3f(bitcast<f32>(params[0]), bitcast<f32>(params[1]), bitcast<f32>(params[2]));
    let sd = vec3f(bitcast<f32>(params[3]), bitcast<f32>(params[4]), bitcast<f32>(params[5]));
    v = (v - m) / sd;
  }
  let base = n * 3u * hw + p;
  dst[base] = bitcast<u32>(v.x);
  dst[base + hw] = bitcast<u32>(v.y);
  dst[base + 2u * hw] = bitcast<u32>(v.z);`)}`;
