/** The page: controls, the WebGPU check, and showing a run (canvas, providers, stage timings, detections). */
import { drawResult } from './draw.js';
import type { RunSummary } from './hook.js';
import { type DecodedImage, grabFrame } from './image.js';
import { BACKEND_LABELS, BACKENDS, type BackendId, isBackendId, isModelId, MODELS, type ModelId } from './models.js';
import { runPipeline } from './pipeline.js';
import { SAMPLES } from './samples.js';
import { probeWebGpu, type WebGpuStatus } from './webgpu.js';

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: element #${id} is missing`);
  return el as T;
}

const ui = {
  status: $<HTMLParagraphElement>('webgpu-status'),
  form: $<HTMLFormElement>('controls'),
  sample: $<HTMLSelectElement>('sample'),
  file: $<HTMLInputElement>('file'),
  webcam: $<HTMLButtonElement>('webcam'),
  video: $<HTMLVideoElement>('video'),
  model: $<HTMLSelectElement>('model'),
  backend: $<HTMLSelectElement>('backend'),
  run: $<HTMLButtonElement>('run'),
  canvas: $<HTMLCanvasElement>('canvas'),
  message: $<HTMLParagraphElement>('message'),
  providers: $<HTMLElement>('providers'),
  timings: $<HTMLTableElement>('timings'),
  detections: $<HTMLOListElement>('detections'),
};

let webgpu: WebGpuStatus = { available: false, reason: 'not checked yet' };
let chosenFile: File | undefined;
let frame: DecodedImage | undefined;

function option(select: HTMLSelectElement, value: string, label: string, disabled = false): void {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  o.disabled = disabled;
  select.append(o);
}

function fillBackends(model: ModelId): void {
  const previous = ui.backend.value;
  ui.backend.replaceChildren();
  for (const b of BACKENDS) {
    if (!MODELS[model].backends.includes(b)) continue;
    const gpu = b.endsWith('webgpu');
    option(
      ui.backend,
      b,
      gpu && !webgpu.available ? `${BACKEND_LABELS[b]} (no WebGPU)` : BACKEND_LABELS[b],
      gpu && !webgpu.available,
    );
  }
  const usable = [...ui.backend.options].filter((o) => !o.disabled);
  ui.backend.value = usable.some((o) => o.value === previous) ? previous : (usable[0]?.value ?? '');
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function showError(error: unknown): void {
  ui.message.className = 'error';
  ui.message.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(error);
}

async function runAndShow(
  model: ModelId,
  backend: BackendId,
  image: Blob | string | DecodedImage,
): Promise<RunSummary> {
  ui.run.disabled = true;
  ui.message.className = '';
  ui.message.textContent = `Running ${MODELS[model].label} on ${BACKEND_LABELS[backend]}…`;
  try {
    const { result, image: decoded } = await runPipeline({ model, backend, image });
    const t0 = performance.now();
    drawResult(ui.canvas, decoded, result);
    const draw = performance.now() - t0;
    ui.providers.textContent = `${result.providers.join(', ')}${result.threads ? ` · ${result.threads} wasm thread(s)` : ''}`;
    const rows = Object.entries({ ...result.timings, draw }).map(([stage, ms]) => {
      const tr = document.createElement('tr');
      tr.innerHTML = `<td>${stage}</td><td>${ms.toFixed(1)}</td>`;
      return tr;
    });
    ui.timings.tBodies[0]!.replaceChildren(...rows);
    ui.detections.replaceChildren(
      ...(result.detections ?? []).map((d) => {
        const li = document.createElement('li');
        li.textContent = `${d.label} ${d.score.toFixed(2)} [${d.box.map((v) => v.toFixed(0)).join(', ')}]`;
        return li;
      }),
    );
    ui.message.textContent =
      result.detections !== undefined
        ? `${result.detections.length} detection(s) on ${result.width}x${result.height}`
        : `person mask: ${((result.maskFraction ?? 0) * 100).toFixed(1)}% of ${result.width}x${result.height}`;
    const { mask, ...rest } = result;
    return {
      ...rest,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      ...(mask ? { maskBase64: toBase64(Uint8Array.from(mask.data as Int32Array)) } : {}),
    };
  } catch (error) {
    showError(error);
    throw error;
  } finally {
    ui.run.disabled = false;
  }
}

function currentImage(): Blob | string | DecodedImage {
  return frame ?? chosenFile ?? ui.sample.value;
}

async function webcamFrame(): Promise<void> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('webcam: navigator.mediaDevices.getUserMedia is missing');
  if (!ui.video.srcObject) {
    ui.video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
    await ui.video.play();
  }
  frame = await grabFrame(ui.video);
  chosenFile = undefined;
}

async function init(): Promise<WebGpuStatus> {
  for (const s of SAMPLES) option(ui.sample, s.file, s.label);
  for (const [id, spec] of Object.entries(MODELS)) option(ui.model, id, spec.label);
  webgpu = await probeWebGpu();
  ui.status.textContent = webgpu.available
    ? `WebGPU available (${webgpu.adapter}).`
    : `WebGPU is not available here: ${webgpu.reason}. Only the wasm backends are offered.`;
  ui.status.className = webgpu.available ? 'status' : 'status warn';
  fillBackends(ui.model.value as ModelId);
  ui.model.addEventListener('change', () => fillBackends(ui.model.value as ModelId));
  ui.sample.addEventListener('change', () => {
    chosenFile = undefined;
    frame = undefined;
  });
  ui.file.addEventListener('change', () => {
    chosenFile = ui.file.files?.[0];
    frame = undefined;
  });
  ui.webcam.addEventListener('click', () => {
    webcamFrame()
      .then(() => ui.form.requestSubmit())
      .catch(showError);
  });
  ui.form.addEventListener('submit', (e) => {
    e.preventDefault();
    const model = ui.model.value;
    const backend = ui.backend.value;
    if (!isModelId(model) || !isBackendId(backend)) return showError(new Error('choose a model and a backend'));
    runAndShow(model, backend, currentImage()).catch(() => undefined);
  });
  ui.message.textContent = 'Ready: pick an image, a model and a backend, then Run.';
  return webgpu;
}

const ready = init();
window.__striate = {
  ready,
  async run(req) {
    await ready;
    if (!isModelId(req.model))
      throw new RangeError(`run: model: expected one of ${Object.keys(MODELS)}, got ${req.model}`);
    if (!isBackendId(req.backend))
      throw new RangeError(`run: backend: expected one of ${BACKENDS}, got ${req.backend}`);
    ui.model.value = req.model;
    fillBackends(req.model);
    ui.backend.value = req.backend;
    const sample = SAMPLES.find((s) => s.file === req.image);
    if (sample) ui.sample.value = sample.file;
    const summary = await runAndShow(req.model, req.backend, req.image);
    return summary;
  },
};
ready.catch(showError);
