// SPDX-License-Identifier: MIT
//
// WebGPU for the gpu.js kernels: in a browser through `navigator.gpu`; in Node.js through Dawn (the `webgpu`
// npm package, 0.6.2: gpu.js pins 0.2.9, whose binary needs glibc 2.38). On a machine without a GPU driver
// that Dawn accepts, Dawn's OpenGL ES backend on Mesa llvmpipe through surfaceless EGL still starts (the
// compute-backends note, section 4.3): correct, but a software renderer, so never picked for speed.

import type { DType } from "../../api.js";
import type { Backend } from "../../backend/backend.js";
import { KERNEL_NAMES, type KernelFunc, type KernelName, type KernelTable, type KernelTensor } from "../../backend/kernels.js";
import { GPUJS_KERNELS } from "./gpujs-kernels.js";
import { asDType, GpuJsRuntime, isDevice, type HostArray, type KernelData, type MaybePromise } from "./runtime.js";

/** What the WebGPU adapter says about itself (fields absent when the implementation does not report them). */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** `GPUAdapterInfo.isFallbackAdapter`: true for a CPU implementation. */
  readonly isFallbackAdapter: boolean;
  /** Which Dawn backend answered (`"default"` lets Dawn choose, e.g. Vulkan; `"opengles"` through EGL). */
  readonly dawnBackend: string | null;
}

/**
 * Names of software renderers: an adapter whose report matches is never treated as a real GPU.
 *
 * @example
 * ```ts
 * SOFTWARE_RENDERERS.some((re) => re.test("llvmpipe (LLVM 15.0.6, 256 bits)")); // true
 * ```
 */
export const SOFTWARE_RENDERERS: readonly RegExp[] = [/llvmpipe/i, /swiftshader/i, /lavapipe/i, /softpipe/i, /null-backend/i, /microsoft basic render/i];

/**
 * True when the adapter is a software renderer (fallback adapter, or a name in {@link SOFTWARE_RENDERERS}).
 *
 * @example
 * ```ts
 * isSoftwareAdapter({ vendor: "mesa", architecture: "", device: "llvmpipe (LLVM 15)", description: "",
 *   isFallbackAdapter: false, dawnBackend: "opengles" }); // true
 * ```
 */
export function isSoftwareAdapter(report: AdapterReport): boolean {
  if (report.isFallbackAdapter) return true;
  const text = `${report.vendor} ${report.architecture} ${report.device} ${report.description}`;
  return SOFTWARE_RENDERERS.some((re) => re.test(text));
}

/**
 * One line naming the adapter (vendor, device, description), for messages and `detectGpu` notes.
 *
 * @example
 * ```ts
 * adapterLabel({ vendor: "mesa", architecture: "", device: "llvmpipe", description: "", isFallbackAdapter: false,
 *   dawnBackend: null }); // "mesa llvmpipe"
 * ```
 */
export function adapterLabel(report: AdapterReport): string {
  return `${report.vendor} ${report.device} ${report.description}`.replace(/\s+/g, " ").trim() || "unnamed adapter";
}

/** A handle on the WebGPU backend: the output of a kernel that may still be running. */
export interface WebGpuData {
  /** Resolves to the output: a host array, or a device buffer on a resident backend. */
  readonly ready: Promise<KernelData>;
  /** The output once `ready` has resolved (null before). */
  value: KernelData | null;
  /** Host copy, once read (device buffers are read back at most once). */
  host: HostArray | null;
  /** The error once `ready` has rejected. */
  error: unknown;
  /** Kernels launched with this handle as an input that have not been issued yet. */
  uses: number;
  /** Set by `disposeData`; the device buffer is released when no pending kernel still needs it. */
  disposed: boolean;
}

