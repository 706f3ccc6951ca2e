/** `striate-bench detect`: one detector on one image; prints the detections as JSON, writes an annotated PNG. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Detection, detect } from '@striate/detection';
import { loadDecoder, loadRgbImage } from '../accuracy/detector-map.js';
import { modelsDir } from '../matrix/models.js';
import { className, detectionsSvg, writeAnnotatedPng } from '../visual/annotate.js';
import type { DetectArgs } from './args.js';
import { UsageError } from './args.js';
import { compileOnnxFile } from './compile-onnx.js';

/** The .onnx file of each built-in detector, under the models folder (`STRIATE_MODELS`). */
export const DETECTOR_FILES: Readonly<Record<string, string>> = {
  fastestdet: 'fastestdet/FastestDet.onnx',
  ultraface: 'ultraface/version-RFB-320_without_postprocessing.onnx',
  blazeface: 'blazeface/face_detection_back_256x256_barracuda.onnx',
};

/** Class names: `--labels FILE` (one a line), COCO's 80 for FastestDet, `face` for the face detectors. */
function classNames(a: DetectArgs): string[] {
  const read = (file: string) =>
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  if (a.labels !== undefined) {
    if (!existsSync(a.labels)) throw new UsageError(`--labels: file ${a.labels} does not exist`);
    return read(a.labels);
  }
  if (a.decoder === 'fastestdet') {
    const names = join(modelsDir(), 'fastestdet', 'coco.names');
    return existsSync(names) ? read(names) : [];
  }
  if (a.decoder === 'ultraface' || a.decoder === 'blazeface') return ['face'];
  return [];
}

export interface DetectOutput {
  image: string;
  width: number;
  height: number;
  model: string;
  backend: string;
  device: string;
  providers: string[];
  out?: string;
  detections: (Detection & { label: string })[];
}

export async function detectCommand(a: DetectArgs): Promise<string> {
  if (!existsSync(a.image)) throw new UsageError(`IMAGE: file ${a.image} does not exist`);
  const modelPath = DETECTOR_FILES[a.model] !== undefined ? join(modelsDir(), DETECTOR_FILES[a.model]!) : a.model;
  let decoder: ReturnType<typeof loadDecoder>;
  try {
    decoder = loadDecoder(a.decoder);
  } catch (e) {
    throw e instanceof RangeError ? new UsageError(e.message) : e;
  }
  const labels = classNames(a);
  const image = await loadRgbImage(a.image);
  const { model, spec, device } = await compileOnnxFile(modelPath, a.backend, a.device);
  let dets: Detection[];
  let providers: string[];
  try {
    dets = await detect(model, decoder, image, a.score === undefined ? {} : { scoreThreshold: a.score });
    // After the run: a backend reports the providers that ran it (tfjs: the backend active for the last run).
    providers = [...model.providers];
  } finally {
    await model.dispose();
  }
  if (a.out !== undefined) {
    await writeAnnotatedPng(a.image, detectionsSvg(image.width, image.height, dets, labels), a.out, {
      palette: a.palette,
    });
  }
  const round = (v: number) => Math.round(v * 100) / 100;
  const out: DetectOutput = {
    image: a.image,
    width: image.width,
    height: image.height,
    model: a.model,
    backend: spec.name,
    device,
    providers,
    ...(a.out !== undefined ? { out: a.out } : {}),
    detections: dets.map((d) => ({
      label: className(d, labels),
      classIndex: d.classIndex,
      score: Math.round(d.score * 1e4) / 1e4,
      box: d.box.map(round) as Detection['box'],
      ...(d.keypoints ? { keypoints: d.keypoints.map(([x, y]) => [round(x), round(y)] as [number, number]) } : {}),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
