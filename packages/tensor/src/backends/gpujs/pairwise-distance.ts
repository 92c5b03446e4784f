// SPDX-License-Identifier: MIT

import type { GpuKernelImpl } from "./kernel-impl.js";
import type { KernelThis } from "./runtime.js";

/**
 * gpu.js body of `PairwiseDistance`: out[t,i,j] = sqrt(Σ_d (a[t,i,d] − b[t,j,d])²) from explicit differences,
 * so equal rows give exactly 0 (the energy loss of CALM section 3.2 needs a zero distance there, where
 * ‖a‖² + ‖b‖² − 2a·b leaves rounding noise). Constants: `n`, `m`, `dim`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "pairwiseDistance", source: pairwiseDistanceKernel, size: batch * n * m,
 *   constants: { n, m, dim }, args: [a, b] });
 * ```
 */
function pairwiseDistanceKernel(this: KernelThis, a: Float32Array, b: Float32Array): number {
  const n = this.constants.n;
  const m = this.constants.m;
  const dim = this.constants.dim;
  const t = Math.floor(this.thread.x / (n * m));
  const rem = this.thread.x - t * n * m;
  const i = Math.floor(rem / m);
  const j = rem - i * m;
  const ao = (t * n + i) * dim;
  const bo = (t * m + j) * dim;
  let s = 0;
  for (let d = 0; d < this.constants.dim; d++) {
    const diff = a[ao + d] - b[bo + d];
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/**
 * gpu.js `PairwiseDistance` kernel.
 *
 * @example
 * ```ts
 * pairwiseDistanceGpu(runtime, { a, b }, { batch: 1, n: 1, m: 1, dim: 2 }); // [5] for a = [0,0], b = [3,4]
 * ```
 */
export const pairwiseDistanceGpu: GpuKernelImpl<"PairwiseDistance"> = (rt, { a, b }, { batch, n, m, dim }) =>
  rt.launch({
    name: "pairwiseDistance",
    source: pairwiseDistanceKernel,
    size: batch * n * m,
    constants: { n, m, dim },
    args: [a.data, b.data],
  });
