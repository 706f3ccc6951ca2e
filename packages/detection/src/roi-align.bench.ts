/**
 * `roiAlign` with 1,000 RoIs x 256 channels -> 7x7 (sampling ratio 2, aligned) on a [2, 256, 50, 68] feature map
 * (an FPN level of a 800x1088 batch at stride 16), beside a peer in the same run: a direct JS port of
 * torchvision's CPU kernel (per-RoI `pre_calc` of sample positions and weights, then channel by channel, 4 taps
 * per sample, divided by the count), and striate's previous kernel (`previousRoiAlign` below: 4 taps per pass
 * over an accumulator, a separate strided output loop, a closure per RoI), kept to measure the rewrite. Outputs are
 * checked to agree (1e-5) before timing. torchvision itself took 190 ms for this workload on the CPU machine kind
 * (quoted in the issue, not measured here).
 *
 * Run: `cd packages/detection && pnpm bench roi-align`
 */
import { Tensor } from '@striate/core';
import { Bench } from 'tinybench';
import { lcg } from './internal/test-data.js';
import { roiAlign } from './roi-align.js';

const [N, C, H, W] = [2, 256, 50, 68];
const K = 1000;
const SCALE = 1 / 16;
const OURS = `roiAlign ${K} RoIs x ${C} ch -> 7x7 (striate)`;
const PEER = `roiAlign ${K} RoIs x ${C} ch -> 7x7 (torchvision kernel, JS port)`;
const PREVIOUS = `roiAlign ${K} RoIs x ${C} ch -> 7x7 (previous striate kernel)`;
const TORCHVISION_MS = 190;

