// SPDX-License-Identifier: MIT

import type { KernelName, KernelSignatures } from "../../backend/kernels.js";
import type { GpuJsRuntime, HostArray, MaybePromise } from "./runtime.js";

/**
 * A kernel of the gpu.js backends: host inputs in, host output out (a Promise in `webgpu` mode). The same
 * implementation serves the synchronous backend and the asynchronous WebGPU one.
 */
export type GpuKernelImpl<K extends KernelName> = (
  runtime: GpuJsRuntime,
  inputs: KernelSignatures<HostArray>[K]["inputs"],
  attrs: KernelSignatures<HostArray>[K]["attrs"],
) => MaybePromise<HostArray>;

/** One gpu.js implementation per kernel name. */
export type GpuKernelTable = { [K in KernelName]: GpuKernelImpl<K> };
