/** Runs the model x backend x device x batch matrix and returns the report. */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectorMap, loadDecoder } from '../accuracy/detector-map.js';
import { describeMachine } from '../harness/machine.js';
import { measureCase, type TimingOptions } from '../harness/measure.js';
import { type BenchReport, type CaseResult, type DeviceStatus, REPORT_SCHEMA } from '../report/schema.js';
import { sharedDir } from '../shared-dirs.js';
import { BACKENDS, type BackendSpec } from './backends.js';
import { MODELS, type ModelSpec, makeFeeds } from './models.js';
import { compileRawOrt } from './raw-ort.js';

export interface RunOptions {
  quick: boolean;
  /** Backend names (default all). */
  backends?: readonly string[];
  /** Model names (default all). */
  models?: readonly string[];
  /** Called before each case with its index, the total and a label (progress display). */
  onProgress?: (index: number, total: number, label: string) => void;
  command?: string;
}

interface PlannedCase {
  model: ModelSpec;
  backend: BackendSpec;
  device: string;
  batch: number;
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Which device of which backend is usable here, as each backend's `devices()` says. */
export async function probeDevices(
  backends: readonly BackendSpec[],
  earlier: readonly DeviceStatus[] = [],
): Promise<DeviceStatus[]> {
  const out: DeviceStatus[] = [];
  for (const b of backends) {
    if (b.name === 'tfjs') {
      out.push(...(await probeTfjs(b, [...earlier, ...out])));
      continue;
    }
    let infos: readonly { device: string; available: boolean; reason?: string }[];
    try {
      infos = await b.backend.devices();
    } catch (e) {
      infos = b.devices.map((device) => ({ device, available: false, reason: errorText(e) }));
    }
    for (const device of b.devices) {
      const info = infos.find((i) => i.device === device);
      out.push({
        backend: b.name,
        device,
        available: info?.available ?? false,
        ...(info?.reason ? { reason: info.reason } : info ? {} : { reason: 'not listed by devices()' }),
      });
    }
  }
  return out;
}

/**
 * tfjs's `devices()` initialises every device, and its WebGPU probe takes ~110 s to fail on a machine without an
 * adapter: try 'cpu' and 'wasm' with a tiny compile, and 'webgpu' only where ORT found a WebGPU adapter.
 */
async function probeTfjs(b: BackendSpec, earlier: readonly DeviceStatus[]): Promise<DeviceStatus[]> {
  const ortWebgpu = earlier.find((d) => d.backend === 'ort-node' && d.device === 'webgpu');
  const out: DeviceStatus[] = [];
  for (const device of b.devices) {
    if (device === 'webgpu' && !ortWebgpu?.available) {
      out.push({
        backend: b.name,
        device,
        available: false,
        reason:
          'not probed: ort-node found no WebGPU adapter here, or was not in --backends (tfjs takes ~110 s to fail)',
      });
      continue;
    }
    try {
      const model = await b.compile(MODELS[0]!, device);
      await model.dispose();
      out.push({ backend: b.name, device, available: true });
    } catch (e) {
      out.push({ backend: b.name, device, available: false, reason: errorText(e) });
    }
  }
  return out;
}

export function planCases(
  quick: boolean,
  backends: readonly BackendSpec[],
  models: readonly ModelSpec[],
  devices: readonly DeviceStatus[],
): PlannedCase[] {
  const plan: PlannedCase[] = [];
  const batches = quick ? [1] : [1, 8];
  for (const backend of backends) {
    for (const device of backend.devices) {
      if (!devices.some((d) => d.backend === backend.name && d.device === device && d.available)) continue;
      const sizes = backend.sizes(device, quick);
      for (const model of models) {
        if (!sizes.includes(model.size)) continue;
        for (const batch of batches) {
          if (batch > 1 && !model.batchable) continue;
          plan.push({ model, backend, device, batch });
        }
      }
    }
  }
  return plan;
}

/** Where the shared datasets are: `STRIATE_DATA`, or `../shared/data` beside the repository. */
export function dataDir(): string {
  return sharedDir('STRIATE_DATA', 'data');
}

/** Detectors with COCO-format ground truth here, and the decoder each uses. */
const ACCURACY: Record<string, { decoder: string; dataset: string; gt: string; images: string }> = {
  fastestdet: {
    decoder: 'fastestdet',
    dataset: 'coco128-val',
    gt: 'coco128-val/instances_val2017.json',
    images: 'coco128-val/images',
  },
};

async function accuracyOf(c: PlannedCase, quick: boolean): Promise<CaseResult['accuracy']> {
  const spec = ACCURACY[c.model.name];
  if (!spec || c.batch !== 1) return undefined;
  const gtPath = join(dataDir(), spec.gt);
  if (!existsSync(gtPath)) return undefined;
  const model = await c.backend.compile(c.model, c.device);
  try {
    const limit = quick ? 16 : undefined;
    const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as unknown;
    const r = await detectorMap(model, loadDecoder(spec.decoder), join(dataDir(), spec.images), gt, {
      ...(limit ? { limit } : {}),
    });
    return { dataset: spec.dataset, images: r.images, mAP: r.stats[0]!, mAP50: r.stats[1]! };
  } finally {
    await model.dispose();
  }
}

/** A provider other than the device asked for (the reference backend reports itself as 'reference'). */
export function isFallback(backend: string, device: string, providers: readonly string[]): boolean {
  return providers.some((p) => {
    const first = p.split(' ')[0];
    return /fallback/i.test(p) || (first !== device && first !== backend);
  });
}

export async function runMatrix(options: RunOptions): Promise<BenchReport> {
  const started = performance.now();
  const backends = options.backends ? BACKENDS.filter((b) => options.backends!.includes(b.name)) : BACKENDS;
  const models = options.models ? MODELS.filter((m) => options.models!.includes(m.name)) : MODELS;
  const timing: TimingOptions = options.quick
    ? { warmupIterations: 1, iterations: 3, timeMs: 250 }
    : { warmupIterations: 3, iterations: 10, timeMs: 2000 };
  const cases: CaseResult[] = [];
  const devices: DeviceStatus[] = [];
  // One backend at a time, probed right before its cases: loading onnxruntime-web's 27 MB wasm held the next
  // compile of any runtime up for ~100 s here (V8 optimising it), so it goes last and its probe time is reported.
  for (const [bi, backend] of backends.entries()) {
    options.onProgress?.(bi, backends.length, `probing ${backend.name} devices`);
    const t = performance.now();
    const probed = await probeDevices([backend], devices);
    const probeMs = performance.now() - t;
    devices.push(...probed.map((d) => ({ ...d, probeMs })));
    const plan = planCases(options.quick, [backend], models, devices);
    for (const [i, c] of plan.entries()) {
      options.onProgress?.(
        bi,
        backends.length,
        `${backend.name} ${i + 1}/${plan.length}: ${c.model.name} ${c.device} batch ${c.batch}`,
      );
      cases.push(await runCase(c, options.quick, timing));
    }
  }
  options.onProgress?.(backends.length, backends.length, 'done');
  for (const c of cases) {
    const ref = cases.find((r) => r.model === c.model && r.backend === 'ort-node' && r.device === 'cpu');
    if (c.accuracy && ref?.accuracy) c.accuracy.diffFromOrtCpu = c.accuracy.mAP - ref.accuracy.mAP;
  }
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    command: options.command ?? 'striate-bench run',
    quick: options.quick,
    machine: describeMachine(),
    devices,
    cases,
    totalSeconds: (performance.now() - started) / 1000,
  };
}

