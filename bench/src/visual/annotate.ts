/** Annotated pictures: detection boxes with their labels as an SVG overlay, and PNG writing with sharp. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Detection } from '@striate/detection';
import sharp from 'sharp';

/** Distinct colours for boxes, by class index. */
const COLOURS = ['#ffd400', '#00e5ff', '#ff4fa3', '#7dff4f', '#ff8c1a', '#b18cff', '#ff3b3b', '#3bff9d'];

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A detection's class name: `labels[classIndex]`, or `class N` past the end of `labels`. */
export function className(d: Detection, labels: readonly string[]): string {
  return labels[d.classIndex] ?? `class ${d.classIndex}`;
}

/** The label drawn for a detection: its class name and its score with 2 decimals. */
export function detectionLabel(d: Detection, labels: readonly string[]): string {
  return `${className(d, labels)} ${d.score.toFixed(2)}`;
}

/**
 * An SVG of the image's size with one rectangle per detection, a filled tag with its label above the box (inside
 * when the box touches the top), and its keypoints as dots. Line width and font size scale with the image.
 */
export function detectionsSvg(
  width: number,
  height: number,
  detections: readonly Detection[],
  labels: readonly string[],
): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 200));
  const font = Math.max(12, Math.round(Math.min(width, height) / 30));
  const parts: string[] = [];
  // Lowest score first, so the best detection is drawn on top.
  for (const d of [...detections].reverse()) {
    const colour = COLOURS[d.classIndex % COLOURS.length]!;
    const [x1, y1, x2, y2] = d.box;
    const label = escapeXml(detectionLabel(d, labels));
    const tagW = Math.round(label.length * font * 0.6 + font * 0.6);
    const tagH = Math.round(font * 1.3);
    const tagY = y1 - tagH >= 0 ? y1 - tagH : y1;
    const tagX = Math.min(Math.max(0, x1), Math.max(0, width - tagW));
    parts.push(
      `<rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="${(y2 - y1).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`,
      `<rect x="${tagX.toFixed(1)}" y="${tagY.toFixed(1)}" width="${tagW}" height="${tagH}" fill="${colour}"/>`,
      `<text x="${(tagX + font * 0.3).toFixed(1)}" y="${(tagY + font * 1.05).toFixed(1)}" font-family="sans-serif" font-size="${font}" fill="#000">${label}</text>`,
    );
    for (const [kx, ky] of d.keypoints ?? []) {
      parts.push(`<circle cx="${kx.toFixed(1)}" cy="${ky.toFixed(1)}" r="${stroke + 1}" fill="${colour}"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

export interface PngOptions {
  /** A 256-colour (quantised) PNG: several times smaller for photographs. */
  palette?: boolean;
}

/** Draws `svg` (of the image's size) over the image file `imagePath` and writes a PNG to `out`. */
export async function writeAnnotatedPng(
  imagePath: string,
  svg: string,
  out: string,
  options: PngOptions = {},
): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  await sharp(imagePath)
    .removeAlpha()
    .toColourspace('srgb')
    .composite([{ input: Buffer.from(svg) }])
    .png({ compressionLevel: 9, palette: options.palette === true })
    .toFile(out);
}

/** Writes an RGB uint8 buffer [height, width, 3] as a PNG to `out`. */
export async function writeRgbPng(
  rgb: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  out: string,
  options: PngOptions = {},
): Promise<void> {
  mkdirSync(dirname(out), { recursive: true });
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 9, palette: options.palette === true })
    .toFile(out);
}
