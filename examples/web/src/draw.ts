/** Drawing a result on a canvas at the image's own size: boxes with labels and scores, keypoints, or a mask. */
import { Tensor } from '@striate/core';
import { overlay } from '@striate/segmentation';
import type { DecodedImage } from './image.js';
import type { RunResult } from './pipeline.js';

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4'];

export function drawResult(canvas: HTMLCanvasElement, image: DecodedImage, result: RunResult): void {
  const { width, height } = image.rgb;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('drawResult: no 2d context');
  if (result.mask) {
    // Person pixels blended with a colour (segmentation's overlay: VOC colour of class 1), drawn from the RGB bytes.
    const rgb = new Tensor('uint8', [height, width, 3], image.rgb.data as Uint8Array);
    const blended = overlay(rgb, result.mask, { alpha: 0.55, skip: [0] }).data as Uint8Array;
    const rgba = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      rgba.data[4 * i] = blended[3 * i]!;
      rgba.data[4 * i + 1] = blended[3 * i + 1]!;
      rgba.data[4 * i + 2] = blended[3 * i + 2]!;
      rgba.data[4 * i + 3] = 255;
    }
    ctx.putImageData(rgba, 0, 0);
    return;
  }
  ctx.drawImage(image.bitmap, 0, 0);
  const line = Math.max(2, Math.round(Math.min(width, height) / 200));
  ctx.lineWidth = line;
  ctx.font = `${Math.max(12, 6 * line)}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const d of result.detections ?? []) {
    const color = COLORS[d.classIndex % COLORS.length]!;
    const [x1, y1, x2, y2] = d.box;
    ctx.strokeStyle = color;
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const text = `${d.label} ${d.score.toFixed(2)}`;
    const tw = ctx.measureText(text).width + 2 * line;
    const th = Math.max(12, 6 * line) + line;
    const ty = y1 - th >= 0 ? y1 - th : y1;
    ctx.fillStyle = color;
    ctx.fillRect(x1 - line / 2, ty, tw, th);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, x1 + line, ty + line / 2);
    for (const [kx, ky] of d.keypoints ?? []) {
      ctx.beginPath();
      ctx.arc(kx, ky, 1.5 * line, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
