import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValueSpec } from '../internal/feeds.js';
import { zeroFeeds } from '../internal/feeds.js';
import type { OrtRuntime, OrtSessionOptions, OrtTensor } from '../internal/ort-runtime.js';
import { describePlacement, EXECUTION_PROVIDERS, type OrtDevice, placementFromProfile } from '../internal/providers.js';
import type { OpenSession } from '../internal/session-cache.js';
import { sessionSpecs } from '../internal/specs.js';
import { toOrtTensor } from '../internal/tensor-convert.js';

export interface OpenOptions {
  readonly device: OrtDevice;
  /** Declared inputs/outputs (from the graph); read from the session when absent. */
  readonly io?: { readonly inputs: readonly ValueSpec[]; readonly outputs: readonly ValueSpec[] };
  /** Extra ORT session options (execution providers and profiling are set here). */
  readonly sessionOptions?: OrtSessionOptions;
}

/**
 * Creates a session on one execution provider and finds out where its nodes actually run: the session is created
 * with ORT's profiler on, run once on zero inputs (symbolic dims bound to 1), and the profile's per-node `provider`
 * field is counted. The profiler stops after that run, so later runs are not profiled.
 */
export async function openVerifiedSession(
  runtime: OrtRuntime,
  bytes: Uint8Array,
  options: OpenOptions,
): Promise<OpenSession> {
  const dir = await mkdtemp(join(tmpdir(), 'striate-ort-'));
  let session: Awaited<ReturnType<OrtRuntime['InferenceSession']['create']>> | undefined;
  try {
    session = await runtime.InferenceSession.create(bytes, {
      logSeverityLevel: 3,
      ...options.sessionOptions,
      executionProviders: [EXECUTION_PROVIDERS[options.device].ep],
      enableProfiling: true,
      profileFilePrefix: join(dir, 'profile'),
    });
    const io = options.io ?? sessionSpecs(session);
    const names = (list: readonly { name: string }[]) => list.map((v) => v.name).join(', ');
    if (names(io.inputs) !== session.inputNames.join(', ') || names(io.outputs) !== session.outputNames.join(', ')) {
      throw new Error(
        `onnxruntime session declares inputs [${session.inputNames.join(', ')}] and outputs ` +
          `[${session.outputNames.join(', ')}], the graph [${names(io.inputs)}] and [${names(io.outputs)}]`,
      );
    }
    const feeds: Record<string, OrtTensor> = {};
    for (const [name, t] of Object.entries(zeroFeeds(io.inputs))) feeds[name] = toOrtTensor(runtime, t, name);
    const results = await session.run(feeds);
    // With preferredOutputLocation 'gpu-buffer' the outputs are device memory: free them.
    for (const t of Object.values(results)) if (t.location === 'gpu-buffer') t.dispose();
    session.endProfiling();
    const events: unknown[] = [];
    for (const file of await readdir(dir)) {
      const parsed: unknown = JSON.parse(await readFile(join(dir, file), 'utf8'));
      if (Array.isArray(parsed)) events.push(...parsed);
    }
    const providers = describePlacement(options.device, placementFromProfile(events));
    return { session, inputs: io.inputs, outputs: io.outputs, providers };
  } catch (error) {
    await session?.release();
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
