// SPDX-License-Identifier: MIT
// The public surface of the CPU matmul (re-exported by src/index.ts): the kernel entry points and its thread settings.
export { matmulF32, matmulF32Batched } from "./matmul.js";
export { matmulF32Js } from "./matmul-js.js";
export {
  getMatmulThreads,
  MATMUL_PARALLEL_MIN_FLOPS,
  matmulF32BatchedWasm,
  matmulF32Wasm,
  matmulWasmAvailable,
  matmulWorkerCount,
  setMatmulMemoryLimit,
  setMatmulParallelThreshold,
  setMatmulThreads,
  wasmSimdSupported,
} from "./matmul-wasm.js";
