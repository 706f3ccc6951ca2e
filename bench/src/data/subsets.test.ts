import { describe, expect, it } from 'vitest';
import { COCO_QUICK_FILES, pickFiles, WIDER_QUICK_FILES } from './subsets.js';

describe('pickFiles', () => {
  const items = [{ f: 'a' }, { f: 'b' }, { f: 'c' }];

  it('keeps the named items in their original order, all of them without names', () => {
    expect(pickFiles(items, (x) => x.f, ['c', 'a'], 'gt')).toEqual([{ f: 'a' }, { f: 'c' }]);
    expect(pickFiles(items, (x) => x.f, undefined, 'gt')).toEqual(items);
  });

  it('fails naming the images that are missing', () => {
    expect(() => pickFiles(items, (x) => x.f, ['a', 'z'], 'gt.json')).toThrow(
      'gt.json: the quick subset names 1 image(s) not in the ground truth: z',
    );
  });

  it('names 8 distinct images per dataset', () => {
    expect(new Set(COCO_QUICK_FILES).size).toBe(8);
    expect(new Set(WIDER_QUICK_FILES).size).toBe(8);
  });
});
