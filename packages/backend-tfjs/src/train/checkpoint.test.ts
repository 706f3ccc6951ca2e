import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchNorm2d, Conv2d, DataError, manualSeed, Sequential, StateDictError } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

describe('checkpoints', () => {
  it('round-trips a state dict through safetensors with torchvision names, atomically', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'striate-ckpt-'));
    const file = path.join(dir, 'model.safetensors');
    manualSeed(1);
    const a = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
    await saveCheckpoint(a, file, { epoch: '3' });
    await saveCheckpoint(a, file);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    manualSeed(2);
    const b = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
    expect(b.stateDict().get('0.weight')!.data).not.toEqual(a.stateDict().get('0.weight')!.data);
    await loadCheckpoint(b, file);
    expect([...b.stateDict().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
    ]);
    for (const [k, t] of a.stateDict()) expect(b.stateDict().get(k)!.data).toEqual(t.data);
  });

  it('fails clearly on a missing file, a corrupt file or mismatched keys, leaving the module intact', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'striate-ckpt-'));
    const m = new Sequential(new Conv2d(1, 2, 3));
    await expect(loadCheckpoint(m, path.join(dir, 'none.safetensors'))).rejects.toThrow(DataError);
    await writeFile(path.join(dir, 'bad.safetensors'), 'not a safetensors file');
    await expect(loadCheckpoint(m, path.join(dir, 'bad.safetensors'))).rejects.toThrow(DataError);
    await saveCheckpoint(new Sequential(new Conv2d(1, 3, 3)), path.join(dir, 'other.safetensors'));
    const before = m.stateDict().get('0.weight')!.data;
    await expect(loadCheckpoint(m, path.join(dir, 'other.safetensors'))).rejects.toThrow(StateDictError);
    expect(m.stateDict().get('0.weight')!.data).toEqual(before);
    await expect(saveCheckpoint(m, path.join(dir, 'no-such-dir', 'x.safetensors'))).rejects.toThrow(/ENOENT/);
    expect((await readdir(dir)).sort()).toEqual(['bad.safetensors', 'other.safetensors']);
  });
});
