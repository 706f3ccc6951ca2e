/**
 * Determinism across engines (issue #8): a seeded compose pipeline applied to a real COCO photo (STRIATE_DATA) and
 * its 17 ground-truth boxes gives the same image bytes, boxes and labels in Node and in Chromium. The package is
 * bundled from its sources with esbuild, run in Debian's chromium through playwright-core, and the page's result
 * is compared byte for byte (SHA-256 of the pixels, the float32 boxes bit for bit) with Node's.
 * Fails (does not skip) when chromium is missing.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@striate/core';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadCocoPhoto } from '../scripts/coco-photos.js';
import {
  ColorJitter,
  compose,
  GaussianNoise,
  HsvJitter,
  RandomAffine,
  RandomErasing,
  RandomHorizontalFlip,
  RandomResizedCrop,
  type Sample,
  type Transform,
} from './index.js';

const CHROMIUM = process.env.STRIATE_CHROMIUM ?? '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const SEEDS = [1, 2, 3, 4, 5];

// The same pipeline in both engines: this text is pasted into the page's entry and evaluated in Node.
const PIPELINE = `compose(
  [
    new RandomHorizontalFlip(),
    new RandomAffine(15, { translate: [0.1, 0.1], scale: [0.8, 1.2], shear: 8, interpolation: 'bilinear', fill: 114 }),
    new RandomResizedCrop([320, 320], { scale: [0.4, 1], boxFilter: { minVisibility: 0.3 } }),
    new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.6, hue: 0.1 }),
    new HsvJitter(),
    new GaussianNoise({ std: [2, 12] }),
    new RandomErasing({ p: 0.5 }),
  ],
  { boxFilter: { minArea: 16 } },
)`;

const CLASSES = {
  ColorJitter,
  compose,
  GaussianNoise,
  HsvJitter,
  RandomAffine,
  RandomErasing,
  RandomHorizontalFlip,
  RandomResizedCrop,
};

/** Node evaluates the very text the page bundles. */
function makePipeline(): Transform {
  return new Function(...Object.keys(CLASSES), `return ${PIPELINE};`)(...Object.values(CLASSES)) as Transform;
}

interface Result {
  /** SHA-256 of the output pixels (the page returns them in base64; Node hashes both). */
  sha256: string;
  size: number[];
  boxBits: number[];
  labels: string[];
}

const ENTRY = `
import { Rng } from '@striate/core';
import { ColorJitter, compose, GaussianNoise, HsvJitter, RandomAffine, RandomErasing, RandomHorizontalFlip,
  RandomResizedCrop } from '@striate/augment';
globalThis.runAugment = async (b64, height, width, boxes, labels, seeds) => {
  const bin = atob(b64);
  const data = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
  const pipeline = ${PIPELINE};
  const out = [];
  for (const seed of seeds) {
    const s = pipeline.apply({ image: { data, height, width, channels: 3 }, boxes: Float32Array.from(boxes), labels,
      canvasSize: [height, width] }, new Rng(seed));
    let bin = '';
    for (let i = 0; i < s.image.data.length; i += 8192) bin += String.fromCharCode(...s.image.data.subarray(i, i + 8192));
    out.push({
      pixels: btoa(bin),
      size: [s.image.height, s.image.width, s.canvasSize[0], s.canvasSize[1]],
      boxBits: Array.from(new Uint32Array(s.boxes.buffer, s.boxes.byteOffset, s.boxes.length)),
      labels: s.labels,
    });
  }
  return out;
};
`;

function nodeResult(s: Sample<string>): Result {
  const b = s.boxes!;
  return {
    sha256: createHash('sha256').update(s.image!.data).digest('hex'),
    size: [s.image!.height, s.image!.width, s.canvasSize[0], s.canvasSize[1]],
    boxBits: Array.from(new Uint32Array(b.buffer, b.byteOffset, b.length)),
    labels: [...s.labels!],
  };
}

describe('determinism: Node and Chromium give the same bytes', () => {
  it('a seeded compose pipeline on a COCO photo and its boxes: same pixels, boxes and labels', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: this test needs Debian's chromium (apt-get install chromium), or ` +
          'STRIATE_CHROMIUM set to a Chromium binary',
      );
    }
    const photo = await loadCocoPhoto('000000001000.jpg');
    const [h, w] = photo.canvasSize;
    const pipeline = makePipeline();
    const expected = SEEDS.map((seed) => nodeResult(pipeline.apply(photo, new Rng(seed))));
    // Some variety, or the test proves little: boxes dropped by the filters in some draws, kept in others.
    expect(new Set(expected.map((r) => r.labels.length)).size).toBeGreaterThan(1);

    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: HERE, loader: 'js' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@striate/source'],
      write: false,
      logLevel: 'silent',
    });
    const profile = mkdtempSync(join(tmpdir(), 'striate-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const page = await context.newPage();
      await page.setContent('<!doctype html><title>striate determinism</title>');
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const engine = await page.evaluate(
        () => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
      );
      const got = (await page.evaluate(
        ([b64, hh, ww, boxes, labels, seeds]) =>
          (globalThis as unknown as { runAugment: (...a: unknown[]) => Promise<unknown> }).runAugment(
            b64,
            hh,
            ww,
            boxes,
            labels,
            seeds,
          ),
        [
          Buffer.from(photo.image!.data).toString('base64'),
          h,
          w,
          Array.from(photo.boxes!),
          photo.labels!,
          SEEDS,
        ] as const,
      )) as (Omit<Result, 'sha256'> & { pixels: string })[];
      expect(engine).toMatch(/Chrome/);
      const fromPage: Result[] = got.map(({ pixels, ...r }) => ({
        sha256: createHash('sha256').update(Buffer.from(pixels, 'base64')).digest('hex'),
        ...r,
      }));
      expect(fromPage).toEqual(expected);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 30_000);
});