/** The asynchronous gpu.js backend on WebGPU: kernels return at once, `read` waits for the device. */
export interface WebGpuBackend extends Backend<WebGpuData> {
  readonly mode: "webgpu";
  readonly runtime: GpuJsRuntime;
  /** The adapter that answered. */
  readonly adapter: AdapterReport;
  /** True when the adapter is a software renderer (see {@link isSoftwareAdapter}). */
  readonly software: boolean;
  /** Waits for every launched kernel (resolves even if some failed). */
  flush(): Promise<void>;
  destroy(): void;
}

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** Registry name (default `"gpujs-webgpu"`). */
  readonly name?: string;
  /**
   * Dawn backends to try in Node.js, in order (default `["default", "opengles"]`): `"default"` lets Dawn
   * pick (Vulkan on Linux, Metal, D3D12); `"opengles"` uses EGL with the compatibility feature level.
   */
  readonly dawnBackends?: readonly ("default" | "opengles" | "vulkan" | "null")[];
  /** Reject when the adapter is a software renderer (default false: this factory is an explicit opt-in). */
  readonly requireHardware?: boolean;
  /** Compiled kernels kept (LRU), default 512. */
  readonly cacheLimit?: number;
  /**
   * Keep float32 outputs on the device (gpu.js pipeline buffers) so chained kernels never round-trip
   * through the host; `read` downloads on request. Default false (every output is read back).
   */
  readonly resident?: boolean;
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly info?: Record<string, unknown>;
}

function report(adapter: AdapterLike, dawnBackend: string | null): AdapterReport {
  const info = adapter.info ?? {};
  const str = (k: string) => (typeof info[k] === "string" ? (info[k] as string) : "");
  return {
    vendor: str("vendor"),
    architecture: str("architecture"),
    device: str("device"),
    description: str("description"),
    isFallbackAdapter: info.isFallbackAdapter === true,
    dawnBackend,
  };
}

let dawnCache: { gpu: GpuLike; adapter: AdapterLike; dawnBackend: string } | null = null;

/**
 * Finds a WebGPU adapter: `navigator.gpu` where it exists (browsers, Deno, newer Node with a shim),
 * else Dawn from the `webgpu` package, trying each Dawn backend in order. In Node it installs the globals
 * gpu.js needs (`GPUBufferUsage`, … and a `navigator.gpu` that asks Dawn for the same adapter).
 */
async function findAdapter(
  dawnBackends: readonly string[],
): Promise<{ adapter: AdapterLike; dawnBackend: string | null } | { reason: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (dawnCache !== null) return { adapter: dawnCache.adapter, dawnBackend: dawnCache.dawnBackend };
  if (nav?.gpu !== undefined) {
    const adapter = await nav.gpu.requestAdapter();
    return adapter === null ? { reason: "navigator.gpu.requestAdapter() returned null" } : { adapter, dawnBackend: null };
  }
  if (typeof process === "undefined" || process.versions?.node === undefined) {
    return { reason: "no navigator.gpu in this runtime" };
  }
  let webgpu: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    // `webgpu` is gpu.js's own dependency (overridden to 0.6.2); resolve it from there. `node:module` is
    // imported lazily so that browser bundles of this file never see it.
    const { createRequire } = await import("node:module");
    const fromHere = createRequire(import.meta.url);
    webgpu = createRequire(fromHere.resolve("gpu.js"))("webgpu");
  } catch (error) {
    return { reason: `the webgpu (Dawn) package does not load: ${(error as Error).message.split("\n")[0]}` };
  }
  // Mesa's EGL needs a platform without X; must be set before Dawn initialises EGL.
  process.env.EGL_PLATFORM ??= "surfaceless";
  const tried: string[] = [];
  for (const backend of dawnBackends) {
    const flags = backend === "default" ? [] : [`backend=${backend}`];
    let gpu: GpuLike;
    try {
      gpu = webgpu.create(flags);
    } catch (error) {
      tried.push(`${backend}: ${(error as Error).message}`);
      continue;
    }
    const options = backend === "opengles" ? { featureLevel: "compatibility" } : {};
    const adapter = await gpu.requestAdapter(options).catch(() => null);
    if (adapter === null) {
      tried.push(`${backend}: no adapter`);
      continue;
    }
    Object.assign(globalThis, webgpu.globals);
    const shim = {
      requestAdapter: (o: Record<string, unknown> = {}) => gpu.requestAdapter({ ...options, ...o }),
      getPreferredCanvasFormat: () => "rgba8unorm",
    };
    const g = globalThis as unknown as { navigator?: object }; // Node 20 has no navigator; the DOM lib types one
    if (g.navigator === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu: shim }, configurable: true, writable: true });
    else Object.defineProperty(g.navigator, "gpu", { value: shim, configurable: true });
    dawnCache = { gpu, adapter, dawnBackend: backend };
    return { adapter, dawnBackend: backend };
  }
  return { reason: `Dawn found no WebGPU adapter (${tried.join("; ")})` };
}

