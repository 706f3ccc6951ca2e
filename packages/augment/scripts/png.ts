/**
 * Box drawing for the README grid, and a minimal PNG encoder (8-bit grayscale, RGB or RGBA; filter 0 on every row;
 * zlib from node:zlib) that needs no dependency (the grid itself is now written by sharp as a palette PNG, a fifth
 * of the size for photos). Not part of the published package.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes HWC uint8 pixels (1, 3 or 4 channels) as a PNG file. */
export function encodePng(data: Uint8Array, height: number, width: number, channels: 1 | 3 | 4): Uint8Array {
  if (data.length !== height * width * channels) {
    throw new RangeError(`encodePng: data: expected ${height * width * channels} bytes, got ${data.length}`);
  }
  const colorType = channels === 1 ? 0 : channels === 3 ? 2 : 6;
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const row = width * channels;
  const raw = new Uint8Array(height * (row + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Draws the outline of an xyxy box (pixel coordinates, clipped) `thickness` pixels wide, in place. */
export function drawBox(
  image: { data: Uint8Array; height: number; width: number; channels: number },
  box: readonly number[],
  color: readonly number[],
  thickness = 1,
): void {
  const { data, height: h, width: w, channels: c } = image;
  const x1 = Math.max(0, Math.round(box[0]!));
  const y1 = Math.max(0, Math.round(box[1]!));
  const x2 = Math.min(w - 1, Math.round(box[2]!) - 1);
  const y2 = Math.min(h - 1, Math.round(box[3]!) - 1);
  if (x2 < x1 || y2 < y1) return;
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    for (let k = 0; k < Math.min(c, color.length); k++) data[(y * w + x) * c + k] = color[k]!;
  };
  for (let t = 0; t < thickness; t++) {
    for (let x = x1; x <= x2; x++) {
      put(x, y1 + t);
      put(x, y2 - t);
    }
    for (let y = y1; y <= y2; y++) {
      put(x1 + t, y);
      put(x2 - t, y);
    }
  }
}
