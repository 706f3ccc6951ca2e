/**
 * The WebAssembly SIMD kernels (wat/*.wat, checked in as kernels.gen.ts) behind the typed-array ops, with the
 * buffers they need laid out in the module's memory. Every kernel gives the same bytes as the JavaScript path,
 * which stays as the fallback where WebAssembly SIMD is missing and as the oracle in the tests.
 *
 * Instantiation is synchronous and lazy (first use). Chromium before version 114 refused `new WebAssembly.Module`
 * on a page's main thread for modules over 4 KB (this one is 19.2 KB; the limit was removed in 114, see
 * https://groups.google.com/a/chromium.org/g/blink-dev/c/nJw2zwaiJ2s). Where compiling fails (such an engine, no
 * WebAssembly SIMD, a CSP without 'wasm-unsafe-eval') the ops use the JavaScript path; `await wasmReady()`
 * compiles asynchronously instead, which every engine allows. Data is copied into the module's memory and the
 * result copied out into a fresh Uint8Array; the benchmarks include those copies. The memory grows to what the
 * largest image so far needed (about twice its bytes, plus 0.55 MB of HSV tables once HSV has run) and stays at
 * that size: WebAssembly memory does not shrink.
 */
import { KERNELS_WASM_BASE64 } from './kernels.gen.js';

// The few WebAssembly JS API members used here (this package's TypeScript libs carry no WebAssembly types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  compile(bytes: Uint8Array): Promise<WasmModule>;
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export interface KernelExports {
  memory: WasmMemory;
  flip3(src: number, dst: number, h: number, w: number): void;
  scaleOffset(src: number, dst: number, n: number, f: number, off: number): void;
  mapFixed(src: number, dst: number, n: number, m: number, c: number): void;
  mapNibble(src: number, dst: number, n: number, ...tables: bigint[]): void;
  lumaSum(src: number, npix: number): number;
  resizeH3(
    src: number,
    stride: number,
    rows: number,
    outW: number,
    k: number,
    offs: number,
    wts: number,
    dst: number,
  ): void;
  resizeV(mid: number, rowLen: number, outH: number, k: number, rowOffs: number, wts: number, out: number): void;
  resizeV16(mid: number, rowLen: number, outH: number, k: number, rowOffs: number, wts: number, out: number): void;
  affineRun3(
    src: number,
    stride: number,
    xMax: number,
    yMax: number,
    x: number,
    y: number,
    dx: number,
    dy: number,
    n: number,
    o: number,
    state: number,
  ): number;
  gaussianNoise(src: number, dst: number, n: number, offsets: number, state: number): void;
  hsvGains(
    src: number,
    dst: number,
    npix: number,
    sdiv: number,
    hdiv: number,
    lutH: number,
    lutS: number,
    lutV: number,
    m: number,
  ): void;
}

let instance: KernelExports | null | undefined;
let enabled = true;
let failure: string | undefined;

function bytes(): Uint8Array {
  const bin = atob(KERNELS_WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function instantiate(api: WasmApi, module: WasmModule): KernelExports {
  return new api.Instance(module, {}).exports as KernelExports;
}

/** The kernels, or null where WebAssembly SIMD cannot be used here (or they are disabled): use the JS path then. */
export function wasmKernels(): KernelExports | null {
  if (!enabled) return null;
  if (instance === undefined) {
    try {
      instance = wasmApi ? instantiate(wasmApi, new wasmApi.Module(bytes())) : null;
      if (!instance) failure = 'WebAssembly is not defined here';
    } catch (e) {
      instance = null;
      failure = e instanceof Error ? e.message : String(e);
    }
  }
  return instance;
}

/**
 * Compiles the kernels asynchronously (for pages whose main thread refuses synchronous compilation) and resolves
 * to whether they are in use; the reason when not is in `wasmStatus()`.
 */
export async function wasmReady(): Promise<boolean> {
  if (instance) return enabled;
  if (!wasmApi) {
    failure = 'WebAssembly is not defined here';
    return false;
  }
  try {
    instance = instantiate(wasmApi, await wasmApi.compile(bytes()));
    failure = undefined;
  } catch (e) {
    instance = null;
    failure = e instanceof Error ? e.message : String(e);
  }
  return enabled && instance !== null;
}

/** Whether the SIMD kernels are in use, and why not. */
export function wasmStatus(): { active: boolean; reason?: string } {
  const k = wasmKernels();
  if (k) return { active: true };
  return { active: false, reason: enabled ? failure : 'disabled by setWasmEnabled(false)' };
}

/** Turns the SIMD kernels off (true: back on) for the whole process; the ops then take the JavaScript path. */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}

const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(n: number): Uint8Array } }).Buffer;

