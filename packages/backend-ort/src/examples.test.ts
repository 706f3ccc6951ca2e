// The README's three-line example, verbatim in spirit, so it cannot rot.
import { Conv2d, Tensor } from '@striate/core';
import { describe, expect, it } from 'vitest';
import { ortNode } from './index.js';

describe('README example', () => {
  it('compiles a Conv2d on ORT cpu and runs it', async () => {
    using model = await ortNode.compile(new Conv2d(3, 8, 3).toGraph({ inputs: { input: ['N', 3, 32, 32] } }));
    const { output } = await model.run({ input: new Tensor('float32', [1, 3, 32, 32], new Float32Array(3 * 32 * 32)) });
    expect(model.providers).toEqual(['cpu']);
    expect(output!.shape).toEqual([1, 8, 30, 30]);
  });
});