async function runCase(c: PlannedCase, quick: boolean, timing: TimingOptions): Promise<CaseResult> {
  const label = `${c.model.name} ${c.backend.name}/${c.device} batch ${c.batch}`;
  const base = {
    model: c.model.name,
    modelSource: c.model.source,
    backend: c.backend.name,
    device: c.device,
    batch: c.batch,
  };
  try {
    const feeds = makeFeeds(c.model, c.model.load().graph, c.batch);
    const m = await measureCase(
      { name: label, batch: c.batch, feeds, compile: () => c.backend.compile(c.model, c.device) },
      timing,
    );
    const result: CaseResult = {
      ...base,
      status: 'ok',
      coldStartMs: m.coldStartMs,
      firstRunMs: m.firstRunMs,
      latency: m.latency,
      imagesPerSecond: m.imagesPerSecond,
      peakRssDeltaMiB: m.peakRssDeltaMiB,
      providers: m.providers,
      fallback: isFallback(c.backend.name, c.device, m.providers),
    };
    if (c.backend.name === 'ort-node' && c.device === 'cpu') {
      const bytes = c.model.load().onnx;
      const p = await measureCase(
        { name: `${label} (raw ORT)`, batch: c.batch, feeds, compile: () => compileRawOrt(bytes) },
        timing,
      );
      result.peer = {
        name: 'onnxruntime-node (raw session)',
        coldStartMs: p.coldStartMs,
        latency: p.latency,
        overheadRatio: m.latency.p50Ms / p.latency.p50Ms,
      };
    }
    const accuracy = await accuracyOf(c, quick);
    if (accuracy) result.accuracy = accuracy;
    return result;
  } catch (e) {
    return { ...base, status: 'error', error: errorText(e) };
  }
}
