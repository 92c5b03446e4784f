// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";
import { matmulF32 } from "./matmul.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `MatMul` kernel: one `matmulF32` call per output matrix on `subarray` views (no copies); batch
 * broadcasting is expressed by the `aBatch`/`bBatch` matrix indices.
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
  const as = m * k;
  const bs = k * n;
  const cs = m * n;
  if (cs === 0) return out;
  for (let t = 0; t < batch; t++) {
    const ao = aBatch[t] * as;
    const bo = bBatch[t] * bs;
    matmulF32(x.subarray(ao, ao + as), y.subarray(bo, bo + bs), out.subarray(t * cs, t * cs + cs), m, k, n, transA, transB);
  }
  return out;
};
