// SPDX-License-Identifier: MIT

import type { DType, TypedArray } from "../../api.js";
import type { Backend } from "../../backend/backend.js";
import type { KernelTable } from "../../backend/kernels.js";
import { batchedMatmulCpu } from "./batched-matmul.js";
import { binaryCpu, unaryCpu } from "./elementwise.js";
import { gatherCpu, scatterAddCpu } from "./gather.js";
import { castCpu, concatCpu, padCpu, permuteCpu, sliceCpu } from "./layout.js";
import { layerNormCpu, rmsNormCpu } from "./norm.js";
import { pairwiseDistanceCpu } from "./pairwise-distance.js";
import { argMaxCpu, reduceCpu } from "./reduce.js";
import { ropeCpu } from "./rope.js";
import { logSoftmaxCpu, softmaxCpu } from "./softmax.js";

/**
 * The CPU backend's kernel table: plain typed-array loops, with WebAssembly SIMD for matmul (`matmulF32Batched`)
 * and for large `gelu`/`geluGrad` inputs.
 *
 * @example
 * ```ts
 * registerBackend("cpu-traced", () => ({ ...createCpuBackend(), name: "cpu-traced", kernels: { ...CPU_KERNELS } }));
 * ```
 */
export const CPU_KERNELS: KernelTable<TypedArray> = {
  Unary: unaryCpu,
  Binary: binaryCpu,
  Reduce: reduceCpu,
  ArgMax: argMaxCpu,
  Softmax: softmaxCpu,
  LogSoftmax: logSoftmaxCpu,
  MatMul: batchedMatmulCpu,
  Gather: gatherCpu,
  ScatterAdd: scatterAddCpu,
  Permute: permuteCpu,
  Slice: sliceCpu,
  Pad: padCpu,
  Concat: concatCpu,
  Cast: castCpu,
  RmsNorm: rmsNormCpu,
  LayerNorm: layerNormCpu,
  Rope: ropeCpu,
  PairwiseDistance: pairwiseDistanceCpu,
};

/**
 * Creates the CPU backend. Its data handle is the typed array itself (float32 or int32), so upload and
 * read-back are free; memory is reclaimed by the garbage collector once no tensor refers to it.
 *
 * @example
 * ```ts
 * const cpu = createCpuBackend();
 * cpu.readSync(cpu.upload(new Float32Array([1]), "float32"), "float32", 1); // Float32Array [1]
 * ```
 */
export function createCpuBackend(): Backend<TypedArray> {
  return {
    name: "cpu",
    kernels: CPU_KERNELS,
    upload: (values: TypedArray, _dtype: DType) => values,
    readSync: (data: TypedArray) => data,
    read: (data: TypedArray) => Promise.resolve(data),
    disposeData: () => {},
  };
}
