/** Pixel-exact geometric copies on HWC planes: flips, crops with zero padding, 90-degree rotations. */
import type { ImageU8 } from './sample.js';

/** Mirrors `planes` planes of `[h, w, c]` left-right or top-bottom. */
export function flipPlanes(
  data: Uint8Array,
  planes: number,
  h: number,
  w: number,
  c: number,
  horizontal: boolean,
): Uint8Array {
  const out = new Uint8Array(data.length);
  const row = w * c;
  for (let p = 0; p < planes; p++) {
    const base = p * h * row;
    if (!horizontal) {
      for (let y = 0; y < h; y++)
        out.set(data.subarray(base + y * row, base + (y + 1) * row), base + (h - 1 - y) * row);
      continue;
    }
    for (let y = 0; y < h; y++) {
      const r = base + y * row;
      if (c === 3) {
        for (let s = r, d = r + row - 3; d >= r; s += 3, d -= 3) {
          out[d] = data[s]!;
          out[d + 1] = data[s + 1]!;
          out[d + 2] = data[s + 2]!;
        }
      } else if (c === 1) {
        for (let s = r, d = r + row - 1; d >= r; s++, d--) out[d] = data[s]!;
      } else {
        for (let x = 0; x < w; x++) {
          const s = r + x * c;
          const d = r + (w - 1 - x) * c;
          for (let k = 0; k < c; k++) out[d + k] = data[s + k]!;
        }
      }
    }
  }
  return out;
}

/** Crops `[top, top+height) x [left, left+width)` of each plane; parts outside the source are `fill` (default 0). */
export function cropPlanes(
  data: Uint8Array,
  planes: number,
  h: number,
  w: number,
  c: number,
  top: number,
  left: number,
  height: number,
  width: number,
  fill?: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(planes * height * width * c);
  if (fill) for (let i = 0; i < out.length; i++) out[i] = fill[i % c]!;
  const x0 = Math.max(left, 0);
  const x1 = Math.min(left + width, w);
  const y0 = Math.max(top, 0);
  const y1 = Math.min(top + height, h);
  if (x0 >= x1 || y0 >= y1) return out;
  for (let p = 0; p < planes; p++) {
    const sb = p * h * w * c;
    const db = p * height * width * c;
    for (let y = y0; y < y1; y++) {
      const s = sb + (y * w + x0) * c;
      out.set(data.subarray(s, s + (x1 - x0) * c), db + ((y - top) * width + (x0 - left)) * c);
    }
  }
  return out;
}

/** `torch.rot90(k)` on `planes` planes of `[h, w, c]` (k = 1: counter-clockwise); returns data and new size. */
export function rot90Planes(
  data: Uint8Array,
  planes: number,
  h: number,
  w: number,
  c: number,
  k: 1 | 2 | 3,
): Uint8Array {
  if (k === 2) {
    const f = flipPlanes(data, planes, h, w, c, true);
    return flipPlanes(f, planes, h, w, c, false);
  }
  const out = new Uint8Array(data.length);
  // Output is [w, h]: k = 1 -> out[i][j] = in[j][w-1-i]; k = 3 -> out[i][j] = in[h-1-j][i].
  for (let p = 0; p < planes; p++) {
    const base = p * h * w * c;
    for (let i = 0; i < w; i++) {
      for (let j = 0; j < h; j++) {
        const s = base + (k === 1 ? j * w + (w - 1 - i) : (h - 1 - j) * w + i) * c;
        const d = base + (i * h + j) * c;
        for (let q = 0; q < c; q++) out[d + q] = data[s + q]!;
      }
    }
  }
  return out;
}

export function withData(image: ImageU8, data: Uint8Array, height = image.height, width = image.width): ImageU8 {
  return { data, height, width, channels: image.channels };
}
