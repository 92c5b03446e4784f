// SPDX-License-Identifier: MIT

import type { DType } from "../../api.js";
import type { Backend } from "../../backend/backend.js";
import { KERNEL_NAMES, type KernelFunc, type KernelName, type KernelTable } from "../../backend/kernels.js";
import { registerBackend, listBackends } from "../../backend/registry.js";
import { GPUJS_KERNELS } from "./gpujs-kernels.js";
import { GpuJsRuntime, type GpuJsMode, type HostArray } from "./runtime.js";

/** Options of {@link createGpuJsBackend}. */
export interface GpuJsBackendOptions {
  /** gpu.js mode (default `"cpu"`); `"webgpu"` is asynchronous and has its own factory, `createWebGpuBackend`. */
  readonly mode?: Exclude<GpuJsMode, "webgpu">;
  /** Registry name (default `"gpujs-" + mode`). */
  readonly name?: string;
  /** Compiled kernels kept per backend (least recently used are destroyed), default 512. */
  readonly cacheLimit?: number;
}

/** A synchronous gpu.js backend: host typed arrays as storage, every kernel a gpu.js kernel. */
export interface GpuJsBackend extends Backend<HostArray> {
  /** The gpu.js mode it runs. */
  readonly mode: GpuJsMode;
  /** Its runtime (compiled-kernel cache and counters). */
  readonly runtime: GpuJsRuntime;
  /** Destroys the compiled kernels and the gpu.js instance. */
  destroy(): void;
}

/**
 * Creates a backend whose every kernel runs as a gpu.js kernel in a synchronous mode: `cpu` (generated
 * JavaScript, accumulates in doubles: the conformance reference), `webasm` (WebAssembly SIMD, float32),
 * `webgl2`/`webgl` (browsers), `headlessgl` (Node with the `gl` addon under an X server: always a software
 * renderer there) or `gpu` (gpu.js's own pick). Tensors live on the host between kernels, so each call pays
 * upload and read-back; on a CPU-only machine the CPU backend is the faster choice (matmul 30–50×; see the README).
 *
 * @param options - mode, registry name, cache size.
 * @throws Error naming the mode when gpu.js cannot start it here (e.g. `headlessgl` without a display), or
 *   when `mode` is `"webgpu"` (use `createWebGpuBackend`, whose kernels are asynchronous).
 * @example
 * ```ts
 * registerBackend("gpujs-cpu", () => createGpuJsBackend({ mode: "cpu" }));
 * setBackend("gpujs-cpu");
 * ```
 */
export function createGpuJsBackend(options: GpuJsBackendOptions = {}): GpuJsBackend {
  const mode = options.mode ?? "cpu";
  if ((mode as string) === "webgpu") {
    throw new Error(`createGpuJsBackend: mode "webgpu" returns a Promise from every kernel; use createWebGpuBackend()`);
  }
  let runtime: GpuJsRuntime;
  try {
    runtime = new GpuJsRuntime(mode, options.cacheLimit);
  } catch (error) {
    throw new Error(`createGpuJsBackend: gpu.js mode "${mode}" cannot start here: ${(error as Error).message}`);
  }
  const name = options.name ?? `gpujs-${mode}`;
  const kernels = {} as Record<KernelName, KernelFunc<KernelName, HostArray>>;
  for (const k of KERNEL_NAMES) {
    const impl = GPUJS_KERNELS[k] as (rt: GpuJsRuntime, inputs: unknown, attrs: unknown) => unknown;
    kernels[k] = (inputs, attrs) => {
      const out = impl(runtime, inputs, attrs);
      if (out instanceof Promise) throw new Error(`${name}: kernel ${k} returned a Promise in mode "${mode}"`);
      return out as HostArray;
    };
  }
  return {
    name,
    mode,
    runtime,
    kernels: kernels as KernelTable<HostArray>,
    upload: (values: HostArray, _dtype: DType) => values,
    readSync: (data: HostArray) => data,
    read: (data: HostArray) => Promise.resolve(data),
    disposeData: () => {},
    destroy: () => runtime.destroy(),
  };
}

/**
 * Registers the synchronous gpu.js backends that start on every Node.js or browser runtime, `"gpujs-cpu"` and
 * `"gpujs-webasm"` (created lazily on first selection; names already registered are left alone). It never
 * selects one: the CPU backend stays the default.
 *
 * @returns the names registered by this call.
 * @example
 * ```ts
 * registerGpuJsBackends();
 * setBackend("gpujs-webasm");
 * ```
 */
export function registerGpuJsBackends(): string[] {
  const added: string[] = [];
  const have = new Set(listBackends());
  for (const mode of ["cpu", "webasm"] as const) {
    const name = `gpujs-${mode}`;
    if (have.has(name)) continue;
    registerBackend(name, () => createGpuJsBackend({ mode }));
    added.push(name);
  }
  return added;
}
