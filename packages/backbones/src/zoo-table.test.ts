import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_START, withTable, zooTable } from './internal/zoo-table.js';
import { listModels } from './registry.js';

describe('README zoo table', () => {
  it('is the table generated from the code (run `pnpm run zoo-table` after changing a model)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = zooTable();
    expect(table.split('\n')).toHaveLength(listModels().length + 2);
    expect(table).toMatch(/\| `resnet50` +\| +25,557,032 \| +8.18 \| 224x224 +\|/);
    expect(withTable(readme, table)).toBe(readme);
    expect(() => withTable('no markers', table)).toThrow(RangeError);
    expect(readme).toContain(TABLE_START);
  }, 30_000);
});
