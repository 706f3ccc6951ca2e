import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, resolveSharedFrom, sampleDir } from './shared-dirs.js';

describe('resolveSharedFrom', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'striate-dirs-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('takes the environment variable first', () => {
    expect(resolveSharedFrom(join(tmp, 'repo'), '/x/data', 'data')).toEqual({ dir: '/x/data', source: 'env' });
  });

  it('uses ../shared beside the repository when it exists, the embedded sample otherwise', () => {
    const repo = join(tmp, 'repo');
    expect(resolveSharedFrom(repo, undefined, 'models')).toEqual({
      dir: join(repo, 'bench', 'fixtures', 'sample', 'models'),
      source: 'sample',
    });
    mkdirSync(join(tmp, 'shared', 'models'), { recursive: true });
    expect(resolveSharedFrom(repo, undefined, 'models')).toEqual({
      dir: join(tmp, 'shared', 'models'),
      source: 'shared',
    });
  });

  it('finds the embedded sample in this repository', () => {
    expect(sampleDir('data')).toBe(join(repoRoot(), 'bench', 'fixtures', 'sample', 'data'));
  });
});
