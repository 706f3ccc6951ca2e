/** Pixel-exact geometric copies on HWC planes: flips, crops with zero padding, 90-degree rotations. */
import type { ImageU8 } from './sample.js';
import { flipRgbWasm } from './wasm/ops.js';

/** Mirrors `planes` planes of `[h, w, c]` left-right or top-bottom. */
export function flipPlanes(
  data: Uint8Array,
  planes: number,
  h: number,
  w: number,
  c: number,
  horizontal: boolean,
): Uint8Array {
  if (horizontal && c === 3) {
    const flipped = flipRgbWasm(data, planes * h, w); // WebAssembly SIMD, same bytes
    if (flipped) return flipped;
  }
  const out = new Uint8Array(data.length);
  const row = w * c;
  for (let p = 0; p < planes; p++) {
    const base = p * h * row;
    if (!horizontal) {
      for (let y = 0; y < h; y++)
        out.set(data.subarray(base + y * row, base + (y + 1) * row), base + (h - 1 - y) * row);
      continue;
    }
    if (flipRowsByWords(data, out, base, h, w, c)) continue;
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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Left-right mirror of one plane by 32-bit words, for little-endian hosts, 4-byte aligned planes and rows of a
 * whole number of words (c = 4: any width; c = 1 and 3: widths divisible by 4). Returns false where it does not
 * apply. For c = 3, four pixels (three words) at a time: source words [r0 g0 b0 r1] [g1 b1 r2 g2] [b2 r3 g3 b3]
 * (least significant byte first) become [r3 g3 b3 r2] [g2 b2 r1 g1] [b1 r0 g0 b0] at the mirrored position.
 */
function flipRowsByWords(data: Uint8Array, out: Uint8Array, base: number, h: number, w: number, c: number): boolean {
  const start = data.byteOffset + base;
  if (!LITTLE_ENDIAN || start % 4 !== 0 || (c !== 4 && w % 4 !== 0) || (c !== 1 && c !== 3 && c !== 4)) return false;
  const rowWords = (w * c) >> 2;
  const src = new Uint32Array(data.buffer, start, h * rowWords);
  const dst = new Uint32Array(out.buffer, out.byteOffset + base, h * rowWords);
  for (let y = 0; y < h; y++) {
    const r = y * rowWords;
    if (c === 4) {
      for (let s = r, d = r + rowWords - 1; d >= r; s++, d--) dst[d] = src[s]!;
    } else if (c === 1) {
      for (let s = r, d = r + rowWords - 1; d >= r; s++, d--) {
        const v = src[s]!;
        dst[d] = (v >>> 24) | ((v >>> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
      }
    } else {
      for (let s = r, d = r + rowWords - 3; d >= r; s += 3, d -= 3) {
        const a = src[s]!;
        const b = src[s + 1]!;
        const e = src[s + 2]!;
        dst[d] = (e >>> 8) | ((b << 8) & 0xff000000);
        dst[d + 1] = (b >>> 24) | ((e & 255) << 8) | ((a >>> 24) << 16) | ((b & 255) << 24);
        dst[d + 2] = ((b >>> 8) & 255) | (a << 8);
      }
    }
  }
  return true;
}

export function withData(image: ImageU8, data: Uint8Array, height = image.height, width = image.width): ImageU8 {
  return { data, height, width, channels: image.channels };
}
