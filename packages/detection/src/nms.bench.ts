/**
 * `nms` on 1k / 10k / 100k seeded random boxes, beside a peer measured in the same run: a line-by-line port of
 * torchvision's O(N^2) CPU algorithm (`naiveNms`, which is also the oracle of the tests). Keep lists are checked
 * to be identical before timing.
 *
 * Two box distributions:
 * - sparse: a canvas of side 20 * sqrt(N), sides 4..40 px: most boxes are kept, so the O(N^2) algorithm does ~N^2/2
 *   IoU tests (the regime of torchvision's 6 ms / 268 ms / 17 s at 1k / 10k / 100k quoted in the issue).
 * - dense: a 640 x 640 canvas, sides 8..200 px: heavy overlap, far fewer boxes kept.
 * The peer at 100k is not run (~10 s dense, ~100 s sparse per call); for sparse, `report` prints an extrapolation
 * (10k time x 100, the algorithm's N^2 cost when nearly all boxes are kept), labelled as such.
 *
 * Second peer, same run and same boxes: `tf.image.nonMaxSuppression` (tfjs-core 4.22 on its cpu backend; boxes
 * passed as [y1, x1, y2, x2], maxOutputSize N, IoU threshold 0.5). Its keep list is checked to equal ours before
 * timing. It compares each candidate with every box kept so far (O(N x kept)), so it runs at 1k (sparse and dense)
 * and dense 10k only (sparse 10k takes seconds per call and would push the file past 30 s). Its input tensors are
 * disposed after the timed phase; `report` prints how many tfjs tensors are still alive (0 expected).
 *
 * Run: `cd packages/detection && pnpm bench nms`
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Bench } from 'tinybench';
import { gridNms, naiveNms, scoreOrder } from './internal/nms-kernel.js';
import { randomBoxes } from './internal/test-data.js';
import { nms } from './nms.js';

const SIZES = [1000, 10000, 100000] as const;
const PEER_SIZES = new Set([1000, 10000]);
const TFJS_RUNS: ReadonlySet<string> = new Set(['sparse 1000', 'dense 1000', 'dense 10000']);
const IOU = 0.5;

type Kind = 'sparse' | 'dense';
const data = (kind: Kind, n: number) =>
  kind === 'sparse' ? randomBoxes(n, 1, 20 * Math.sqrt(n), 4, 40) : randomBoxes(n, 1, 640, 8, 200);

const ours = (kind: Kind, n: number) => `nms ${kind} ${n} (striate)`;
const peer = (kind: Kind, n: number) => `nms ${kind} ${n} (torchvision algorithm, JS port)`;
const tfjsPeer = (kind: Kind, n: number) => `nms ${kind} ${n} (tf.image.nonMaxSuppression, tfjs cpu)`;

/** tfjs input tensors: boxes as [N, 4] rows (y1, x1, y2, x2) and scores [N]. */
function tfjsInputs(boxes: Float32Array, scores: Float32Array, n: number): [tf.Tensor2D, tf.Tensor1D] {
  const yx = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    yx[4 * i] = boxes[4 * i + 1]!;
    yx[4 * i + 1] = boxes[4 * i]!;
    yx[4 * i + 2] = boxes[4 * i + 3]!;
    yx[4 * i + 3] = boxes[4 * i + 2]!;
  }
  return [tf.tensor2d(yx, [n, 4]), tf.tensor1d(scores)];
}

/** Runs tf.image.nonMaxSuppression and returns the kept indices (the result tensor is disposed). */
function tfjsNms(tb: tf.Tensor2D, ts: tf.Tensor1D, n: number): Int32Array {
  const result = tf.image.nonMaxSuppression(tb, ts, n, IOU);
  const keep = result.dataSync() as Int32Array;
  result.dispose();
  return keep;
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default async function (): Promise<Bench> {
  await tf.setBackend('cpu');
  const bench = new Bench({ name: 'nms', iterations: 3, time: 200, warmupIterations: 1, warmupTime: 0 });
  for (const kind of ['sparse', 'dense'] as const) {
    for (const n of SIZES) {
      const { boxes, scores } = data(kind, n);
      if (PEER_SIZES.has(n)) {
        const order = scoreOrder(scores);
        const a = gridNms(boxes, n, true, order, IOU);
        const b = naiveNms(boxes, n, true, order, IOU);
        if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
          throw new Error(`nms.bench: keep lists differ for ${kind} ${n} (${a.length} vs ${b.length} kept)`);
        }
      }
      bench.add(ours(kind, n), () => {
        sink += nms(boxes, scores, IOU).length;
      });
      if (PEER_SIZES.has(n)) {
        bench.add(peer(kind, n), () => {
          sink += naiveNms(boxes, n, true, scoreOrder(scores), IOU).length;
        });
      }
      if (TFJS_RUNS.has(`${kind} ${n}`)) {
        const [tb, ts] = tfjsInputs(boxes, scores, n);
        const a = nms(boxes, scores, IOU);
        const b = tfjsNms(tb, ts, n);
        if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
          tb.dispose();
          ts.dispose();
          throw new Error(`nms.bench: tfjs keep list differs for ${kind} ${n} (${b.length} vs ${a.length} kept)`);
        }
        bench.add(
          tfjsPeer(kind, n),
          () => {
            sink += tfjsNms(tb, ts, n).length;
          },
          {
            afterAll: (mode) => {
              if (mode === 'run') {
                tb.dispose();
                ts.dispose();
              }
            },
          },
        );
      }
    }
  }
  return bench;
}

/** Prints, per size, mean times and the ratio peer / striate (same run). */
export function report(bench: Bench): void {
  const ms = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.mean : undefined;
  };
  for (const kind of ['sparse', 'dense'] as const) {
    for (const n of SIZES) {
      const a = ms(ours(kind, n));
      const kept = nms(data(kind, n).boxes, data(kind, n).scores, IOU).length;
      if (a === undefined) {
        console.log(`nms ${kind} ${n}: no result`);
        continue;
      }
      let line = `nms ${kind} ${n} (${kept} kept): striate ${a.toFixed(2)} ms`;
      const b = ms(peer(kind, n));
      const t = ms(tfjsPeer(kind, n));
      if (t !== undefined)
        line += `, tf.image.nonMaxSuppression (tfjs cpu) ${t.toFixed(1)} ms, ratio ${(t / a).toFixed(1)}x`;
      if (b !== undefined) line += `, torchvision algorithm (JS port) ${b.toFixed(1)} ms, ratio ${(b / a).toFixed(1)}x`;
      else if (kind === 'sparse') {
        const b10k = ms(peer(kind, 10000));
        if (b10k !== undefined) {
          const extrapolated = b10k * (n / 10000) ** 2;
          line += `, torchvision algorithm EXTRAPOLATED (10k time x ${(n / 10000) ** 2}, not measured) ${(extrapolated / 1000).toFixed(1)} s, ratio ~${(extrapolated / a).toFixed(0)}x`;
        }
      } else line += ', peer not run at this size';
      console.log(line);
    }
  }
  console.log(`tfjs tensors alive after the run: ${tf.memory().numTensors}`);
  console.log('torchvision CPU as quoted in the issue (same machine kind, its own data): 6 ms / 268 ms / 17 s');
}
