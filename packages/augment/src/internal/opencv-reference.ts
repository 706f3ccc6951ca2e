/**
 * The OpenCV side of src/augment.bench.ts: OpenCV 4.x timings of the same ops on a 640x480 RGB uint8 image, one
 * thread. In order of preference:
 * 1. `STRIATE_OPENCV_JSON=<file>`: a result saved earlier (`python3 scripts/opencv-bench.py --json > file`);
 * 2. measured in this run by spawning `scripts/opencv-bench.py --json` with the first Python that imports cv2
 *    (`STRIATE_PYTHON`, then `/usr/bin/python3` (Debian's python3-opencv), then `python3` on PATH);
 * 3. the fixed numbers of issue #8 (OpenCV 4.6 on this machine kind, not this machine now), labelled as such.
 * Bench-only (node:child_process); not exported from the package.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface OpenCvReference {
  /** Median milliseconds per op, keyed by the bench's task names. */
  ms: Record<string, number>;
  /** Minimum milliseconds per op, where measured (a loaded machine moves medians more than minima). */
  minMs?: Record<string, number>;
  /** Where the numbers come from, printed above the ratios. */
  label: string;
  /** True when measured on this machine (in this run or a saved file), false for the issue's fixed numbers. */
  sameMachine: boolean;
}

/** Issue #8: OpenCV 4.6 on this machine kind, milliseconds per 640x480 RGB image. */
export const ISSUE_8_OPENCV_MS: Readonly<Record<string, number>> = Object.freeze({
  hflip: 0.14,
  'rotate 15 bilinear': 0.69,
  'resize to 320x240': 0.07,
  'crop + resize to 224': 0.1,
  'brightness/contrast': 0.1,
  'HSV round trip': 0.65,
  'Gaussian noise': 10.4,
});

interface ScriptResult {
  opencv: string;
  python?: string;
  ms: Record<string, number>;
  min_ms?: Record<string, number>;
}

function parseResult(text: string, source: string): ScriptResult {
  const r = JSON.parse(text) as ScriptResult;
  if (typeof r?.opencv !== 'string' || typeof r.ms !== 'object' || r.ms === null) {
    throw new Error(`${source}: expected {"opencv": version, "ms": {op: ms}}, got ${text.slice(0, 200)}`);
  }
  for (const name of Object.keys(ISSUE_8_OPENCV_MS)) {
    if (typeof r.ms[name] !== 'number' || !(r.ms[name]! > 0)) {
      throw new Error(`${source}: ms["${name}"]: expected a positive number, got ${String(r.ms[name])}`);
    }
  }
  return r;
}

const SCRIPT = fileURLToPath(new URL('../../scripts/opencv-bench.py', import.meta.url));

/** Finds or measures the OpenCV reference (see the file comment); never throws, says why in `label`. */
export function openCvReference(env: NodeJS.ProcessEnv = process.env): OpenCvReference {
  const file = env.STRIATE_OPENCV_JSON;
  if (file) {
    const r = parseResult(readFileSync(file, 'utf8'), file);
    return {
      ms: r.ms,
      minMs: r.min_ms,
      sameMachine: true,
      label: `OpenCV ${r.opencv} from ${file} (STRIATE_OPENCV_JSON)`,
    };
  }
  const tried: string[] = [];
  for (const python of [env.STRIATE_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!python) continue;
    const probe = spawnSync(python, ['-c', 'import cv2, numpy'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status !== 0) {
      tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}`);
      continue;
    }
    const run = spawnSync(python, [SCRIPT, '--json'], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) {
      tried.push(`${python} ${SCRIPT}: exit ${run.status}: ${run.stderr.trim()}`);
      continue;
    }
    const r = parseResult(run.stdout, `${python} ${SCRIPT}`);
    return {
      ms: r.ms,
      minMs: r.min_ms,
      sameMachine: true,
      label: `OpenCV ${r.opencv} measured in this run (${python}, Python ${r.python ?? '?'}, one thread)`,
    };
  }
  return {
    ms: { ...ISSUE_8_OPENCV_MS },
    sameMachine: false,
    label:
      '!!! OpenCV NOT measured on this machine: using the fixed OpenCV 4.6 numbers of issue #8 (another machine of ' +
      `this kind). Install python3-opencv or set STRIATE_OPENCV_JSON. Tried: ${tried.join('; ')}`,
  };
}
