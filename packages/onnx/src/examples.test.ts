import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quickstart } from '../examples/quickstart.js';

describe('README example (examples/quickstart.ts)', () => {
  it('runs, and the README shows its lines verbatim', () => {
    const { bytes, graph } = quickstart();
    expect(bytes.length).toBeGreaterThan(3 * 8 * 9 * 4);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Conv']);
    expect(graph.inputs[0]!.shape).toEqual(['N', 3, 32, 32]);
    expect(graph.outputs[0]!.shape).toEqual(['N', 8, 30, 30]);
    const source = readFileSync(new URL('../examples/quickstart.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const lines = source
      .split('\n')
      .filter((l) => /^ {2}(const|console)/.test(l))
      .map((l) => l.trim());
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(readme).toContain(line);
  });
});
