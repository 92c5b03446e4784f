// SPDX-License-Identifier: MIT
//
// RMSNorm and LayerNorm as row-statistic kernels followed by one elementwise kernel: each row's statistic is
// computed once, never per cell.

import type { GpuKernelImpl } from "./kernel-impl.js";
import { chain, type KernelThis } from "./runtime.js";

/**
 * gpu.js body: 1/sqrt(mean_c x[r,c]² + eps) for row r = `this.thread.x`. Constants: `cols`, `eps`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rowInvRms", source: rowInvRmsKernel, size: rows, constants: { cols, eps }, args: [x] });
 * ```
 */
function rowInvRmsKernel(this: KernelThis, x: Float32Array): number {
  const cols = this.constants.cols;
  const base = this.thread.x * cols;
  let s = 0;
  for (let c = 0; c < this.constants.cols; c++) {
    const v = x[base + c];
    s += v * v;
  }
  return 1 / Math.sqrt(s / cols + this.constants.eps);
}

/**
 * gpu.js body: mean of row r = `this.thread.x`. Constants: `cols`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rowMean", source: rowMeanKernel, size: rows, constants: { cols }, args: [x] });
 * ```
 */
function rowMeanKernel(this: KernelThis, x: Float32Array): number {
  const cols = this.constants.cols;
  const base = this.thread.x * cols;
  let s = 0;
  for (let c = 0; c < this.constants.cols; c++) {
    s += x[base + c];
  }
  return s / cols;
}

/**
 * gpu.js body: 1/sqrt(σ² + eps) of row r with the biased variance σ² = mean (x − μ)² (two-pass, given μ).
 * Constants: `cols`, `eps`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rowInvStd", source: rowInvStdKernel, size: rows, constants: { cols, eps }, args: [x, mean] });
 * ```
 */
function rowInvStdKernel(this: KernelThis, x: Float32Array, mean: Float32Array): number {
  const cols = this.constants.cols;
  const base = this.thread.x * cols;
  const mu = mean[this.thread.x];
  let s = 0;
  for (let c = 0; c < this.constants.cols; c++) {
    const d = x[base + c] - mu;
    s += d * d;
  }
  return 1 / Math.sqrt(s / cols + this.constants.eps);
}

/**
 * gpu.js body: y[r,c] = (x[r,c] − shift[r]) · scale[r] · weight[c] + bias[c] (RMSNorm passes shift 0, bias 0).
 * Constants: `cols`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "normApply", source: normApplyKernel, size, constants: { cols }, args: [x, shift, scale, w, b] });
 * ```
 */
function normApplyKernel(
  this: KernelThis,
  x: Float32Array,
  shift: Float32Array,
  scale: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
): number {
  const cols = this.constants.cols;
  const r = Math.floor(this.thread.x / cols);
  const c = this.thread.x - r * cols;
  return (x[this.thread.x] - shift[r]) * scale[r] * weight[c] + bias[c];
}

/**
 * gpu.js `RmsNorm` kernel: y = x / sqrt(mean x² + eps) · weight (Zhang & Sennrich 2019), two launches.
 *
 * @example
 * ```ts
 * rmsNormGpu(runtime, { x, weight }, { rows: 1, cols: 2, eps: 1e-6 });
 * ```
 */
export const rmsNormGpu: GpuKernelImpl<"RmsNorm"> = (rt, { x, weight }, { rows, cols, eps }) => {
  if (rows * cols === 0) return new Float32Array(0);
  return chain(rt.launch({ name: "rowInvRms", source: rowInvRmsKernel, size: rows, constants: { cols, eps }, args: [x.data] }), (inv) =>
    chain(
      rt.launch({
        name: "normApply",
        source: normApplyKernel,
        size: rows * cols,
        constants: { cols },
        args: [x.data, new Float32Array(rows), inv, weight.data, new Float32Array(cols)],
      }),
      (out) => {
        rt.release(inv);
        return out;
      },
    ),
  );
};

/**
 * gpu.js `LayerNorm` kernel: y = (x − μ)/sqrt(σ² + eps) · weight + bias (Ba et al. 2016), three launches.
 *
 * @example
 * ```ts
 * layerNormGpu(runtime, { x, weight, bias }, { rows: 1, cols: 2, eps: 1e-5 });
 * ```
 */
export const layerNormGpu: GpuKernelImpl<"LayerNorm"> = (rt, { x, weight, bias }, { rows, cols, eps }) => {
  if (rows * cols === 0) return new Float32Array(0);
  return chain(rt.launch({ name: "rowMean", source: rowMeanKernel, size: rows, constants: { cols }, args: [x.data] }), (mean) =>
    chain(
      rt.launch({ name: "rowInvStd", source: rowInvStdKernel, size: rows, constants: { cols, eps }, args: [x.data, mean] }),
      (inv) =>
        chain(
          rt.launch({
            name: "normApply",
            source: normApplyKernel,
            size: rows * cols,
            constants: { cols },
            args: [x.data, mean, inv, weight.data, bias.data],
          }),
          (out) => {
            rt.release(mean, inv);
            return out;
          },
        ),
    ),
  );
};
