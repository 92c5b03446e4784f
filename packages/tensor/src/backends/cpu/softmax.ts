// SPDX-License-Identifier: MIT

import type { CausalMask, KernelFunc } from "../../backend/kernels.js";
import { expf } from "./fast-math.js";

type Data = Float32Array | Int32Array;

function rowSoftmax(
  x: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
  causal: CausalMask | null,
  log: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const limit = causal === null ? cols : Math.min(cols, (r % causal.queryLen) + causal.offset + 1);
    // Three passes (max, Σexp, normalise): the max shift keeps exp from overflowing.
    let max = -Infinity;
    for (let c = 0; c < limit; c++) {
      const v = x[base + c];
      if (v > max || v !== v) max = v;
    }
    let sum = 0;
    if (log) {
      for (let c = 0; c < limit; c++) sum += expf(x[base + c] - max);
      const shift = max + Math.log(sum);
      for (let c = 0; c < limit; c++) out[base + c] = x[base + c] - shift;
      for (let c = limit; c < cols; c++) out[base + c] = -Infinity;
    } else {
      for (let c = 0; c < limit; c++) {
        const e = expf(x[base + c] - max);
        out[base + c] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let c = 0; c < limit; c++) out[base + c] *= inv;
      // Float32Array is zero-initialised, so masked entries are already 0.
    }
  }
}

/**
 * CPU `Softmax` kernel (rows of the last axis, optional causal mask).
 *
 * @example
 * ```ts
 * softmaxCpu({ x: { data: new Float32Array([0, 0]), shape: [1, 2], dtype: "float32" } },
 *   { rows: 1, cols: 2, causal: null }); // [0.5, 0.5]
 * ```
 */
export const softmaxCpu: KernelFunc<"Softmax", Data> = ({ x }, { rows, cols, causal }) => {
  const out = new Float32Array(rows * cols);
  rowSoftmax(x.data as Float32Array, out, rows, cols, causal, false);
  return out;
};

/**
 * CPU `LogSoftmax` kernel (rows of the last axis, optional causal mask).
 *
 * @example
 * ```ts
 * logSoftmaxCpu({ x: { data: new Float32Array([0, 0]), shape: [1, 2], dtype: "float32" } },
 *   { rows: 1, cols: 2, causal: null }); // [−ln 2, −ln 2]
 * ```
 */
export const logSoftmaxCpu: KernelFunc<"LogSoftmax", Data> = ({ x }, { rows, cols, causal }) => {
  const out = new Float32Array(rows * cols);
  rowSoftmax(x.data as Float32Array, out, rows, cols, causal, true);
  return out;
};
