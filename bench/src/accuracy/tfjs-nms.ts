/**
 * tfjs's `tf.image.nonMaxSuppression` as a peer of striate's NMS. tfjs-core is loaded from where
 * @striate/backend-tfjs resolves it (one module instance, one engine, the backends that package registered), and
 * its cpu and wasm backends are registered here if they are not yet.
 */
import { createRequire } from 'node:module';

interface TensorLike {
  dataSync(): unknown;
  dispose(): void;
}
/** The part of tfjs-core used here (bench does not depend on tfjs-core's types). */
interface Tf {
  findBackend(name: string): unknown;
  engine(): { registryFactory: Record<string, unknown> };
  memory(): { numTensors: number };
  getBackend(): string | undefined;
  setBackend(name: string): Promise<boolean>;
  tensor2d(values: Float32Array, shape: [number, number]): TensorLike;
  tensor1d(values: Float32Array): TensorLike;
  image: {
    nonMaxSuppression(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold: number): TensorLike;
  };
}

let tfPromise: Promise<{ tf: Tf; require: NodeJS.Require }> | undefined;

function loadTf(): Promise<{ tf: Tf; require: NodeJS.Require }> {
  tfPromise ??= (async () => {
    const require = createRequire(import.meta.resolve('@striate/backend-tfjs'));
    const tf = (await import(require.resolve('@tensorflow/tfjs-core'))) as Tf;
    return { tf, require };
  })();
  return tfPromise;
}

/** How many tfjs tensors are alive (0 loaded: none), to check that the peer disposes its inputs. */
export async function tfjsTensorCount(): Promise<number> {
  const { tf } = await loadTf();
  return tf.memory().numTensors;
}

/** The tfjs devices the NMS peer runs on. */
export const TFJS_NMS_DEVICES = ['cpu', 'wasm'] as const;
export type TfjsNmsDevice = (typeof TFJS_NMS_DEVICES)[number];

async function ensureBackend(tf: Tf, require: NodeJS.Require, device: TfjsNmsDevice): Promise<void> {
  if (tf.findBackend(device) !== null || tf.engine().registryFactory[device] !== undefined) return;
  if (device === 'cpu') {
    await import(require.resolve('@tensorflow/tfjs-backend-cpu'));
  } else {
    const wasm = (await import(require.resolve('@tensorflow/tfjs-backend-wasm'))) as {
      setWasmPaths(prefix: string): void;
    };
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    wasm.setWasmPaths(`${pkg.slice(0, -'package.json'.length)}dist/`);
  }
}

export interface TfjsNms {
  /** Kept indices, highest score first. */
  run(): Int32Array;
  dispose(): void;
}

/**
 * Prepares `tf.image.nonMaxSuppression` on `device` for `n` boxes `[x1, y1, x2, y2]` (tfjs wants `[y1, x1, y2,
 * x2]`): the input tensors are made once (not timed), `run()` is the op and reading its result, `dispose()` frees the
 * inputs and restores tfjs's previous backend.
 */
export async function prepareTfjsNms(
  device: TfjsNmsDevice,
  boxes: Float32Array,
  scores: Float32Array,
  iouThreshold: number,
): Promise<TfjsNms> {
  const { tf, require } = await loadTf();
  await ensureBackend(tf, require, device);
  const previous = tf.findBackend(tf.getBackend() ?? '') ? tf.getBackend() : undefined;
  if (!(await tf.setBackend(device))) throw new Error(`tf.image.nonMaxSuppression: tfjs backend '${device}' failed`);
  const n = scores.length;
  const yx = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    yx[4 * i] = boxes[4 * i + 1]!;
    yx[4 * i + 1] = boxes[4 * i]!;
    yx[4 * i + 2] = boxes[4 * i + 3]!;
    yx[4 * i + 3] = boxes[4 * i + 2]!;
  }
  const tb = tf.tensor2d(yx, [n, 4]);
  const ts = tf.tensor1d(scores);
  return {
    run() {
      const keep = tf.image.nonMaxSuppression(tb, ts, n, iouThreshold);
      const out = keep.dataSync() as Int32Array;
      keep.dispose();
      return out;
    },
    dispose() {
      tb.dispose();
      ts.dispose();
      if (previous && previous !== device) void tf.setBackend(previous);
    },
  };
}
