/**
 * One run of the demo: decode -> preprocess -> inference -> post-process, each stage timed. Detectors run on
 * `ortWeb` (`@striate/backend-ort/web`) with the decoders of `@striate/detection`, exactly the steps of its
 * `detect()` (split here only to time them); the selfie segmenter runs on `@striate/backend-tfjs/web` with
 * `@striate/segmentation`'s mask ops. Compiled models are cached per model and backend until another one is asked for.
 */
import { ortWeb } from '@striate/backend-ort/web';
import type { TfjsGraphModel } from '@striate/backend-tfjs/web';
import type { CompiledModel } from '@striate/core';
import { Tensor } from '@striate/core';
import { createDecoder, type Decoder, postprocessDetections, resizeBilinear } from '@striate/detection';
import { resizeLabels } from '@striate/segmentation';
import { type DecodedImage, decodeImage } from './image.js';
import { type BackendId, type DetectorSpec, MODELS, type ModelId, type SegmenterSpec } from './models.js';
import { setupOrtWeb } from './ort-setup.js';
import { loadTfjsModel } from './tfjs-setup.js';

export interface Timings {
  decode: number;
  /** Fetching and compiling the model (first run of a model/backend pair only; 0 when cached). */
  load: number;
  preprocess: number;
  inference: number;
  postprocess: number;
}

export interface DetectionOut {
  box: [number, number, number, number];
  score: number;
  classIndex: number;
  label: string;
  keypoints?: [number, number][];
}

export interface RunResult {
  model: ModelId;
  backend: BackendId;
  /** What actually ran, as the runtime reports it (ORT: the execution provider; tfjs: `tf.getBackend()`). */
  providers: string[];
  /** wasm threads of onnxruntime-web (ORT backends only). */
  threads?: number;
  width: number;
  height: number;
  timings: Timings;
  detections?: DetectionOut[];
  /** Person mask at the image size (1 = person), for the segmenter. */
  mask?: Tensor<'int32'>;
  /** Fraction of the image's pixels in the mask. */
  maskFraction?: number;
}

export interface RunRequest {
  model: ModelId;
  backend: BackendId;
  /** An image file, a URL of one (relative to the page), or an already decoded frame (webcam). */
  image: Blob | string | DecodedImage;
  /** Overrides the decoder's display score threshold. */
  scoreThreshold?: number;
}

type Loaded =
  | { key: string; kind: 'ort'; model: CompiledModel & { dispose(): Promise<void> | void }; decoder: Decoder }
  | { key: string; kind: 'tfjs'; model: TfjsGraphModel };

