import {
  type Backend,
  type CompiledModel,
  type CompileOptions,
  type DeviceInfo,
  describeValue,
  type Graph,
  GraphBuilder,
  type Tensor,
} from '@striate/core';
import { exportOnnx } from '@striate/onnx';
import { DeviceTensorRegistry, type OrtDeviceTensor, type OrtOutputLocation } from './device-tensor.js';
import type { ValueSpec } from './feeds.js';
import { type OrtFeeds, OrtModel } from './ort-model.js';
import type { OrtRuntime, OrtSessionOptions } from './ort-runtime.js';
import { checkDevice, type OrtDevice } from './providers.js';
import { type OpenSession, SessionCache } from './session-cache.js';
import { padConvChannelsForWebgpu } from './webgpu-conv-channels.js';

export interface OrtCompileOptions extends CompileOptions {
  /** Throw when any node runs on a provider other than the requested device (default: report it in `providers`). */
  readonly strict?: boolean;
  /**
   * `'gpu-buffer'`: create the session with ORT's `preferredOutputLocation: 'gpu-buffer'`, so `runOnDevice()` leaves
   * the outputs in device memory for the next model (only where the backend supports it: `ortNode` on `webgpu`).
   * Default `'cpu'`.
   */
  readonly outputLocation?: OrtOutputLocation;
}

/** A compiled ORT model: a `CompiledModel` whose `dispose()` resolves when the session is released. */
export interface OrtCompiledModel extends CompiledModel {
  readonly outputLocation: OrtOutputLocation;
  /** Feeds may also be device tensors from a model on the same backend and device. */
  run(feeds: OrtFeeds): Promise<Record<string, Tensor>>;
  /** Runs and leaves the outputs in device memory (needs `outputLocation: 'gpu-buffer'`); dispose each output. */
  runOnDevice(feeds: OrtFeeds): Promise<Record<string, OrtDeviceTensor>>;
  dispose(): Promise<void>;
}

/** An ONNX Runtime backend: a striate `Backend`, plus `compileOnnx` for .onnx bytes and a count of open sessions. */
export interface OrtBackend extends Backend {
  compile(graph: Graph, options?: OrtCompileOptions): Promise<OrtCompiledModel>;
  /** Compiles the bytes of an .onnx file as they are (no striate graph involved). */
  compileOnnx(bytes: Uint8Array, options?: OrtCompileOptions): Promise<OrtCompiledModel>;
  /** ORT sessions created and not yet released (each is shared by the compiled models of one graph and device). */
  openSessions(): number;
  /** Device tensors returned by `runOnDevice` and not yet disposed. */
  liveDeviceTensors(): number;
}

export interface OrtBackendConfig {
  readonly name: string;
  readonly devices: readonly OrtDevice[];
  readonly defaultDevice: OrtDevice;
  /** Devices whose outputs can stay in device memory (`outputLocation: 'gpu-buffer'`); none when absent. */
  readonly deviceOutputs?: readonly OrtDevice[];
  loadRuntime(): Promise<OrtRuntime>;
  open(
    runtime: OrtRuntime,
    bytes: Uint8Array,
    options: {
      device: OrtDevice;
      io?: { inputs: readonly ValueSpec[]; outputs: readonly ValueSpec[] };
      sessionOptions?: OrtSessionOptions;
    },
  ): Promise<OpenSession>;
  /** Extra words for an unavailable device's reason (e.g. how WebGPU is enabled here). */
  hint?(device: OrtDevice): string;
}

function probeGraph(): Graph {
  const b = new GraphBuilder('striate_probe');
  const x = b.input('x', 'float32', [1, 4]);
  const [y] = b.op('Relu', [x], {}, { name: 'relu' });
  b.output(y!);
  return b.build();
}

