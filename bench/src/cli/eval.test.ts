import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenDir, readGoldenJson } from '../../../test-utils/fixtures.js';
import { parseCli, UsageError } from './args.js';
import { evalCommand } from './commands.js';

interface Stats {
  bbox: { summary: number[] };
  segm: { summary: number[] };
}

describe('striate-bench eval', () => {
  const golden = readGoldenJson<Stats>('coco/stats.json');
  const dir = join(goldenDir(), 'coco');

  for (const iouType of ['bbox', 'segm'] as const) {
    it(`prints pycocotools' 12 ${iouType} stats as JSON`, () => {
      const args = parseCli([
        'eval',
        '--gt',
        join(dir, 'gt.json'),
        '--dt',
        join(dir, `dt_${iouType}.json`),
        '--iou-type',
        iouType,
        '--json',
      ]);
      if (args.command !== 'eval') throw new Error('expected eval');
      const out = JSON.parse(evalCommand(args)) as { stats: number[] };
      expect(out.stats).toHaveLength(12);
      for (const [i, s] of out.stats.entries()) expect(s, `stat ${i}`).toBeCloseTo(golden[iouType].summary[i]!, 12);
    });
  }

  it('prints a readable summary without --json', () => {
    const text = evalCommand({
      command: 'eval',
      gt: join(dir, 'gt.json'),
      dt: join(dir, 'dt_bbox.json'),
      iouType: 'bbox',
      json: false,
    });
    expect(text.split('\n').filter(Boolean)).toHaveLength(12);
    expect(text).toContain(golden.bbox.summary[0]!.toFixed(3));
  });

  it('names a missing or broken file', () => {
    const base = { command: 'eval', dt: join(dir, 'dt_bbox.json'), iouType: 'bbox', json: true } as const;
    expect(() => evalCommand({ ...base, gt: '/nonexistent/gt.json' })).toThrow(UsageError);
    expect(() => evalCommand({ ...base, gt: '/nonexistent/gt.json' })).toThrow(
      '--gt: file /nonexistent/gt.json does not exist',
    );
    expect(() => evalCommand({ ...base, gt: join(dir, '..', 'README.md') })).toThrow(
      /--gt: .*README.md is not valid JSON/,
    );
  });
});
