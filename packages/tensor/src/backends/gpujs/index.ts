// SPDX-License-Identifier: MIT
export { createGpuJsBackend, registerGpuJsBackends, type GpuJsBackend, type GpuJsBackendOptions } from "./gpujs-backend.js";
export { GPUJS_KERNELS } from "./gpujs-kernels.js";
export type { GpuKernelImpl, GpuKernelTable } from "./kernel-impl.js";
export {
  GpuJsRuntime,
  GPUJS_MODES,
  type DeviceArray,
  type GpuJsMode,
  type HostArray,
  type KernelData,
  type KernelCacheStats,
  type KernelSource,
  type KernelThis,
  type KernelThis2d,
  type Launch,
  type MaybePromise,
} from "./runtime.js";
export {
  createWebGpuBackend,
  isSoftwareAdapter,
  SOFTWARE_RENDERERS,
  type AdapterReport,
  type WebGpuBackend,
  type WebGpuBackendOptions,
  type WebGpuData,
} from "./webgpu.js";
export { detectGpu, type DetectGpuOptions, type GpuDetection, type ModeReport } from "./detect.js";
