/**
 * WGSL of the WebGPU NMS kernel: the suppression relation between boxes already sorted by descending score, as
 * torchvision's CUDA `nms_kernel` computes it (one workgroup per 64-box row tile x 64-box column tile, upper
 * triangle only, one 64-bit word per row box and column tile, as two u32), with two changes:
 *
 * - Output is sparse: only non-zero words are appended (`vec4(row, colTile, bits 0..31, bits 32..63)`) to a list
 *   through an atomic counter, so reading back costs what is suppressed, not N^2 / 8 bytes. The counter keeps
 *   counting past the list's capacity, so the host knows the exact size to retry with.
 * - Every pair gets one of three answers: surely suppressed, surely not, or undecided. f32 on a GPU is not the
 *   float32 arithmetic of the CPU path step for step (WGSL lets `a * b - c` fuse and gives division 2.5 ulp), so
 *   the sure answers hold a margin (`thrHi`, `thrLo`: the threshold moved by a relative 2e-5, far above f32
 *   rounding) and the pairs in between go to a second list that the CPU settles with the exact pair test.
 *   `absErr` widens intersections by the error of coordinates rounded to f32 (0 for float32 input).
 *
 * `classes` makes the relation class-aware (batched NMS): boxes of different classes never suppress each other.
 */
/** Column tiles one workgroup visits for its row tile (fewer, mostly idle, workgroups than one per tile pair). */
export const NMS_TILES_PER_WORKGROUP = 4;

export const NMS_MASK_WGSL = /* wgsl */ `
struct Params {
  n: u32,
  colBlocks: u32,
  sureCapacity: u32,
  unsureCapacity: u32,
  thrHi: f32,
  thrLo: f32,
  absErr: f32,
  minNormal: f32,
}

const TILES: u32 = ${NMS_TILES_PER_WORKGROUP}u;

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> boxes: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> areas: array<f32>;
@group(0) @binding(3) var<storage, read> classes: array<u32>;
@group(0) @binding(4) var<storage, read_write> counts: array<atomic<u32>, 2>;
@group(0) @binding(5) var<storage, read_write> sure: array<vec4<u32>>;
@group(0) @binding(6) var<storage, read_write> unsure: array<vec4<u32>>;

// 0: surely not suppressed, 1: surely suppressed, 2: undecided (settled on the CPU).
fn decide(a: vec4<f32>, areaA: f32, b: vec4<f32>, areaB: f32) -> u32 {
  let e = params.absErr;
  let iw = min(a.z, b.z) - max(a.x, b.x);
  let ih = min(a.w, b.w) - max(a.y, b.y);
  if (iw + e <= 0.0 || ih + e <= 0.0) {
    return 0u;
  }
  let sum = areaA + areaB;
  let interLo = max(iw - e, 0.0) * max(ih - e, 0.0);
  let interHi = (iw + e) * (ih + e);
  // IoU = inter / (sum - inter) grows with inter: the low bound deciding "above", the high bound "below".
  let rhs = params.thrHi * (sum - interLo);
  if (rhs >= params.minNormal && interLo > rhs) {
    return 1u;
  }
  if (interHi < params.thrLo * (sum - interHi)) {
    return 0u;
  }
  return 2u;
}

// Workgroup (x, y): row tile y against column tiles [x * TILES, (x + 1) * TILES), those at or right of y.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let rowTile = wg.y;
  let firstCol = max(wg.x * TILES, rowTile);
  let endCol = min(wg.x * TILES + TILES, params.colBlocks);
  let n = params.n;
  let r = rowTile * 64u + t;
  if (firstCol >= endCol || r >= n) {
    return;
  }
  let rowBox = boxes[r];
  let rowArea = areas[r];
  let rowClass = classes[r];
  for (var colTile = firstCol; colTile < endCol; colTile++) {
    let base = colTile * 64u;
    let count = min(64u, n - base);
    var k = 0u;
    if (colTile == rowTile) {
      k = t + 1u;
    }
    var s0 = 0u;
    var s1 = 0u;
    var u0 = 0u;
    var u1 = 0u;
    for (; k < count; k++) {
      if (classes[base + k] != rowClass) {
        continue;
      }
      let d = decide(rowBox, rowArea, boxes[base + k], areas[base + k]);
      if (d == 0u) {
        continue;
      }
      let bit = 1u << (k & 31u);
      if (d == 1u) {
        if (k < 32u) { s0 |= bit; } else { s1 |= bit; }
      } else {
        if (k < 32u) { u0 |= bit; } else { u1 |= bit; }
      }
    }
    if ((s0 | s1) != 0u) {
      let slot = atomicAdd(&counts[0], 1u);
      if (slot < params.sureCapacity) {
        sure[slot] = vec4<u32>(r, colTile, s0, s1);
      }
    }
    if ((u0 | u1) != 0u) {
      let slot = atomicAdd(&counts[1], 1u);
      if (slot < params.unsureCapacity) {
        unsure[slot] = vec4<u32>(r, colTile, u0, u1);
      }
    }
  }
}
`;