let loaded: Loaded | undefined;
const labelCache = new Map<string, readonly string[]>();

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetch ${url}: HTTP ${res.status} ${res.statusText}`);
  return res;
}

async function labelsOf(spec: DetectorSpec): Promise<readonly string[]> {
  if (typeof spec.labels !== 'string') return spec.labels;
  let names = labelCache.get(spec.labels);
  if (!names) {
    const text = await (await fetchOk(spec.labels)).text();
    names = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    labelCache.set(spec.labels, names);
  }
  return names;
}

async function release(): Promise<void> {
  const old = loaded;
  loaded = undefined;
  if (!old) return;
  if (old.kind === 'ort') await old.model.dispose();
  else old.model.dispose();
}

async function load(modelId: ModelId, backend: BackendId): Promise<Loaded> {
  const key = `${modelId}@${backend}`;
  if (loaded?.key === key) return loaded;
  await release();
  const spec = MODELS[modelId];
  if (!spec.backends.includes(backend)) {
    throw new RangeError(`model ${modelId}: backend ${backend} is not offered; expected one of ${spec.backends}`);
  }
  if (backend === 'ort-wasm' || backend === 'ort-webgpu') {
    if (spec.task !== 'detect' || !spec.files.ort) throw new RangeError(`model ${modelId} has no ONNX file`);
    await setupOrtWeb();
    const bytes = new Uint8Array(await (await fetchOk(spec.files.ort)).arrayBuffer());
    const model = await ortWeb.compileOnnx(bytes, { device: backend === 'ort-webgpu' ? 'webgpu' : 'wasm' });
    loaded = { key, kind: 'ort', model, decoder: createDecoder(spec.decoder) };
  } else {
    if (!spec.files.tfjs) throw new RangeError(`model ${modelId} has no TF.js graph model`);
    const model = await loadTfjsModel(spec.files.tfjs, backend === 'tfjs-webgpu' ? 'webgpu' : 'wasm');
    loaded = { key, kind: 'tfjs', model };
  }
  return loaded;
}

const now = () => performance.now();

async function runDetector(
  spec: DetectorSpec,
  l: Extract<Loaded, { kind: 'ort' }>,
  decoded: DecodedImage,
  t: Timings,
  scoreThreshold: number | undefined,
): Promise<Pick<RunResult, 'detections' | 'providers'>> {
  const names = await labelsOf(spec);
  let t0 = now();
  const { input, transform } = l.decoder.preprocess(decoded.rgb);
  t.preprocess = now() - t0;
  t0 = now();
  const inputName = l.decoder.config.preprocess.inputName ?? l.model.inputNames[0]!;
  const outputs = await l.model.run({ [inputName]: input });
  t.inference = now() - t0;
  t0 = now();
  const post = { ...l.decoder.config.postprocess, ...(scoreThreshold === undefined ? {} : { scoreThreshold }) };
  const dets = postprocessDetections(l.decoder.decode(outputs, post.scoreThreshold), transform, post);
  t.postprocess = now() - t0;
  return {
    providers: [...l.model.providers],
    detections: dets.map((d) => ({ ...d, label: names[d.classIndex] ?? `class ${d.classIndex}` })),
  };
}

async function runSegmenter(
  spec: SegmenterSpec,
  l: Extract<Loaded, { kind: 'tfjs' }>,
  decoded: DecodedImage,
  t: Timings,
): Promise<Pick<RunResult, 'mask' | 'maskFraction' | 'providers'>> {
  const n = spec.size;
  let t0 = now();
  // The same OpenCV-style bilinear resize the detectors use, then RGB in [0, 1], NHWC.
  const resized = resizeBilinear(decoded.rgb, n, n);
  for (let i = 0; i < resized.length; i++) resized[i] = resized[i]! / 255;
  t.preprocess = now() - t0;
  t0 = now();
  const outputs = await l.model.run({ [l.model.inputNames[0]!]: new Tensor('float32', [1, n, n, 3], resized) });
  const out = outputs[l.model.outputNames[0]!]!.data as Float32Array;
  t.inference = now() - t0;
  t0 = now();
  const small = new Int32Array(n * n);
  for (let i = 0; i < small.length; i++) small[i] = out[i]! > 0.5 ? 1 : 0;
  const { width, height } = decoded.rgb;
  const mask = resizeLabels(new Tensor('int32', [n, n], small), [height, width]);
  let on = 0;
  for (const v of mask.data as Int32Array) on += v;
  t.postprocess = now() - t0;
  return { providers: [...l.model.providers], mask, maskFraction: on / (width * height) };
}

/** Runs one request; also returns the decoded image for drawing. */
export async function runPipeline(req: RunRequest): Promise<{ result: RunResult; image: DecodedImage }> {
  const t: Timings = { decode: 0, load: 0, preprocess: 0, inference: 0, postprocess: 0 };
  let t0 = now();
  const src = req.image;
  const image =
    src instanceof Blob || typeof src === 'string'
      ? await decodeImage(typeof src === 'string' ? await (await fetchOk(src)).blob() : src)
      : src;
  t.decode = now() - t0;
  t0 = now();
  const l = await load(req.model, req.backend);
  t.load = now() - t0;
  const spec = MODELS[req.model];
  const base = { model: req.model, backend: req.backend, width: image.rgb.width, height: image.rgb.height };
  if (spec.task === 'detect' && l.kind === 'ort') {
    const out = await runDetector(spec, l, image, t, req.scoreThreshold);
    return { result: { ...base, ...out, threads: (await setupOrtWeb()).threads, timings: t }, image };
  }
  if (spec.task === 'segment' && l.kind === 'tfjs') {
    return { result: { ...base, ...(await runSegmenter(spec, l, image, t)), timings: t }, image };
  }
  throw new Error(`model ${req.model} on ${req.backend}: no pipeline for this pair`);
}
