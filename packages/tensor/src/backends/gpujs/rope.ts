// SPDX-License-Identifier: MIT

import type { GpuKernelImpl } from "./kernel-impl.js";
import { sizeOf } from "../../shape-math.js";
import type { KernelThis } from "./runtime.js";

/**
 * gpu.js body of `Rope` (HF rotate-half convention, Su et al. 2021 with Llama's layout): for cell j of a
 * head vector at sequence index s, with h = headDim/2, i = j mod h, angle = positions[s]·theta^(−2i/headDim):
 * out[j] = x[j]·cos − x[j+h]·sin for j < h and x[j]·cos + x[j−h]·sin otherwise (sin negated when `inverse`
 * is 1). The angle costs O(1) per cell. Constants: `seq`, `headDim`, `theta`, `inverse`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rope", source: ropeKernel, size, constants: { seq, headDim, theta: 10000, inverse: 0 },
 *   args: [x, positions] });
 * ```
 */
function ropeKernel(this: KernelThis, x: Float32Array, positions: Float32Array): number {
  const headDim = this.constants.headDim;
  const h = Math.floor(headDim / 2);
  const rowIdx = Math.floor(this.thread.x / headDim);
  const j = this.thread.x - rowIdx * headDim;
  const s = rowIdx - Math.floor(rowIdx / this.constants.seq) * this.constants.seq;
  let i = j;
  if (j >= h) {
    i = j - h;
  }
  const angle = positions[s] * Math.pow(this.constants.theta, (-2 * i) / headDim);
  const c = Math.cos(angle);
  let sn = Math.sin(angle);
  if (this.constants.inverse === 1) {
    sn = -sn;
  }
  if (j < h) {
    return x[this.thread.x] * c - x[this.thread.x + h] * sn;
  }
  return x[this.thread.x] * c + x[this.thread.x - h] * sn;
}

/**
 * gpu.js `Rope` kernel.
 *
 * @example
 * ```ts
 * ropeGpu(runtime, { x, positions }, { batchHeads: 1, seq: 1, headDim: 2, theta: 10000, inverse: false });
 * ```
 */
export const ropeGpu: GpuKernelImpl<"Rope"> = (rt, { x, positions }, { seq, headDim, theta, inverse }) =>
  rt.launch({
    name: "rope",
    source: ropeKernel,
    size: sizeOf(x.shape),
    constants: { seq, headDim, theta, inverse: inverse ? 1 : 0 },
    args: [x.data, positions.data],
  });
