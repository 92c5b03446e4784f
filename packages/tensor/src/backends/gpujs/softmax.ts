// SPDX-License-Identifier: MIT
//
// Row softmax as three kernels (row max → row Σexp → normalise), the multi-pass form of the compute-backends
// note section 3: a single kernel in which every cell recomputes its row's max and sum costs O(cols) per cell
// and was measured 300–600× slower on the CPU modes.

import type { CausalMask } from "../../backend/kernels.js";
import type { GpuKernelImpl } from "./kernel-impl.js";
import { chain, type GpuJsRuntime, type KernelData, type KernelThis, type MaybePromise } from "./runtime.js";

/**
 * gpu.js body: max over the unmasked prefix of row `this.thread.x`. Row r keeps columns
 * c < min(cols, (r mod queryLen) + offset + 1) when `causal` is 1, all columns otherwise (NaN propagates).
 * Constants: `cols`, `causal`, `queryLen`, `offset`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rowMax", source: rowMaxKernel, size: rows, constants, args: [x] });
 * ```
 */
function rowMaxKernel(this: KernelThis, x: Float32Array): number {
  const cols = this.constants.cols;
  const r = this.thread.x;
  let limit = cols;
  if (this.constants.causal === 1) {
    const q = r - Math.floor(r / this.constants.queryLen) * this.constants.queryLen;
    limit = q + this.constants.offset + 1;
  }
  let m = x[r * cols];
  for (let c = 1; c < this.constants.cols; c++) {
    if (c < limit) {
      const v = x[r * cols + c];
      if (v > m || v !== v) {
        m = v;
      }
    }
  }
  return m;
}

/**
 * gpu.js body: Σ exp(x − max) over the unmasked prefix of row `this.thread.x` (same mask as
 * {@link rowMaxKernel}). Constants: `cols`, `causal`, `queryLen`, `offset`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "rowSumExp", source: rowSumExpKernel, size: rows, constants, args: [x, max] });
 * ```
 */
function rowSumExpKernel(this: KernelThis, x: Float32Array, mx: Float32Array): number {
  const cols = this.constants.cols;
  const r = this.thread.x;
  let limit = cols;
  if (this.constants.causal === 1) {
    const q = r - Math.floor(r / this.constants.queryLen) * this.constants.queryLen;
    limit = q + this.constants.offset + 1;
  }
  const m = mx[r];
  let s = 0;
  for (let c = 0; c < this.constants.cols; c++) {
    if (c < limit) {
      s += Math.exp(x[r * cols + c] - m);
    }
  }
  return s;
}

/**
 * gpu.js body: normalises cell (r, c) given the row's max and Σexp: exp(x − max)/Σ for softmax (`log` 0),
 * x − max − log Σ for log-softmax (`log` 1); masked cells are 0 and −Infinity respectively.
 * Constants: `cols`, `causal`, `queryLen`, `offset`, `log`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "softmaxNormalise", source: softmaxNormaliseKernel, size, constants, args: [x, max, sum] });
 * ```
 */
function softmaxNormaliseKernel(this: KernelThis, x: Float32Array, mx: Float32Array, sum: Float32Array): number {
  const cols = this.constants.cols;
  const r = Math.floor(this.thread.x / cols);
  const c = this.thread.x - r * cols;
  let limit = cols;
  if (this.constants.causal === 1) {
    const q = r - Math.floor(r / this.constants.queryLen) * this.constants.queryLen;
    limit = q + this.constants.offset + 1;
  }
  if (this.constants.log === 1) {
    if (c >= limit) {
      return -Infinity;
    }
    return x[this.thread.x] - (mx[r] + Math.log(sum[r]));
  }
  if (c >= limit) {
    return 0;
  }
  return Math.exp(x[this.thread.x] - mx[r]) / sum[r];
}

function rowSoftmax(
  rt: GpuJsRuntime,
  x: KernelData,
  rows: number,
  cols: number,
  causal: CausalMask | null,
  log: number,
): MaybePromise<KernelData> {
  if (rows * cols === 0) return new Float32Array(0);
  const mask = { cols, causal: causal === null ? 0 : 1, queryLen: causal?.queryLen ?? 1, offset: causal?.offset ?? 0 };
  return chain(rt.launch({ name: "rowMax", source: rowMaxKernel, size: rows, constants: mask, args: [x] }), (mx) =>
    chain(rt.launch({ name: "rowSumExp", source: rowSumExpKernel, size: rows, constants: mask, args: [x, mx] }), (sum) =>
      chain(
        rt.launch({
          name: "softmaxNormalise",
          source: softmaxNormaliseKernel,
          size: rows * cols,
          constants: { ...mask, log },
          args: [x, mx, sum],
        }),
        (out) => {
          rt.release(mx, sum);
          return out;
        },
      ),
    ),
  );
}

/**
 * gpu.js `Softmax` kernel (three launches).
 *
 * @example
 * ```ts
 * softmaxGpu(runtime, { x }, { rows: 1, cols: 2, causal: null }); // [0.5, 0.5] for x = [0, 0]
 * ```
 */
export const softmaxGpu: GpuKernelImpl<"Softmax"> = (rt, { x }, { rows, cols, causal }) =>
  rowSoftmax(rt, x.data, rows, cols, causal, 0);

/**
 * gpu.js `LogSoftmax` kernel (three launches).
 *
 * @example
 * ```ts
 * logSoftmaxGpu(runtime, { x }, { rows: 1, cols: 2, causal: null }); // [−ln 2, −ln 2] for x = [0, 0]
 * ```
 */
export const logSoftmaxGpu: GpuKernelImpl<"LogSoftmax"> = (rt, { x }, { rows, cols, causal }) =>
  rowSoftmax(rt, x.data, rows, cols, causal, 1);