/**
 * Creates the gpu.js backend on WebGPU (an explicit, asynchronous opt-in). Every kernel of the interface
 * runs as the same gpu.js kernel as on the synchronous backends; here each returns a handle at once and
 * the work completes asynchronously, in launch order. Read results with `await tensor.data()` (the backend's
 * `read`); `readSync` works only on outputs that have completed. Before resolving, a small kernel is run
 * and checked, so an adapter that computes nothing (Dawn's null backend) is rejected.
 *
 * Needs, in Node.js: the `webgpu` package (Dawn) and either a GPU driver Dawn accepts (Vulkan, Metal, D3D12)
 * or Mesa's EGL/GLES libraries (`libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri` on Debian), used with
 * `EGL_PLATFORM=surfaceless` (set here when unset).
 *
 * @param options - registry name, Dawn backends to try, whether a software adapter is refused.
 * @returns the backend; `software` says whether it is a software renderer (then the CPU backend is faster).
 * @throws (rejects) Error saying why WebGPU is unavailable: no adapter (with each Dawn backend's answer), a
 *   software adapter when `requireHardware`, or a self-test that computed a wrong result.
 * @example
 * ```ts
 * const webgpu = await createWebGpuBackend();
 * registerBackend(webgpu.name, () => webgpu);
 * ```
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const name = options.name ?? "gpujs-webgpu";
  const found = await findAdapter(options.dawnBackends ?? ["default", "opengles"]);
  if ("reason" in found) throw new Error(`createWebGpuBackend: WebGPU is unavailable: ${found.reason}`);
  const adapter = report(found.adapter, found.dawnBackend);
  const software = isSoftwareAdapter(adapter);
  const label = adapterLabel(adapter);
  if (software && options.requireHardware === true) {
    throw new Error(`createWebGpuBackend: the WebGPU adapter is a software renderer (${label}); requireHardware is set`);
  }
  let runtime: GpuJsRuntime;
  try {
    runtime = new GpuJsRuntime("webgpu", options.cacheLimit, options.resident === true);
  } catch (error) {
    throw new Error(`createWebGpuBackend: gpu.js mode "webgpu" cannot start: ${(error as Error).message}`);
  }
  // Self-test: 1 + 2·[1, 2, 3] computed on the device.
  try {
    const out = await GPUJS_KERNELS.Binary(
      runtime,
      {
        a: { data: new Float32Array([1]), shape: [1], dtype: "float32" },
        b: { data: new Float32Array([2, 4, 6]), shape: [3], dtype: "float32" },
      },
      { op: "add", outShape: [3], aStrides: [0], bStrides: [1] },
    );
    const got = await runtime.host(out);
    runtime.release(out);
    if (got[0] !== 3 || got[1] !== 5 || got[2] !== 7) {
      throw new Error(`self-test 1 + [2, 4, 6] gave [${Array.from(got).join(", ")}]`);
    }
  } catch (error) {
    runtime.destroy();
    throw new Error(`createWebGpuBackend: the adapter (${label}) does not compute correctly: ${(error as Error).message}`);
  }

  const pending = new Set<Promise<unknown>>();
  const free = (h: WebGpuData): void => {
    if (h.disposed && h.uses === 0 && h.value !== null && isDevice(h.value)) {
      runtime.release(h.value);
      h.value = null;
    }
  };
  const settle = (ready: Promise<KernelData>): WebGpuData => {
    const data: WebGpuData = { ready, value: null, host: null, error: null, uses: 0, disposed: false };
    const done = ready.then(
      (v) => {
        data.value = v;
        if (!isDevice(v)) data.host = v;
        free(data);
      },
      (e) => {
        data.error = e;
      },
    );
    pending.add(done);
    void done.then(() => pending.delete(done));
    return data;
  };
  const kernels = {} as Record<KernelName, KernelFunc<KernelName, WebGpuData>>;
  for (const k of KERNEL_NAMES) {
    const impl = GPUJS_KERNELS[k] as (rt: GpuJsRuntime, inputs: unknown, attrs: unknown) => MaybePromise<KernelData>;
    kernels[k] = (inputs, attrs) => {
      const entries = Object.entries(inputs as Record<string, KernelTensor<WebGpuData> | readonly KernelTensor<WebGpuData>[]>);
      // Every input stays alive (even if disposed meanwhile) until this kernel has been issued.
      const handles: WebGpuData[] = [];
      for (const [, v] of entries) {
        if (Array.isArray(v)) for (const t of v as readonly KernelTensor<WebGpuData>[]) handles.push(t.data);
        else handles.push((v as KernelTensor<WebGpuData>).data);
      }
      for (const h of handles) h.uses++;
      const resolve = async (t: KernelTensor<WebGpuData>): Promise<KernelTensor<KernelData>> => {
        await t.data.ready;
        if (t.data.value === null) throw new Error(`${name}: kernel ${k} got an input that was already released`);
        return { ...t, data: t.data.value };
      };
      const ready = Promise.all(
        entries.map(async ([key, v]) =>
          Array.isArray(v)
            ? ([key, await Promise.all((v as readonly KernelTensor<WebGpuData>[]).map(resolve))] as const)
            : ([key, await resolve(v as KernelTensor<WebGpuData>)] as const),
        ),
      ).then((resolved) => impl(runtime, Object.fromEntries(resolved), attrs));
      const release = () => {
        for (const h of handles) {
          h.uses--;
          free(h);
        }
      };
      void ready.then(release, release);
      return settle(ready);
    };
  }
  const read = async (data: WebGpuData, dtype: DType): Promise<HostArray> => {
    if (data.host !== null) return data.host;
    const v = await data.ready;
    if (data.host !== null) return data.host;
    const host = await runtime.host(v);
    data.host = dtype === "int32" && !(host instanceof Int32Array) ? asDType(host as Float32Array, "int32") : host;
    return data.host;
  };
  return {
    name,
    mode: "webgpu",
    runtime,
    adapter,
    software,
    asynchronous: true,
    kernels: kernels as KernelTable<WebGpuData>,
    upload: (values: HostArray, _dtype: DType): WebGpuData => ({
      ready: Promise.resolve(values),
      value: values,
      host: values,
      error: null,
      uses: 0,
      disposed: false,
    }),
    readSync: (data: WebGpuData) => {
      if (data.host !== null) return data.host;
      if (data.error !== null) throw data.error;
      if (data.value !== null) {
        throw new Error(`${name}: readSync on an output that is resident on the device; use await tensor.data()`);
      }
      throw new Error(`${name}: readSync on an output that is still being computed; use await tensor.data()`);
    },
    read: (data: WebGpuData, dtype: DType) => read(data, dtype),
    disposeData: (data: WebGpuData) => {
      data.disposed = true;
      free(data);
    },
    flush: async () => {
      await Promise.all([...pending]);
    },
    destroy: () => runtime.destroy(),
  };
}
