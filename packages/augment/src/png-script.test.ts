import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, drawBox, encodePng } from '../scripts/png.js';

describe('README grid helpers (scripts/png.ts)', () => {
  it('encodes a valid PNG: signature, IHDR, CRCs and the filtered rows', () => {
    const pixels = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 10);
    const png = encodePng(pixels, 2, 3, 3);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(view.getUint32(8)).toBe(13);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect(view.getUint32(16)).toBe(3);
    expect(view.getUint32(20)).toBe(2);
    expect(view.getUint32(29)).toBe(crc32(png.subarray(12, 29)));
    const idatLen = view.getUint32(33);
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect([...raw]).toEqual([0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)]);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('draws box outlines clipped to the image', () => {
    const image = { data: new Uint8Array(5 * 5), height: 5, width: 5, channels: 1 };
    drawBox(image, [1, 1, 4, 4], [9]);
    const rows = Array.from({ length: 5 }, (_, y) => [...image.data.subarray(y * 5, y * 5 + 5)].join(''));
    expect(rows).toEqual(['00000', '09990', '09090', '09990', '00000']);
  });
});
