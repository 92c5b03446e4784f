// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `PairwiseDistance` kernel: out[b,i,j] = ‖a[b,i,:] − c[b,j,:]‖₂ from explicit differences (float64
 * accumulation), so equal rows give exactly 0.
 *
 * @example
 * ```ts
 * pairwiseDistanceCpu({ a: { data: new Float32Array([0, 0]), shape: [1, 1, 2], dtype: "float32" },
 *   b: { data: new Float32Array([3, 4]), shape: [1, 1, 2], dtype: "float32" } },
 *   { batch: 1, n: 1, m: 1, dim: 2 }); // [5]
 * ```
 */
export const pairwiseDistanceCpu: KernelFunc<"PairwiseDistance", Data> = ({ a, b }, { batch, n, m, dim }) => {
  const x = a.data as Float32Array;
  const y = b.data as Float32Array;
  const out = new Float32Array(batch * n * m);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < n; i++) {
      const xi = (t * n + i) * dim;
      const row = (t * n + i) * m;
      for (let j = 0; j < m; j++) {
        const yj = (t * m + j) * dim;
        let s = 0;
        for (let d = 0; d < dim; d++) {
          const diff = x[xi + d] - y[yj + d];
          s += diff * diff;
        }
        out[row + j] = Math.sqrt(s);
      }
    }
  }
  return out;
};
