// SPDX-License-Identifier: MIT

import { binaryGpu, castGpu, unaryGpu } from "./elementwise.js";
import { gatherGpu, scatterAddGpu } from "./gather.js";
import type { GpuKernelTable } from "./kernel-impl.js";
import { concatGpu, padGpu, permuteGpu, sliceGpu } from "./layout.js";
import { matmulGpu } from "./matmul.js";
import { layerNormGpu, rmsNormGpu } from "./norm.js";
import { pairwiseDistanceGpu } from "./pairwise-distance.js";
import { argMaxGpu, reduceGpu } from "./reduce.js";
import { ropeGpu } from "./rope.js";
import { logSoftmaxGpu, softmaxGpu } from "./softmax.js";

/**
 * Every kernel of the backend interface as gpu.js kernels: the portable definition of each op, run by
 * {@link createGpuJsBackend} (sync modes) and {@link createWebGpuBackend} (WebGPU, asynchronous).
 *
 * @example
 * ```ts
 * GPUJS_KERNELS.Unary(new GpuJsRuntime("cpu"), { x }, { op: "exp" });
 * ```
 */
export const GPUJS_KERNELS: GpuKernelTable = {
  Unary: unaryGpu,
  Binary: binaryGpu,
  Reduce: reduceGpu,
  ArgMax: argMaxGpu,
  Softmax: softmaxGpu,
  LogSoftmax: logSoftmaxGpu,
  MatMul: matmulGpu,
  Gather: gatherGpu,
  ScatterAdd: scatterAddGpu,
  Permute: permuteGpu,
  Slice: sliceGpu,
  Pad: padGpu,
  Concat: concatGpu,
  Cast: castGpu,
  RmsNorm: rmsNormGpu,
  LayerNorm: layerNormGpu,
  Rope: ropeGpu,
  PairwiseDistance: pairwiseDistanceGpu,
};
