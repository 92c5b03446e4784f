// SPDX-License-Identifier: MIT

import type { KernelName, KernelSignatures } from "../../backend/kernels.js";
import type { GpuJsRuntime, KernelData, MaybePromise } from "./runtime.js";

/**
 * A kernel of the gpu.js backends: inputs' data in, output data out (a Promise in `webgpu` mode). Data is
 * a host array, or a device buffer on the resident WebGPU backend. The same implementation serves the
 * synchronous backend and the asynchronous WebGPU one.
 */
export type GpuKernelImpl<K extends KernelName> = (
  runtime: GpuJsRuntime,
  inputs: KernelSignatures<KernelData>[K]["inputs"],
  attrs: KernelSignatures<KernelData>[K]["attrs"],
) => MaybePromise<KernelData>;

/** One gpu.js implementation per kernel name. */
export type GpuKernelTable = { [K in KernelName]: GpuKernelImpl<K> };
