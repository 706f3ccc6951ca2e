import {
  type Backend,
  type CompiledModel,
  type CompileOptions,
  type DeviceInfo,
  describeValue,
  type Graph,
} from '@striate/core';
import { TfjsCompiledModel } from './compiled-model.js';
import { ensureDevice, TFJS_DEVICES, type TfjsDevice } from './internal/runtime.js';

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function checkGraph(graph: Graph): void {
  if (typeof graph !== 'object' || graph === null)
    throw new TypeError(`graph: expected a Graph object, got ${describeValue(graph)}`);
  for (const key of ['inputs', 'outputs', 'nodes'] as const) {
    if (!Array.isArray(graph[key]))
      throw new TypeError(`graph.${key}: expected an array, got ${describeValue(graph[key])}`);
  }
  if (!(graph.initializers instanceof Map)) {
    throw new TypeError(`graph.initializers: expected a Map, got ${describeValue(graph.initializers)}`);
  }
}

/** Checks `options.device` and returns it (default 'cpu'). */
export function readDevice(options: CompileOptions | undefined): TfjsDevice {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  }
  const device = options?.device ?? 'cpu';
  if (!(TFJS_DEVICES as readonly string[]).includes(device)) {
    throw new RangeError(
      `options.device: expected one of ${TFJS_DEVICES.map((d) => `'${d}'`).join(', ')}, got ${describeValue(device)}`,
    );
  }
  return device as TfjsDevice;
}

/** Initialises `device`, or throws an Error naming it with the runtime's own reason. */
export async function requireDevice(device: TfjsDevice): Promise<void> {
  try {
    await ensureDevice(device);
  } catch (e) {
    throw new Error(`tfjs backend: device '${device}' is not available here: ${errorText(e)}`, { cause: e });
  }
}

/**
 * TensorFlow.js as a striate backend: devices 'cpu' (tfjs-backend-cpu), 'wasm' (tfjs-backend-wasm, its .wasm files
 * read from the installed package) and 'webgpu' (tfjs-backend-webgpu; in Node through the `webgpu` package's
 * Dawn, which this installs as `navigator.gpu` when there is none). tfjs is imported only when a device is used.
 *
 * tfjs's active backend is global: every compile and run here is serialised and switches tfjs to its model's
 * device first, so models on different devices can be used together (not concurrently). Code outside this package
 * that uses tfjs at the same time should not rely on `tf.getBackend()` staying put.
 */
export const tfjsBackend: Backend = Object.freeze({
  name: 'tfjs',
  async devices(): Promise<readonly DeviceInfo[]> {
    const out: DeviceInfo[] = [];
    for (const device of TFJS_DEVICES) {
      try {
        await ensureDevice(device);
        out.push({ device, available: true });
      } catch (e) {
        out.push({ device, available: false, reason: errorText(e) });
      }
    }
    return out;
  },
  async compile(graph: Graph, options?: CompileOptions): Promise<CompiledModel> {
    const device = readDevice(options);
    checkGraph(graph);
    await requireDevice(device);
    return TfjsCompiledModel.create(graph, device);
  },
});