/** torchvision's roi_align_forward_kernel_impl, transcribed (sampling ratio > 0, aligned). */
function portedRoiAlign(data: Float32Array, rois: Float32Array, ratio: number): Float32Array {
  const out = new Float32Array(K * C * 49);
  const count = ratio * ratio;
  const pos = new Int32Array(49 * count * 4);
  const wts = new Float32Array(49 * count * 4);
  for (let r = 0; r < K; r++) {
    const b = rois[5 * r]!;
    const x0 = rois[5 * r + 1]! * SCALE - 0.5;
    const y0 = rois[5 * r + 2]! * SCALE - 0.5;
    const binW = (rois[5 * r + 3]! * SCALE - 0.5 - x0) / 7;
    const binH = (rois[5 * r + 4]! * SCALE - 0.5 - y0) / 7;
    let s = 0;
    for (let ph = 0; ph < 7; ph++) {
      for (let pw = 0; pw < 7; pw++) {
        for (let iy = 0; iy < ratio; iy++) {
          for (let ix = 0; ix < ratio; ix++, s += 4) {
            let y = y0 + ph * binH + ((iy + 0.5) * binH) / ratio;
            let x = x0 + pw * binW + ((ix + 0.5) * binW) / ratio;
            if (y < -1 || y > H || x < -1 || x > W) {
              wts.fill(0, s, s + 4);
              pos.fill(0, s, s + 4);
              continue;
            }
            y = Math.max(y, 0);
            x = Math.max(x, 0);
            let yl = Math.trunc(y);
            let xl = Math.trunc(x);
            let yh = yl + 1;
            let xh = xl + 1;
            if (yl >= H - 1) yh = yl = H - 1;
            if (yl === H - 1) y = yl;
            if (xl >= W - 1) xh = xl = W - 1;
            if (xl === W - 1) x = xl;
            const ly = y - yl;
            const lx = x - xl;
            pos.set([yl * W + xl, yl * W + xh, yh * W + xl, yh * W + xh], s);
            wts.set([(1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx], s);
          }
        }
      }
    }
    for (let c = 0; c < C; c++) {
      const base = (b * C + c) * H * W;
      for (let bin = 0; bin < 49; bin++) {
        let v = 0;
        for (let q = bin * count * 4; q < (bin + 1) * count * 4; q += 4) {
          v +=
            wts[q]! * data[base + pos[q]!]! +
            wts[q + 1]! * data[base + pos[q + 1]!]! +
            wts[q + 2]! * data[base + pos[q + 2]!]! +
            wts[q + 3]! * data[base + pos[q + 3]!]!;
        }
        out[(r * C + c) * 49 + bin] = v / count;
      }
    }
  }
  return out;
}

/**
 * striate's previous channels-last kernel, transcribed (sampling ratio > 0, aligned, K * 49 * 16 > N * H * W):
 * taps merged per bin, then 4 taps per pass over a Float32Array accumulator and a strided copy to the output.
 */
function previousRoiAlign(data: Float32Array, rois: Float32Array, ratio: number): Float32Array {
  const bins = 49;
  const out = new Float32Array(K * C * bins);
  const hwc = new Float32Array(data.length);
  for (let b = 0; b < N; b++) {
    for (let ch = 0; ch < C; ch++) {
      for (let p = 0; p < H * W; p++) hwc[b * H * W * C + ch + p * C] = data[(b * C + ch) * H * W + p]!;
    }
  }
  const acc = new Float32Array(C);
  const start = new Int32Array(bins + 1);
  const pos = new Int32Array(4 * bins * ratio * ratio);
  const weight = new Float64Array(4 * bins * ratio * ratio);
  const countInv = 1 / (ratio * ratio);
  for (let roi = 0; roi < K; roi++) {
    const b = rois[5 * roi]!;
    const x0 = rois[5 * roi + 1]! * SCALE - 0.5;
    const y0 = rois[5 * roi + 2]! * SCALE - 0.5;
    const binW = (rois[5 * roi + 3]! * SCALE - 0.5 - x0) / 7;
    const binH = (rois[5 * roi + 4]! * SCALE - 0.5 - y0) / 7;
    let n = 0;
    const add = (first: number, p: number, w: number): void => {
      for (let q = first; q < n; q++) {
        if (pos[q] === p) {
          weight[q] = weight[q]! + w;
          return;
        }
      }
      pos[n] = p;
      weight[n++] = w;
    };
    for (let py = 0; py < 7; py++) {
      for (let px = 0; px < 7; px++) {
        const first = n;
        start[py * 7 + px] = first;
        for (let iy = 0; iy < ratio; iy++) {
          let y = y0 + py * binH + ((iy + 0.5) * binH) / ratio;
          for (let ix = 0; ix < ratio; ix++) {
            let x = x0 + px * binW + ((ix + 0.5) * binW) / ratio;
            if (y < -1 || y > H || x < -1 || x > W) continue;
            if (y <= 0) y = 0;
            if (x <= 0) x = 0;
            let yl = Math.trunc(y);
            let xl = Math.trunc(x);
            let yh = yl + 1;
            let xh = xl + 1;
            let yy = y;
            if (yl >= H - 1) {
              yh = yl = H - 1;
              yy = yl;
            }
            if (xl >= W - 1) {
              xh = xl = W - 1;
              x = xl;
            }
            const ly = yy - yl;
            const lx = x - xl;
            add(first, yl * W + xl, (1 - ly) * (1 - lx) * countInv);
            add(first, yl * W + xh, (1 - ly) * lx * countInv);
            add(first, yh * W + xl, ly * (1 - lx) * countInv);
            add(first, yh * W + xh, ly * lx * countInv);
          }
        }
      }
    }
    start[bins] = n;
    const mapBase = b * H * W * C;
    for (let bin = 0; bin < bins; bin++) {
      acc.fill(0);
      const end = start[bin + 1]!;
      let q = start[bin]!;
      for (; q + 4 <= end; q += 4) {
        const w0 = weight[q]!;
        const w1 = weight[q + 1]!;
        const w2 = weight[q + 2]!;
        const w3 = weight[q + 3]!;
        const b0 = mapBase + pos[q]! * C;
        const b1 = mapBase + pos[q + 1]! * C;
        const b2 = mapBase + pos[q + 2]! * C;
        const b3 = mapBase + pos[q + 3]! * C;
        for (let ch = 0; ch < C; ch++) {
          acc[ch] += w0 * hwc[b0 + ch]! + w1 * hwc[b1 + ch]! + w2 * hwc[b2 + ch]! + w3 * hwc[b3 + ch]!;
        }
      }
      for (; q < end; q++) {
        const w = weight[q]!;
        const base = mapBase + pos[q]! * C;
        for (let ch = 0; ch < C; ch++) acc[ch] += w * hwc[base + ch]!;
      }
      const o = roi * C * bins + bin;
      for (let ch = 0; ch < C; ch++) out[o + ch * bins] = acc[ch]!;
    }
  }
  return out;
}

/** Keeps results observable so the work cannot be optimised away. */
export let sink = 0;

export default function (): Bench {
  const next = lcg(5);
  const input = new Tensor(
    'float32',
    [N, C, H, W],
    Float32Array.from({ length: N * C * H * W }, () => next() * 2 - 1),
  );
  const rois = new Float32Array(5 * K);
  for (let r = 0; r < K; r++) {
    const w = 16 + 400 * next();
    const h = 16 + 400 * next();
    const x = (W * 16 - w) * next();
    const y = (H * 16 - h) * next();
    rois.set([r % N, x, y, x + w, y + h], 5 * r);
  }
  const options = { outputSize: 7, spatialScale: SCALE, samplingRatio: 2, aligned: true } as const;
  const a = roiAlign(input, rois, options).data;
  for (const [name, b] of [
    ['torchvision port', portedRoiAlign(input.data, rois, 2)],
    ['previous kernel', previousRoiAlign(input.data, rois, 2)],
  ] as const) {
    for (let i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i]! - b[i]!) <= 1e-5)) {
        throw new Error(`roi-align.bench: outputs differ from the ${name} at ${i}: ${a[i]} vs ${b[i]}`);
      }
    }
  }
  const bench = new Bench({ name: 'roi-align', iterations: 5, time: 1000, warmupIterations: 2, warmupTime: 0 });
  bench.add(OURS, () => {
    sink += roiAlign(input, rois, options).data[sink & 0xff]!;
  });
  bench.add(PEER, () => {
    sink += portedRoiAlign(input.data, rois, 2)[sink & 0xff]!;
  });
  bench.add(PREVIOUS, () => {
    sink += previousRoiAlign(input.data, rois, 2)[sink & 0xff]!;
  });
  return bench;
}

/** Prints mean times, the ratios to the ported and the previous kernels (same run) and to torchvision's quoted 190 ms. */
export function report(bench: Bench): void {
  const ms = (name: string): number | undefined => {
    const result = bench.getTask(name)?.result;
    return result && 'latency' in result ? result.latency.mean : undefined;
  };
  const ours = ms(OURS);
  const peer = ms(PEER);
  const previous = ms(PREVIOUS);
  if (ours === undefined || peer === undefined || previous === undefined) {
    console.log('roi-align: no ratio (a task did not complete)');
    return;
  }
  console.log(
    `roiAlign ${K} RoIs x ${C} ch 7x7: striate ${ours.toFixed(1)} ms, torchvision kernel JS port ${peer.toFixed(1)} ms ` +
      `(ratio ${(peer / ours).toFixed(2)}x, same run), previous striate kernel ${previous.toFixed(1)} ms ` +
      `(ratio ${(previous / ours).toFixed(2)}x, same run); torchvision CPU quoted in the issue: ${TORCHVISION_MS} ms ` +
      `(ratio ${(TORCHVISION_MS / ours).toFixed(2)}x, different run)`,
  );
}
