// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `RmsNorm` kernel: y = x / sqrt(mean(x²) + eps) · weight, per row, statistics in float64.
 *
 * @example
 * ```ts
 * rmsNormCpu({ x: { data: new Float32Array([3, 4]), shape: [1, 2], dtype: "float32" },
 *   weight: { data: new Float32Array([1, 1]), shape: [2], dtype: "float32" } },
 *   { rows: 1, cols: 2, eps: 0 }); // [0.8485, 1.1314]
 * ```
 */
export const rmsNormCpu: KernelFunc<"RmsNorm", Data> = ({ x, weight }, { rows, cols, eps }) => {
  const src = x.data as Float32Array;
  const w = weight.data as Float32Array;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let ss = 0;
    for (let c = 0; c < cols; c++) {
      const v = src[base + c];
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss / cols + eps);
    for (let c = 0; c < cols; c++) out[base + c] = src[base + c] * inv * w[c];
  }
  return out;
};

/**
 * CPU `LayerNorm` kernel: y = (x − μ)/sqrt(σ² + eps) · weight + bias per row (two-pass statistics in float64).
 *
 * @example
 * ```ts
 * layerNormCpu({ x: { data: new Float32Array([1, 3]), shape: [1, 2], dtype: "float32" },
 *   weight: { data: new Float32Array([1, 1]), shape: [2], dtype: "float32" },
 *   bias: { data: new Float32Array([0, 0]), shape: [2], dtype: "float32" } },
 *   { rows: 1, cols: 2, eps: 0 }); // [−1, 1]
 * ```
 */
export const layerNormCpu: KernelFunc<"LayerNorm", Data> = ({ x, weight, bias }, { rows, cols, eps }) => {
  const src = x.data as Float32Array;
  const w = weight.data as Float32Array;
  const b = bias.data as Float32Array;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s += src[base + c];
    const mean = s / cols;
    let ss = 0;
    for (let c = 0; c < cols; c++) {
      const d = src[base + c] - mean;
      ss += d * d;
    }
    const inv = 1 / Math.sqrt(ss / cols + eps);
    for (let c = 0; c < cols; c++) out[base + c] = (src[base + c] - mean) * inv * w[c] + b[c];
  }
  return out;
};
