// SPDX-License-Identifier: MIT

import { GPU } from "gpu.js";
import { adapterLabel, createWebGpuBackend, type AdapterReport } from "./webgpu.js";
import type { GpuJsMode } from "./runtime.js";

/** Whether one gpu.js mode can start here, and if not, why. */
export interface ModeReport {
  readonly available: boolean;
  /** Why it cannot start, or a caveat when it can (e.g. "software renderer"). */
  readonly note: string;
}

/** The result of {@link detectGpu}. */
export interface GpuDetection {
  /** Per gpu.js mode: can it start in this process? */
  readonly modes: Readonly<Record<GpuJsMode, ModeReport>>;
  /** The WebGPU adapter, when one answered. */
  readonly adapter: AdapterReport | null;
  /** True only for a WebGPU adapter that is not a software renderer. */
  readonly realGpu: boolean;
  /**
   * The backend to use for speed: `"gpujs-webgpu"` on a real GPU, else `"cpu"` (on a CPU the CPU backend is
   * the faster choice, its matmul 30–50× faster than any gpu.js mode: see the tables in `src/backends/gpujs/README.md`).
   */
  readonly recommended: "cpu" | "gpujs-webgpu";
}

/** Options of {@link detectGpu}. */
export interface DetectGpuOptions {
  /** Start WebGPU (loads Dawn in Node: ~0.4 s and a native module); default true. */
  readonly probeWebGpu?: boolean;
}

function guard(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

/**
 * Reports which gpu.js modes can start in this process and whether a real GPU is present. Honest by
 * construction: `headlessgl` in Node runs on an X server (Xvfb: always Mesa llvmpipe), and a WebGPU adapter
 * that is a fallback adapter or names llvmpipe, SwiftShader, lavapipe, softpipe or Dawn's null backend is a
 * software renderer; none of these is ever recommended. Selection stays with the caller (nothing is set).
 *
 * @param options - whether to start WebGPU to look at its adapter.
 * @returns per-mode availability, the adapter and the recommended backend name.
 * @example
 * ```ts
 * const found = await detectGpu();
 * if (found.recommended === "gpujs-webgpu") { const b = await createWebGpuBackend(); registerBackend(b.name, () => b); }
 * ```
 */
export async function detectGpu(options: DetectGpuOptions = {}): Promise<GpuDetection> {
  const browser = typeof (globalThis as { document?: unknown }).document !== "undefined";
  const wasm = guard(() => GPU.isWebAssemblySupported);
  const webgl2 = browser && guard(() => GPU.isWebGL2Supported);
  const webgl = browser && guard(() => GPU.isWebGLSupported);
  const headless = !browser && guard(() => GPU.isHeadlessGLSupported);
  let adapter: AdapterReport | null = null;
  let realGpu = false;
  let webgpu: ModeReport;
  if (options.probeWebGpu === false) {
    webgpu = { available: false, note: "not probed (probeWebGpu: false)" };
  } else {
    try {
      const backend = await createWebGpuBackend({ name: "gpujs-webgpu-probe" });
      adapter = backend.adapter;
      realGpu = !backend.software;
      backend.destroy();
      const label = adapterLabel(adapter);
      webgpu = { available: true, note: realGpu ? label : `software renderer (${label})` };
    } catch (error) {
      webgpu = { available: false, note: (error as Error).message };
    }
  }
  const modes: Record<GpuJsMode, ModeReport> = {
    cpu: { available: true, note: "generated JavaScript, accumulates in doubles" },
    webasm: wasm
      ? { available: true, note: "WebAssembly SIMD, float32" }
      : { available: false, note: "WebAssembly is not supported here" },
    webgpu,
    webgl2: webgl2
      ? { available: true, note: "browser WebGL2 (may be SwiftShader)" }
      : { available: false, note: browser ? "WebGL2 is not supported" : "browser only" },
    webgl: webgl
      ? { available: true, note: "browser WebGL (may be SwiftShader)" }
      : { available: false, note: browser ? "WebGL is not supported" : "browser only" },
    headlessgl: headless
      ? { available: true, note: "headless-gl: software renderer under Xvfb" }
      : { available: false, note: browser ? "Node only" : "the gl addon or an X display is missing" },
    gpu: { available: true, note: "gpu.js's own pick; never trusted for speed" },
  };
  return { modes, adapter, realGpu, recommended: realGpu ? "gpujs-webgpu" : "cpu" };
}
