import { CONFORMANCE_CASES, describeConformance, type KnownGap } from '@striate/core/testing';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from './backend.js';

/**
 * The shared conformance suite (every IR op against the reference backend) on each tfjs device. A device that is
 * not available here fails its test with the runtime's reason instead of being skipped.
 */
const KNOWN_GAPS: readonly KnownGap[] = [
  {
    id: 'RoiAlign/max mode',
    reason: "RoiAlign mode 'max' (ONNX Runtime's weighted-corner maximum) is not implemented",
  },
];

const devices = await tfjsBackend.devices();

describe('tfjs devices', () => {
  it('lists cpu, wasm and webgpu with a reason for each unavailable one', () => {
    expect(devices.map((d) => d.device)).toEqual(['cpu', 'wasm', 'webgpu']);
    for (const d of devices) {
      if (!d.available) {
        console.warn(`[backend-tfjs] device ${d.device} unavailable: ${d.reason}`);
        expect(d.reason).toMatch(/\S/);
      }
    }
    expect(devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    expect(devices.find((d) => d.device === 'wasm')?.available).toBe(true);
  });
});

for (const d of devices) {
  if (d.available) {
    describeConformance({ describe, it, expect }, tfjsBackend, d.device, { knownGaps: KNOWN_GAPS });
  } else {
    describe(`conformance: tfjs on ${d.device}`, () => {
      it(`device ${d.device} is available (${CONFORMANCE_CASES.length} cases not run)`, () => {
        expect.fail(`tfjs device ${d.device} is not available here: ${d.reason}`);
      });
    });
  }
}
