/** Runs the model x backend x device x batch matrix and returns the report. */

import { addDiffs, readFloors, runChecks } from '../accuracy/checks.js';
import { ACCURACY_TASKS, checkTaskData } from '../accuracy/tasks.js';
import { describeMachine } from '../harness/machine.js';
import { measureCase, type TimingOptions } from '../harness/measure.js';
import { type BenchReport, type CaseResult, type DeviceStatus, REPORT_SCHEMA } from '../report/schema.js';
import { resolveShared, sharedDir } from '../shared-dirs.js';
import { BACKENDS, type BackendSpec } from './backends.js';
import { MODELS, type ModelSpec, makeFeeds, modelsDir } from './models.js';
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

export interface PlannedCase {
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
        if (model.backends && !model.backends.includes(backend.name)) continue;
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

/**
 * The accuracy of a real model's case (batch 1) on its task's data, with the NMS stage of detectors; undefined for
 * models without a task (the backbones have random weights). Missing data fails the case, naming the file.
 */
async function accuracyOf(
  c: PlannedCase,
  quick: boolean,
): Promise<Pick<CaseResult, 'accuracy' | 'nms' | 'accuracySkipped'> | undefined> {
  const task = ACCURACY_TASKS[c.model.name];
  if (!task || c.batch !== 1) return undefined;
  // The NMS stage is TypeScript over the decoded boxes: in --quick it is timed once per detector, on the
  // reference backend's candidates; a full run times it on every backend's own candidates.
  const withNms = !quick || `${c.backend.name}/${c.device}` === task.reference;
  const unavailable = task.unavailable?.(resolveShared('STRIATE_DATA', 'data'));
  if (unavailable) {
    if (!withNms || !task.nmsWithout) return { accuracySkipped: unavailable };
    const model = await c.backend.compile(c.model, c.device);
    try {
      return { accuracySkipped: unavailable, nms: await task.nmsWithout(model, dataDir(), quick) };
    } finally {
      await model.dispose();
    }
  }
  checkTaskData(c.model.name, task, dataDir());
  const model = await c.backend.compile(c.model, c.device);
  try {
    const r = await task.run(model, dataDir(), quick, withNms);
    return {
      accuracy: {
        dataset: task.dataset,
        metric: task.metric,
        images: r.images,
        values: r.values,
        reference: task.reference,
      },
      ...(r.nms ? { nms: r.nms } : {}),
    };
  } finally {
    await model.dispose();
  }
}

/** --quick measures accuracy on a case only when its images (at the case's p50) fit in this many ms. */
export const QUICK_ACCURACY_BUDGET_MS = 20_000;

/**
 * Why --quick skips the accuracy of this case, or undefined: a real model whose quick images (8 for the detectors
 * and selfie-seg, 1,000 MNIST images for LeNet-5) at the case's p50 would take longer than QUICK_ACCURACY_BUDGET_MS
 * (WebGPU on a software adapter such as SwiftShader: seconds a run).
 */
export function quickAccuracySkip(c: PlannedCase, p50Ms: number): string | undefined {
  const task = ACCURACY_TASKS[c.model.name];
  if (!task || c.batch !== 1) return undefined;
  const images = task.quickImages;
  const ms = p50Ms * images;
  if (ms <= QUICK_ACCURACY_BUDGET_MS) return undefined;
  return (
    `--quick: ${images} images x p50 ${p50Ms.toFixed(0)} ms = ${(ms / 1000).toFixed(0)} s is over the ` +
    `${QUICK_ACCURACY_BUDGET_MS / 1000} s budget for one case (run without --quick to measure it)`
  );
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
  addDiffs(cases);
  const data = resolveShared('STRIATE_DATA', 'data');
  const modelsFrom = resolveShared('STRIATE_MODELS', 'models');
  return {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    command: options.command ?? 'striate-bench run',
    quick: options.quick,
    machine: describeMachine(),
    devices,
    data: { source: data.source, dataDir: data.dir, modelsSource: modelsFrom.source, modelsDir: modelsDir() },
    cases,
    checks: runChecks(cases, readFloors()),
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
    const feeds = makeFeeds(c.model, c.batch);
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
    const skip = quick ? quickAccuracySkip(c, m.latency.p50Ms) : undefined;
    if (skip) result.accuracySkipped = skip;
    else {
      const accuracy = await accuracyOf(c, quick);
      if (accuracy) Object.assign(result, accuracy);
    }
    return result;
  } catch (e) {
    return { ...base, status: 'error', error: errorText(e) };
  }
}
