// SPDX-License-Identifier: MIT

import type { GpuKernelImpl } from "./kernel-impl.js";
import { sizeOf, stridesOf } from "../../shape-math.js";
import {
  asDType,
  axisMeta,
  chain,
  toDType,
  type GpuJsRuntime,
  type KernelData,
  type KernelThis,
  type MaybePromise,
} from "./runtime.js";

/**
 * gpu.js body of a strided gather: out[i] = x[offset + Σ_d i_d·strides[d]], where (i_0..i_{rank−1}) is the
 * multi-index of i in `shape`; `meta` = [shape, strides]. Permute, Slice and matrix transposes are all this
 * one kernel. Constants: `rank`, `offset`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "strided", source: stridedKernel, size: 6, constants: { rank: 2, offset: 0 },
 *   args: [x, new Float32Array([3, 2, 1, 3])] }); // transpose of a [2,3] matrix
 * ```
 */
function stridedKernel(this: KernelThis, x: Float32Array, meta: Float32Array): number {
  const rank = this.constants.rank;
  let rem = this.thread.x;
  let src = this.constants.offset;
  for (let e = 0; e < rank; e++) {
    const d = rank - 1 - e;
    const s = meta[d];
    const q = Math.floor(rem / s);
    src += (rem - q * s) * meta[rank + d];
    rem = q;
  }
  return x[src];
}

/**
 * gpu.js body of `Pad`: cell i of `outShape` takes x at (i − begin) when that lies inside x's box, else 0;
 * `meta` = [outShape, begin, xShape]. Constants: `rank`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "pad", source: padKernel, size: 3, constants: { rank: 1 },
 *   args: [x, new Float32Array([3, 1, 1])] }); // [0, x0, 0]
 * ```
 */
function padKernel(this: KernelThis, x: Float32Array, meta: Float32Array): number {
  const rank = this.constants.rank;
  let rem = this.thread.x;
  let src = 0;
  let stride = 1;
  let inside = 1;
  for (let e = 0; e < rank; e++) {
    const d = rank - 1 - e;
    const s = meta[d];
    const q = Math.floor(rem / s);
    const i = rem - q * s - meta[rank + d];
    const xs = meta[2 * rank + d];
    if (i < 0 || i >= xs) {
      inside = 0;
    }
    src += i * stride;
    stride *= xs;
    rem = q;
  }
  if (inside === 0) {
    return 0;
  }
  return x[src];
}

/**
 * gpu.js body of a two-way concat: a viewed as [outer, wa] and b as [outer, wb] joined along the columns.
 * Constants: `wa`, `wb`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "concat2", source: concat2Kernel, size: 3, constants: { wa: 1, wb: 2 }, args: [a, b] });
 * ```
 */
function concat2Kernel(this: KernelThis, a: Float32Array, b: Float32Array): number {
  const wa = this.constants.wa;
  const wb = this.constants.wb;
  const w = wa + wb;
  const o = Math.floor(this.thread.x / w);
  const c = this.thread.x - o * w;
  if (c < wa) {
    return a[o * wa + c];
  }
  return b[o * wb + c - wa];
}

/**
 * Runs {@link stridedKernel}: out (of `shape`) = x[offset + Σ i_d·strides[d]].
 *
 * @example
 * ```ts
 * stridedGather(runtime, x, [3, 2], [1, 3], 0); // transpose of a row-major [2,3] matrix
 * ```
 */
export function stridedGather(
  rt: GpuJsRuntime,
  x: KernelData,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): MaybePromise<KernelData> {
  const { rank, meta } = axisMeta([shape, strides], [1, 0]);
  return rt.launch({ name: "strided", source: stridedKernel, size: sizeOf(shape), constants: { rank, offset }, args: [x, meta] });
}

/**
 * gpu.js `Permute` kernel.
 *
 * @example
 * ```ts
 * permuteGpu(runtime, { x }, { perm: [1, 0] });
 * ```
 */
export const permuteGpu: GpuKernelImpl<"Permute"> = (rt, { x }, { perm }) => {
  const inStrides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]);
  return toDType(rt, stridedGather(rt, x.data, shape, perm.map((p) => inStrides[p]), 0), x.dtype);
};

/**
 * gpu.js `Slice` kernel.
 *
 * @example
 * ```ts
 * sliceGpu(runtime, { x }, { begin: [1], size: [2] });
 * ```
 */
export const sliceGpu: GpuKernelImpl<"Slice"> = (rt, { x }, { begin, size }) => {
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += begin[d] * strides[d];
  return toDType(rt, stridedGather(rt, x.data, size, strides, offset), x.dtype);
};

/**
 * gpu.js `Pad` kernel.
 *
 * @example
 * ```ts
 * padGpu(runtime, { x }, { begin: [1], outShape: [3] });
 * ```
 */
export const padGpu: GpuKernelImpl<"Pad"> = (rt, { x }, { begin, outShape }) => {
  const { rank, meta } = axisMeta([outShape, begin, x.shape], [1, 0, 1]);
  return toDType(
    rt,
    rt.launch({ name: "pad", source: padKernel, size: sizeOf(outShape), constants: { rank }, args: [x.data, meta] }),
    x.dtype,
  );
};

/**
 * gpu.js `Concat` kernel: a chain of two-way concats (k inputs cost k − 1 launches; empty inputs are
 * skipped). gpu.js kernels take a fixed number of arguments, so a variadic concat cannot be one launch.
 * Partial results of the chain are released as soon as the next link has been launched.
 *
 * @example
 * ```ts
 * concatGpu(runtime, { xs: [a, b] }, { outer: 1, inners: [1, 2] });
 * ```
 */
export const concatGpu: GpuKernelImpl<"Concat"> = (rt, { xs }, { outer, inners }) => {
  const dtype = xs.length > 0 ? xs[0].dtype : "float32";
  const parts: { data: KernelData; w: number }[] = [];
  for (let i = 0; i < xs.length; i++) if (inners[i] > 0) parts.push({ data: xs[i].data, w: inners[i] });
  let total = 0;
  for (const w of inners) total += w;
  if (parts.length === 0 || outer === 0) return asDType(new Float32Array(outer * total), dtype);
  // One input left: a copy through the strided kernel keeps "a fresh output" without a host loop.
  if (parts.length === 1) return toDType(rt, stridedGather(rt, parts[0].data, [outer * parts[0].w], [1], 0), dtype);
  let acc: MaybePromise<KernelData> = parts[0].data;
  let wa = parts[0].w;
  for (let i = 1; i < parts.length; i++) {
    const { data, w } = parts[i];
    const width = wa;
    const first = i === 1;
    acc = chain(acc, (a) =>
      chain(
        rt.launch({ name: "concat2", source: concat2Kernel, size: outer * (width + w), constants: { wa: width, wb: w }, args: [a, data] }),
        (out) => {
          if (!first) rt.release(a);
          return out;
        },
      ),
    );
    wa += w;
  }
  return toDType(rt, acc, dtype);
};