function checkOptions(options: unknown): OrtCompileOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options: expected an object, got ${describeValue(options)}`);
  }
  return options as OrtCompileOptions;
}

function checkOutputLocation(
  name: string,
  device: OrtDevice,
  location: unknown,
  supported: readonly OrtDevice[],
): OrtOutputLocation {
  if (location === undefined || location === 'cpu') return 'cpu';
  if (location !== 'gpu-buffer') {
    throw new RangeError(`options.outputLocation: expected "cpu" or "gpu-buffer", got ${describeValue(location)}`);
  }
  if (!supported.includes(device)) {
    throw new RangeError(
      `options.outputLocation: "gpu-buffer" keeps outputs in device memory, which ${name} supports on ` +
        `${supported.length ? supported.map((d) => JSON.stringify(d)).join(', ') : 'no device'}; got device ` +
        `${JSON.stringify(device)}`,
    );
  }
  return location;
}

function checkStrict(device: OrtDevice, open: OpenSession, strict: boolean | undefined): void {
  if (strict && (open.providers.length !== 1 || open.providers[0] !== device)) {
    throw new Error(
      `options.strict: asked for ${device}, but onnxruntime ran ${open.providers.join('; ')}; drop strict to ` +
        'accept the fallback',
    );
  }
}

/** Builds an ORT backend object over one runtime module (onnxruntime-node or onnxruntime-web). */
export function createOrtBackend(config: OrtBackendConfig): OrtBackend {
  const cache = new SessionCache();
  const probes = new Map<OrtDevice, Promise<DeviceInfo>>();
  const registry = new DeviceTensorRegistry(() => loadRuntime());
  let runtime: Promise<OrtRuntime> | undefined;
  const loadRuntime = (): Promise<OrtRuntime> => {
    runtime ??= config.loadRuntime();
    return runtime;
  };

  async function compileBytes(
    source: object,
    bytes: () => Uint8Array,
    options: OrtCompileOptions,
    io: { inputs: readonly ValueSpec[]; outputs: readonly ValueSpec[] } | undefined,
  ): Promise<OrtModel> {
    const device = options.device ?? config.defaultDevice;
    checkDevice(device, config.devices);
    const outputLocation = checkOutputLocation(config.name, device, options.outputLocation, config.deviceOutputs ?? []);
    const rt = await loadRuntime();
    const key = outputLocation === 'cpu' ? device : `${device}:${outputLocation}`;
    const sessionOptions: OrtSessionOptions | undefined =
      outputLocation === 'cpu' ? undefined : { preferredOutputLocation: outputLocation };
    const open = await cache.acquire(source, key, () =>
      config.open(rt, bytes(), { device, ...(io ? { io } : {}), ...(sessionOptions ? { sessionOptions } : {}) }),
    );
    try {
      checkStrict(device, open, options.strict);
    } catch (error) {
      await cache.release(source, key);
      throw error;
    }
    return new OrtModel(config.name, rt, cache, source, key, open, { device, outputLocation, registry });
  }

  async function probe(device: OrtDevice): Promise<DeviceInfo> {
    try {
      const rt = await loadRuntime();
      const graph = probeGraph();
      const open = await config.open(rt, exportOnnx(graph), { device });
      await open.session.release();
      if (open.providers.length !== 1 || open.providers[0]!.split(' ')[0] !== device) {
        return {
          device,
          available: false,
          reason: `a Relu session asked for ${device} ran ${open.providers.join('; ')}`,
        };
      }
      return { device, available: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const hint = config.hint?.(device);
      return { device, available: false, reason: hint ? `${message.trim()} (${hint})` : message.trim() };
    }
  }

  const backend: OrtBackend = {
    name: config.name,
    async devices(): Promise<readonly DeviceInfo[]> {
      // One at a time: runtimes initialise lazily and onnxruntime-web refuses concurrent initialisation.
      const out: DeviceInfo[] = [];
      for (const device of config.devices) {
        let p = probes.get(device);
        if (!p) {
          p = probe(device);
          probes.set(device, p);
        }
        out.push(await p);
      }
      return out;
    },
    async compile(graph: Graph, options: OrtCompileOptions = {}): Promise<OrtCompiledModel> {
      checkOptions(options);
      if (typeof graph !== 'object' || graph === null || !Array.isArray(graph.inputs) || !Array.isArray(graph.nodes)) {
        throw new TypeError(`graph: expected a Graph object, got ${describeValue(graph)}`);
      }
      const device = options.device ?? config.defaultDevice;
      checkDevice(device, config.devices);
      checkOutputLocation(config.name, device, options.outputLocation, config.deviceOutputs ?? []);
      // onnxruntime 1.30's WebGPU Conv miscomputes some channel counts: those Convs are rewritten (same results).
      const exported = (): Uint8Array => exportOnnx(device === 'webgpu' ? padConvChannelsForWebgpu(graph) : graph);
      return compileBytes(graph, exported, options, { inputs: graph.inputs, outputs: graph.outputs });
    },
    async compileOnnx(bytes: Uint8Array, options: OrtCompileOptions = {}): Promise<OrtCompiledModel> {
      checkOptions(options);
      if (!(bytes instanceof Uint8Array)) {
        throw new TypeError(`bytes: expected a Uint8Array with an .onnx model, got ${describeValue(bytes)}`);
      }
      return compileBytes(bytes, () => bytes, options, undefined);
    },
    openSessions: () => cache.size + registry.downloadSessions,
    liveDeviceTensors: () => registry.size,
  };
  return Object.freeze(backend);
}
