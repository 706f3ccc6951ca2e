import { describe, expect, it } from 'vitest';
import { quickstart } from '../examples/quickstart.js';

describe('README example (examples/quickstart.ts)', () => {
  it('traces, runs and reports what the README says', async () => {
    const r = await quickstart();
    expect(r.keys).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
    expect(r.params).toBe(6 * 25 + 6 + 864 * 10 + 10);
    expect(r.shape).toEqual([2, 10]);
    expect(r.iou).toBeCloseTo(25 / 175, 6);
  });
});
