import type { KnownGap } from '@striate/core/testing';

/**
 * Conformance cases onnxruntime-node is known to fail, per device, with the reason (tfjs's TEST_FILTERS, here).
 * They are listed in the test output and not run (a segfault would take the whole test process down).
 */
export const ORT_NODE_KNOWN_GAPS: Readonly<Record<'cpu' | 'webgpu', readonly KnownGap[]>> = Object.freeze({
  cpu: [],
  webgpu: [],
});