/**
 * A fresh Uint8Array of n bytes for an op's result, every byte of which the caller writes at once: on Node's
 * `Buffer.allocUnsafeSlow` where it exists (unpooled and uninitialised: no zero-fill, 0.062 -> 0.038 ms for
 * 640x480x3 here), else (browsers) `new Uint8Array(n)`. A plain Uint8Array either way.
 */
export function freshBytes(n: number): Uint8Array {
  if (!nodeBuffer) return new Uint8Array(n);
  const b = nodeBuffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** A fresh Uint8Array holding the n bytes of the module's memory at `at`: an op's result, copied out. */
export function copyOut(k: KernelExports, at: number, n: number): Uint8Array {
  const out = freshBytes(n);
  out.set(new Uint8Array(k.memory.buffer, at, n));
  return out;
}

/** Bytes per chunk of `throughChunks`. */
const CHUNK = 32768;

/**
 * `data` through a pointwise kernel into a fresh array, a chunk of about 32 KB (whole units of `unit` bytes) at a
 * time: the chunk is copied into the module, `kernel(src, dst, bytes)` runs on it, and it is copied out. The
 * working set (three chunks) stays in the L1/L2 caches, where three whole 921,600-byte buffers (input copy,
 * kernel output, result) would not: hflip of 640x480 RGB went from 0.23 to 0.16 ms (min) here. `dst` has 64 bytes
 * of slack for kernels that write past the end.
 */
export function throughChunks(
  k: KernelExports,
  data: Uint8Array,
  unit: number,
  kernel: (src: number, dst: number, bytes: number) => void,
): Uint8Array {
  const n = data.length;
  const step = Math.max(1, Math.floor(CHUNK / unit)) * unit;
  const a = arena(k, arenaSize(step, step));
  const src = a.alloc(step);
  const dst = a.alloc(step);
  const out = freshBytes(n);
  const mem = a.u8();
  for (let i = 0; i < n; i += step) {
    const len = Math.min(step, n - i);
    mem.set(data.subarray(i, i + len), src);
    kernel(src, dst, len);
    out.set(mem.subarray(dst, dst + len), i);
  }
  return out;
}

const statics = new Map<string, number>();
let staticTop = 64;

/**
 * The offset of a constant table kept in the module's memory for the life of the instance (copied in on first
 * use, below every arena).
 */
export function staticTable(k: KernelExports, name: string, make: () => ArrayBufferView): number {
  let at = statics.get(name);
  if (at === undefined) {
    const v = make();
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    at = staticTop;
    const need = at + bytes.length + 1024;
    const have = k.memory.buffer.byteLength;
    if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
    new Uint8Array(k.memory.buffer).set(bytes, at);
    staticTop = (at + bytes.length + 15) & ~15;
    statics.set(name, at);
  }
  return at;
}

/**
 * Lays out buffers in the module's memory (above the static tables): `alloc(n)` returns the offset of n bytes (16-byte aligned, with 64
 * bytes of slack after each for the kernels' whole-vector reads and writes), growing the memory as needed. Every
 * offset is valid until the next `arena()` call (single-threaded: the ops never nest).
 */
export function arena(k: KernelExports, total: number): { alloc(n: number): number; u8(): Uint8Array } {
  const need = staticTop + total + 1024;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  let top = staticTop;
  return {
    alloc(n: number): number {
      const at = top;
      top += (n + 64 + 15) & ~15;
      if (top > k.memory.buffer.byteLength) throw new RangeError(`wasm arena: ${top} bytes needed, sized for ${total}`);
      return at;
    },
    u8: () => new Uint8Array(k.memory.buffer),
  };
}

/** Room `arena` needs for buffers of these sizes (their slack and alignment included). */
export function arenaSize(...sizes: number[]): number {
  let t = 64;
  for (const n of sizes) t += (n + 64 + 15) & ~15;
  return t;
}
