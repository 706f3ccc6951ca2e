import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ortNode } from '@striate/backend-ort';
import { describe, expect, it } from 'vitest';
import { dataDir, modelsDir } from '../../../test-utils/fixtures.js';
import { UsageError } from './args.js';
import { mapCommand } from './commands.js';

describe('striate-bench map', () => {
  const coco = join(dataDir(), 'coco128-val');
  const model = join(modelsDir(), 'fastestdet', 'FastestDet.onnx');

  it('scores FastestDet on coco128-val images and reports what ran', async () => {
    // The first 4 images and their annotations, as a ground-truth file of its own.
    const gt = JSON.parse(readFileSync(join(coco, 'instances_val2017.json'), 'utf8')) as {
      images: { id: number }[];
      annotations: { image_id: number }[];
    };
    const images = gt.images.slice(0, 4);
    const ids = new Set(images.map((i) => i.id));
    const dir = mkdtempSync(join(tmpdir(), 'striate-map-'));
    const gtPath = join(dir, 'gt.json');
    writeFileSync(
      gtPath,
      JSON.stringify({ ...gt, images, annotations: gt.annotations.filter((a) => ids.has(a.image_id)) }),
    );
    const before = ortNode.openSessions();
    const out = JSON.parse(
      await mapCommand({
        command: 'map',
        model,
        decoder: 'fastestdet',
        images: join(coco, 'images'),
        gt: gtPath,
        backend: 'ort-node',
        device: 'cpu',
        json: true,
      }),
    ) as { stats: number[]; backend: string; device: string; providers: string[] };
    expect(out.backend).toBe('ort-node');
    expect(out.device).toBe('cpu');
    expect(out.providers).toEqual(['cpu']);
    expect(out.stats).toHaveLength(12);
    // A real detector finds real objects: mAP50 well above zero on these images (about 0.36 on all 128).
    expect(out.stats[1]!).toBeGreaterThan(0.1);
    expect(out.stats[1]!).toBeLessThanOrEqual(1);
    expect(ortNode.openSessions()).toBe(before);
  });

  it('names bad arguments', async () => {
    const base = {
      command: 'map',
      model,
      decoder: 'fastestdet',
      images: join(coco, 'images'),
      gt: join(coco, 'instances_val2017.json'),
      backend: 'ort-node',
      json: true,
    } as const;
    await expect(mapCommand({ ...base, model: '/nope.onnx' })).rejects.toThrow(UsageError);
    await expect(mapCommand({ ...base, model: '/nope.onnx' })).rejects.toThrow(
      '--model: file /nope.onnx does not exist',
    );
    await expect(mapCommand({ ...base, device: 'tpu' })).rejects.toThrow(
      "--device: ort-node has devices cpu, webgpu, cuda, got 'tpu'",
    );
    await expect(mapCommand({ ...base, decoder: 'yolov99' })).rejects.toThrow(
      "--decoder: expected fastestdet, ultraface, blazeface or a FILE.json, got 'yolov99'",
    );
    await expect(mapCommand({ ...base, images: '/no/such/dir' })).rejects.toThrow(
      '--images: folder /no/such/dir does not exist',
    );
  });
});
