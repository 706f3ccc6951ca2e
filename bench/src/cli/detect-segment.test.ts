import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { Tensor } from '@striate/core';
import { binaryMaskScores } from '@striate/segmentation';
import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataDir } from '../../../test-utils/fixtures.js';
import { parseCli, UsageError } from './args.js';
import { detectCommand } from './detect-command.js';
import { main } from './main.js';
import { segmentCommand, selfieMask } from './segment-command.js';

const images = join(dataDir(), 'coco128-val', 'images');
const bus = join(images, '000000001584.jpg'); // 612x612, one large bus (COCO category 6, FastestDet class 5)
const people = join(images, '000000006771.jpg'); // 640x427, people fill ~59% of the picture

/** Runs the CLI, returning its exit code and what it wrote to stderr. */
async function cli(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(argv), stderr };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('detect and segment: argument errors exit 2 naming the problem', () => {
  it.each([
    [['detect', '--model', 'fastestdet'], 'detect: expected one IMAGE argument, got none'],
    [['detect', bus, bus, '--model', 'fastestdet'], 'detect: expected one IMAGE argument, got'],
    [['detect', bus], '--model is required'],
    [
      ['detect', bus, '--model', 'yolo'],
      "--model: expected fastestdet, ultraface, blazeface or a FILE.onnx, got 'yolo'",
    ],
    [['detect', bus, '--model', 'x.onnx'], '--decoder is required'],
    [['detect', bus, '--model', 'fastestdet', '--decoder', 'ssd'], '--decoder: expected fastestdet, ultraface'],
    [['detect', bus, '--model', 'fastestdet', '--score', '2'], "--score: expected a number in [0, 1], got '2'"],
    [['detect', bus, '--model', 'fastestdet', '--score', 'x'], "--score: expected a number in [0, 1], got 'x'"],
    [['detect', bus, '--model', 'fastestdet', '--out', 'a.jpg'], "--out: expected a FILE.png, got 'a.jpg'"],
    [['detect', bus, '--model', 'fastestdet', '--backend', 'tpu'], "--backend: unknown name 'tpu'"],
    [
      ['detect', bus, '--model', 'fastestdet', '--device', 'tpu'],
      "--device: ort-node has devices cpu, webgpu, cuda, got 'tpu'",
    ],
    [['detect', '/no/such.jpg', '--model', 'fastestdet'], 'IMAGE: file /no/such.jpg does not exist'],
    [
      ['detect', bus, '--model', '/no/such.onnx', '--decoder', 'fastestdet'],
      '--model: file /no/such.onnx does not exist',
    ],
    [
      ['detect', bus, '--model', 'fastestdet', '--labels', '/no/labels.txt'],
      '--labels: file /no/labels.txt does not exist',
    ],
    [['segment', people], '--model is required'],
    [['segment', people, '--model', 'deeplab'], "--model: expected selfie, got 'deeplab'"],
    [
      ['segment', people, '--model', 'selfie', '--device', 'cuda'],
      "--device: expected cpu, wasm, webgpu (tfjs), got 'cuda'",
    ],
    [['segment', '--model', 'selfie'], 'segment: expected one IMAGE argument, got none'],
    [['segment', '/no/such.jpg', '--model', 'selfie'], 'IMAGE: file /no/such.jpg does not exist'],
    [['segment', people, '--model', 'selfie', '--bogus'], "Unknown option '--bogus'"],
  ])('%j', async (argv, message) => {
    const before = ortNode.openSessions();
    const { code, stderr } = await cli(argv);
    expect(stderr).toContain(message);
    expect(stderr).toContain('usage:');
    expect(code).toBe(2);
    expect(ortNode.openSessions()).toBe(before);
  });

  it('parses the defaults', () => {
    expect(parseCli(['detect', bus, '--model', 'ultraface'])).toEqual({
      command: 'detect',
      image: bus,
      model: 'ultraface',
      decoder: 'ultraface',
      backend: 'ort-node',
      palette: false,
    });
    expect(parseCli(['segment', people, '--model', 'selfie', '--out', 'm.png', '--palette'])).toEqual({
      command: 'segment',
      image: people,
      model: 'selfie',
      device: 'wasm',
      out: 'm.png',
      palette: true,
    });
    expect(() => parseCli(['detect', bus, '--model', 'a.onnx', '--decoder', 'b.txt'])).toThrow(UsageError);
  });
});

describe('detect on a real image', () => {
  it('FastestDet finds the bus and writes the annotated PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'striate-detect-'));
    const out = join(dir, 'bus.png');
    const before = ortNode.openSessions();
    const json = JSON.parse(
      await detectCommand({
        command: 'detect',
        image: bus,
        model: 'fastestdet',
        decoder: 'fastestdet',
        backend: 'ort-node',
        device: 'cpu',
        out,
        palette: false,
      }),
    ) as {
      width: number;
      height: number;
      providers: string[];
      detections: { label: string; classIndex: number; score: number; box: number[] }[];
    };
    expect(ortNode.openSessions()).toBe(before);
    expect([json.width, json.height]).toEqual([612, 612]);
    expect(json.providers).toEqual(['cpu']);
    const best = json.detections.find((d) => d.label === 'bus');
    expect(best).toBeDefined();
    expect(best!.classIndex).toBe(5);
    expect(best!.score).toBeGreaterThan(0.8);
    // The bus fills most of the picture: its box is large.
    const [x1, y1, x2, y2] = best!.box as [number, number, number, number];
    expect((x2 - x1) * (y2 - y1)).toBeGreaterThan(0.3 * 612 * 612);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 612, 612]);
    expect(statSync(out).size).toBeGreaterThan(50_000);
    // The box outline is drawn: the pixel on its left edge, half way down, differs from the photograph.
    const png = await sharp(out).removeAlpha().raw().toBuffer();
    const jpg = await sharp(bus).removeAlpha().raw().toBuffer();
    const at = (Math.round((y1 + y2) / 2) * 612 + Math.round(x1)) * 3;
    const diff =
      Math.abs(png[at]! - jpg[at]!) + Math.abs(png[at + 1]! - jpg[at + 1]!) + Math.abs(png[at + 2]! - jpg[at + 2]!);
    expect(diff).toBeGreaterThan(60);
  });
});

describe('segment on a real image', () => {
  it('the selfie model covers the people (IoU with the COCO person mask) and the PNG has the image size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'striate-segment-'));
    const out = join(dir, 'people.png');
    const json = JSON.parse(
      await segmentCommand({ command: 'segment', image: people, model: 'selfie', device: 'wasm', out, palette: true }),
    ) as { width: number; height: number; providers: string[]; personFraction: number };
    expect([json.width, json.height]).toEqual([640, 427]);
    expect(json.providers).toEqual(['wasm']);
    expect(json.personFraction).toBeGreaterThan(0.3);
    expect(json.personFraction).toBeLessThan(0.9);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 640, 427]);
    expect(statSync(out).size).toBeGreaterThan(20_000);

    const { mask } = await selfieMask(people, 'wasm');
    const sem = await sharp(join(dataDir(), 'coco128-val', 'semantic', '000000006771.png'))
      .extractChannel(0)
      .raw()
      .toBuffer();
    const target = new Tensor(
      'uint8',
      [427, 640],
      Uint8Array.from(sem, (v) => (v === 1 ? 1 : 0)),
    );
    expect(binaryMaskScores(mask, target).iou).toBeGreaterThan(0.6);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  });
});
