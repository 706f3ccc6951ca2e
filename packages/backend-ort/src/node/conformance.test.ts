import { CONFORMANCE_CASES, type ConformanceCase, describeConformance } from '@striate/core/testing';
import { describe, expect, it } from 'vitest';
import { ortNode } from '../index.js';
import { ORT_NODE_KNOWN_GAPS } from './known-gaps.js';

const devices = await ortNode.devices();
const unavailable = devices.filter((d) => !d.available);
if (unavailable.length > 0) {
  console.warn(
    `\n!!! [backend-ort conformance] devices NOT available here, their conformance did not run:\n` +
      unavailable.map((d) => `!!!   ${d.device}: ${d.reason}`).join('\n') +
      '\n',
  );
}

describe('ortNode devices for the conformance run', () => {
  it('has cpu available, and a reason for every device that is not', () => {
    expect(devices.find((d) => d.device === 'cpu')?.available).toBe(true);
    for (const d of unavailable) expect(typeof d.reason === 'string' && d.reason.length > 0, d.device).toBe(true);
  });
});

describeConformance({ describe, it, expect }, ortNode, 'cpu', { knownGaps: ORT_NODE_KNOWN_GAPS.cpu });

/**
 * WebGPU on SwiftShader costs ~100 ms a case, so CI runs the first case of every op plus the edge cases that differ
 * most between GPU kernels (ceil-mode pooling, groups, dilation, align-corners resize, negative axes, and Conv input
 * channels a multiple of 3 but not of 4, which onnxruntime 1.30's WebGPU Conv gets wrong unless rewritten).
 */
const FIRST_OF_OP = new Set(CONFORMANCE_CASES.filter((c, i, all) => all.findIndex((d) => d.op === c.op) === i));
const WEBGPU_EDGE =
  /ceil mode|depthwise|dilation 2$|align_corners|negative axes|groups 2|broadcast \[C|a multiple of 3/;
function smallWebgpuSubset(c: ConformanceCase): boolean {
  return FIRST_OF_OP.has(c) || WEBGPU_EDGE.test(c.id);
}

if (devices.find((d) => d.device === 'webgpu')?.available) {
  describeConformance({ describe, it, expect }, ortNode, 'webgpu', {
    filter: process.env.STRIATE_CONFORMANCE_FULL ? undefined : smallWebgpuSubset,
    knownGaps: ORT_NODE_KNOWN_GAPS.webgpu,
  });
}
