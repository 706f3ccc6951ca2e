/**
 * `evaluateCoco` (bbox and segm) on the golden files and on seeded synthetic sets: 5,000 images x 100 detections
 * (bbox) and 500 images x 100 detections with masks (segm; polygons in the ground truth, compressed RLE results).
 * Timings include validation and RLE parsing (the work of pycocotools' `COCO()` + `loadRes`), not JSON parsing.
 *
 * Peer: pycocotools itself (`COCO` + `loadRes` + `COCOeval.evaluate/accumulate/summarize`, JSON parsing excluded),
 * run from here through `child_process` on the same data when `$STRIATE_PYTHON` (default `python3`) can
 * `import pycocotools`; the 12 numbers are compared too. Since the peer runs during setup, striate is also timed
 * right before it (median of 3) and the ratio is given for those back-to-back timings, which saw the same load. Without pycocotools (as in CI) `report` says so and prints
 * only striate's timings.
 *
 * Run: `cd packages/detection && pnpm bench coco-eval` (with a peer: `STRIATE_PYTHON=/path/to/python pnpm bench ...`)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { goldenDir } from '../../../../test-utils/fixtures.js';
import { evaluateCoco } from './coco-eval.js';
import { syntheticCoco } from './coco-synthetic.js';

interface Case {
  name: string;
  gt: object;
  dt: object[];
  iouType: 'bbox' | 'segm';
}

interface PeerResult {
  seconds: number;
  /** striate's median time over 3 runs made right before the peer ran (same load). */
  oursAdjacentMs: number;
  maxStatDiff: number;
}

const PEER_SCRIPT = `
import contextlib, io, json, sys, time
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
gt_path, dt_path, iou_type, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
times = []
for _ in range(repeats):
    gt_json = json.load(open(gt_path)); dt_json = json.load(open(dt_path))
    with contextlib.redirect_stdout(io.StringIO()):
        t0 = time.perf_counter()
        gt = COCO(); gt.dataset = gt_json; gt.createIndex()
        E = COCOeval(gt, gt.loadRes(dt_json), iou_type)
        E.evaluate(); E.accumulate(); E.summarize()
        times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"seconds": times[len(times) // 2], "stats": [float(s) for s in E.stats]}))
`;

const python = process.env.STRIATE_PYTHON ?? 'python3';
const peerResults = new Map<string, PeerResult>();
let peerStatus = '';

function peerAvailable(): boolean {
  const probe = spawnSync(python, ['-c', 'import pycocotools'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const why = probe.error ? String(probe.error.message) : (probe.stderr.trim().split('\n').pop() ?? '');
  peerStatus =
    `pycocotools is not importable by ${python} (${why}): the peer comparison cannot run here. ` +
    'Set STRIATE_PYTHON to a Python that has pycocotools to measure the ratio in the same run.';
  return false;
}

function runPeer(c: Case, stats: number[], dir: string): void {
  const gtPath = join(dir, `${c.name}-gt.json`.replace(/\W+/g, '_'));
  const dtPath = join(dir, `${c.name}-dt.json`.replace(/\W+/g, '_'));
  writeFileSync(gtPath, JSON.stringify(c.gt));
  writeFileSync(dtPath, JSON.stringify(c.dt));
  const repeats = c.dt.length > 100_000 ? 1 : 3;
  const ours: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    sink += evaluateCoco(c).stats[0]!;
    ours.push(performance.now() - t0);
  }
  ours.sort((a, b) => a - b);
  const out = spawnSync(python, ['-c', PEER_SCRIPT, gtPath, dtPath, c.iouType, String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (out.status !== 0) throw new Error(`coco-eval.bench: pycocotools failed on ${c.name}: ${out.stderr}`);
  const peer = JSON.parse(out.stdout.trim().split('\n').pop()!) as { seconds: number; stats: number[] };
  const maxStatDiff = Math.max(...peer.stats.map((s, i) => Math.abs(s - stats[i]!)));
  peerResults.set(c.name, { seconds: peer.seconds, oursAdjacentMs: ours[1]!, maxStatDiff });
}

function cases(): Case[] {
  const dir = join(goldenDir(), 'coco');
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const gt = read('gt.json');
  const big = syntheticCoco({ images: 5000, detsPerImage: 100, categories: 20, masks: false, seed: 1 });
  const masks = syntheticCoco({ images: 500, detsPerImage: 100, categories: 20, masks: true, seed: 2 });
  return [
    { name: 'golden bbox', gt, dt: read('dt_bbox.json'), iouType: 'bbox' },
    { name: 'golden segm', gt, dt: read('dt_segm.json'), iouType: 'segm' },
    { name: 'synthetic 5000x100 bbox', gt: big.gt, dt: big.dtBbox, iouType: 'bbox' },
    { name: 'synthetic 500x100 segm', gt: masks.gt, dt: masks.dtSegm, iouType: 'segm' },
  ];
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default function (): Bench {
  const all = cases();
  const withPeer = peerAvailable();
  const dir = withPeer ? mkdtempSync(join(tmpdir(), 'striate-coco-')) : '';
  try {
    for (const c of all) {
      const { stats } = evaluateCoco(c);
      if (withPeer) runPeer(c, stats, dir);
    }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  const bench = new Bench({ name: 'coco-eval', iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 });
  for (const c of all) {
    bench.add(`evaluateCoco ${c.name} (striate)`, () => {
      sink += evaluateCoco(c).stats[0]!;
    });
  }
  return bench;
}

/** Prints striate's mean time per case and, where pycocotools ran, its time and the ratio (same run). */
export function report(bench: Bench): void {
  if (peerStatus) console.log(peerStatus);
  for (const task of bench.tasks) {
    const result = task.result;
    const ms = result && 'latency' in result ? result.latency.mean : undefined;
    const name = task.name.replace(/^evaluateCoco | \(striate\)$/g, '');
    if (ms === undefined) {
      console.log(`${name}: no result`);
      continue;
    }
    const peer = peerResults.get(name);
    const line = `${name}: striate ${ms.toFixed(1)} ms`;
    if (!peer) console.log(`${line} (pycocotools not measured)`);
    else {
      const peerMs = peer.seconds * 1000;
      console.log(
        `${line}; measured back to back with the peer: striate ${peer.oursAdjacentMs.toFixed(1)} ms, pycocotools ` +
          `${peerMs.toFixed(1)} ms, ratio pycocotools/striate = ${(peerMs / peer.oursAdjacentMs).toFixed(1)}x ` +
          `(vs the table's mean: ${(peerMs / ms).toFixed(1)}x); max |stat difference| ${peer.maxStatDiff.toExponential(1)}`,
      );
    }
  }
}
