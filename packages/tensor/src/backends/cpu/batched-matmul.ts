// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";
import { matmulF32Batched } from "./matmul.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `MatMul` kernel: C[t] = op(A[aBatch[t]])·op(B[bBatch[t]]) for every batch item t, through
 * `matmulF32Batched`, so many small products (attention heads) are shared out whole across the matmul worker
 * threads, while large ones are each split across the threads as in `matmulF32` (bit-identical either way).
 * Batch broadcasting is expressed by the `aBatch`/`bBatch` matrix indices (no copies of a broadcast operand).
 *
 * @example
 * ```ts
 * batchedMatmulCpu({ a: { data: new Float32Array([1, 2]), shape: [1, 2], dtype: "float32" },
 *   b: { data: new Float32Array([3, 4]), shape: [2, 1], dtype: "float32" } },
 *   { m: 1, k: 2, n: 1, transA: false, transB: false, batch: 1, aBatch: [0], bBatch: [0] }); // [11]
 * ```
 */
export const batchedMatmulCpu: KernelFunc<"MatMul", Data> = ({ a, b }, { m, k, n, transA, transB, batch, aBatch, bBatch }) => {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  const out = new Float32Array(batch * m * n);
  if (batch * m * n === 0) return out;
  matmulF32Batched(x, y, out, m, k, n, transA, transB, batch, aBatch, bBatch);
  return out;
};
