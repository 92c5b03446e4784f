// SPDX-License-Identifier: MIT

import type { GpuKernelImpl } from "./kernel-impl.js";
import { toDType, type KernelThis } from "./runtime.js";

const REDUCE_CODES = { sum: 0, max: 1, min: 2 } as const;

/**
 * gpu.js body of `Reduce`: x viewed as [outer, reduce, inner]; thread i = o·inner + j walks its own column
 * r = 0..reduce−1 once (one pass per output, never a recomputation per cell). max/min propagate NaN.
 * Constants: `op` (0 sum, 1 max, 2 min), `reduce`, `inner`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "reduce", source: reduceKernel, size: 2,
 *   constants: { op: 0, reduce: 2, inner: 1 }, args: [x] });
 * ```
 */
function reduceKernel(this: KernelThis, x: Float32Array): number {
  const inner = this.constants.inner;
  const op = this.constants.op;
  const o = Math.floor(this.thread.x / inner);
  const j = this.thread.x - o * inner;
  const base = o * this.constants.reduce * inner + j;
  let acc = x[base];
  for (let r = 1; r < this.constants.reduce; r++) {
    const v = x[base + r * inner];
    if (op === 0) {
      acc += v;
    } else if (op === 1) {
      if (v > acc || v !== v) {
        acc = v;
      }
    } else {
      if (v < acc || v !== v) {
        acc = v;
      }
    }
  }
  return acc;
}

/**
 * gpu.js body of `ArgMax`: first index of the maximum of each [outer, ·, inner] column (a NaN counts as the
 * maximum, and the first NaN wins). Constants: `reduce`, `inner`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "argmax", source: argMaxKernel, size: 1, constants: { reduce: 3, inner: 1 }, args: [x] });
 * ```
 */
function argMaxKernel(this: KernelThis, x: Float32Array): number {
  const inner = this.constants.inner;
  const o = Math.floor(this.thread.x / inner);
  const j = this.thread.x - o * inner;
  const base = o * this.constants.reduce * inner + j;
  let best = x[base];
  let at = 0;
  for (let r = 1; r < this.constants.reduce; r++) {
    const v = x[base + r * inner];
    if (best === best) {
      if (v > best || v !== v) {
        best = v;
        at = r;
      }
    }
  }
  return at;
}

/**
 * gpu.js `Reduce` kernel.
 *
 * @example
 * ```ts
 * reduceGpu(runtime, { x }, { op: "sum", outer: 2, reduce: 3, inner: 1 });
 * ```
 */
export const reduceGpu: GpuKernelImpl<"Reduce"> = (rt, { x }, { op, outer, reduce, inner }) =>
  rt.launch({
    name: "reduce",
    source: reduceKernel,
    size: outer * inner,
    constants: { op: REDUCE_CODES[op], reduce, inner },
    args: [x.data],
  });

/**
 * gpu.js `ArgMax` kernel (int32 output).
 *
 * @example
 * ```ts
 * argMaxGpu(runtime, { x }, { outer: 1, reduce: 3, inner: 1 });
 * ```
 */
export const argMaxGpu: GpuKernelImpl<"ArgMax"> = (rt, { x }, { outer, reduce, inner }) =>
  toDType(
    rt,
    rt.launch({ name: "argmax", source: argMaxKernel, size: outer * inner, constants: { reduce, inner }, args: [x.data] }),
    "int32",
  );
