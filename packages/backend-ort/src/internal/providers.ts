/** Device names, the execution provider each asks ONNX Runtime for, and the name ORT's profiler reports. */
export const EXECUTION_PROVIDERS = Object.freeze({
  cpu: Object.freeze({ ep: 'cpu', profiled: 'CPUExecutionProvider' }),
  webgpu: Object.freeze({ ep: 'webgpu', profiled: 'WebGpuExecutionProvider' }),
  cuda: Object.freeze({ ep: 'cuda', profiled: 'CUDAExecutionProvider' }),
  wasm: Object.freeze({ ep: 'wasm', profiled: 'CPUExecutionProvider' }),
});

export type OrtDevice = keyof typeof EXECUTION_PROVIDERS;

const SHORT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  CPUExecutionProvider: 'cpu',
  WebGpuExecutionProvider: 'webgpu',
  JsExecutionProvider: 'webgpu',
  CUDAExecutionProvider: 'cuda',
});

export function checkDevice(device: unknown, devices: readonly string[]): asserts device is OrtDevice {
  if (typeof device !== 'string' || !devices.includes(device)) {
    throw new RangeError(
      `options.device: expected one of ${devices.map((d) => JSON.stringify(d)).join(', ')}, got ` +
        `${typeof device === 'string' ? JSON.stringify(device) : String(device)}`,
    );
  }
}

/** Per execution provider (as the profiler names it): how many nodes ran on it and which op types. */
export type Placement = ReadonlyMap<string, { readonly nodes: number; readonly ops: ReadonlySet<string> }>;

/**
 * What ran, in the `CompiledModel.providers` form: the requested device first if any node ran on it, then one entry
 * per other provider with the number of nodes that fell back to it, e.g. `['webgpu', 'cpu (fallback: 2 nodes:
 * Gather, Shape)']`. A graph whose nodes were all folded away ran no kernel: `['cpu (no kernels ran)']`.
 */
export function describePlacement(device: OrtDevice, placement: Placement): string[] {
  const wanted = EXECUTION_PROVIDERS[device].profiled;
  const out: string[] = [];
  if (placement.size === 0) return [`${device} (no kernels ran: the graph folded to constants)`];
  if (placement.has(wanted)) out.push(device);
  for (const [provider, { nodes, ops }] of [...placement].sort(([a], [b]) => a.localeCompare(b))) {
    if (provider === wanted) continue;
    const name = SHORT_NAMES[provider] ?? provider;
    out.push(`${name} (fallback: ${nodes} node${nodes === 1 ? '' : 's'}: ${[...ops].sort().join(', ')})`);
  }
  return out;
}

/** Counts nodes per provider in a Chrome-trace profile written by ORT (`enableProfiling`). */
export function placementFromProfile(events: unknown): Placement {
  const placement = new Map<string, { nodes: number; ops: Set<string> }>();
  if (!Array.isArray(events)) return placement;
  const seen = new Set<string>();
  for (const e of events as { cat?: string; name?: string; args?: { provider?: string; op_name?: string } }[]) {
    if (e?.cat !== 'Node' || typeof e.args?.provider !== 'string') continue;
    const name = String(e.name ?? '').replace(/_(kernel_time|fence_before|fence_after)$/, '');
    const key = `${e.args.provider}\u0000${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let entry = placement.get(e.args.provider);
    if (!entry) {
      entry = { nodes: 0, ops: new Set() };
      placement.set(e.args.provider, entry);
    }
    entry.nodes++;
    if (e.args.op_name) entry.ops.add(e.args.op_name);
  }
  return placement;
}
