import { describe, expect, it } from 'vitest';
import { checkDevice, describePlacement, placementFromProfile } from './providers.js';
import { SessionCache } from './session-cache.js';

const node = (name: string, op: string, provider: string) => ({
  cat: 'Node',
  name: `${name}_kernel_time`,
  args: { op_name: op, provider },
});

describe('placementFromProfile / describePlacement', () => {
  it('counts each node once per provider and names the ops that fell back', () => {
    const events = [
      { cat: 'Session', name: 'model_run' },
      node('conv', 'Conv', 'WebGpuExecutionProvider'),
      node('conv', 'Conv', 'WebGpuExecutionProvider'), // a second event of the same node
      { ...node('conv', 'Conv', 'WebGpuExecutionProvider'), name: 'conv_fence_before' },
      node('shape', 'Shape', 'CPUExecutionProvider'),
      node('gather', 'Gather', 'CPUExecutionProvider'),
    ];
    const placement = placementFromProfile(events);
    expect(placement.get('WebGpuExecutionProvider')?.nodes).toBe(1);
    expect(describePlacement('webgpu', placement)).toEqual(['webgpu', 'cpu (fallback: 2 nodes: Gather, Shape)']);
  });

  it('reports a device that ran nothing, and a graph with no kernels, without guessing', () => {
    const cpuOnly = placementFromProfile([node('relu', 'Relu', 'CPUExecutionProvider')]);
    expect(describePlacement('webgpu', cpuOnly)).toEqual(['cpu (fallback: 1 node: Relu)']);
    expect(describePlacement('cpu', cpuOnly)).toEqual(['cpu']);
    expect(describePlacement('cpu', placementFromProfile([]))).toEqual([
      'cpu (no kernels ran: the graph folded to constants)',
    ]);
    expect(placementFromProfile('not a profile').size).toBe(0);
  });

  it('checkDevice names the valid devices', () => {
    expect(() => checkDevice('gpu', ['cpu', 'webgpu'])).toThrow(
      /options\.device: expected one of "cpu", "webgpu", got "gpu"/,
    );
    expect(() => checkDevice(1, ['cpu'])).toThrow(RangeError);
  });
});

describe('SessionCache', () => {
  const fakeSession = () => {
    const s = { released: 0, release: async () => void s.released++ };
    return s;
  };

  it('shares one session per source and key, releases it with the last reference', async () => {
    const cache = new SessionCache();
    const source = {};
    const s = fakeSession();
    let opens = 0;
    const open = async () => {
      opens++;
      return { session: s as never, inputs: [], outputs: [], providers: ['cpu'] };
    };
    await Promise.all([cache.acquire(source, 'cpu', open), cache.acquire(source, 'cpu', open)]);
    expect(opens).toBe(1);
    expect(cache.size).toBe(1);
    await cache.release(source, 'cpu');
    expect(s.released).toBe(0);
    await cache.release(source, 'cpu');
    expect(s.released).toBe(1);
    expect(cache.size).toBe(0);
    await cache.release(source, 'cpu'); // a stray release is harmless
    expect(s.released).toBe(1);
  });

  it('forgets a session that failed to open, so the next acquire tries again', async () => {
    const cache = new SessionCache();
    const source = {};
    await expect(cache.acquire(source, 'webgpu', () => Promise.reject(new Error('no adapter')))).rejects.toThrow(
      'no adapter',
    );
    expect(cache.size).toBe(0);
    const s = fakeSession();
    await cache.acquire(source, 'webgpu', async () => ({
      session: s as never,
      inputs: [],
      outputs: [],
      providers: [],
    }));
    expect(cache.size).toBe(1);
    await cache.release(source, 'webgpu');
    expect(cache.size).toBe(0);
  });
});
