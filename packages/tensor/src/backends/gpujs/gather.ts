// SPDX-License-Identifier: MIT

import type { GpuKernelImpl } from "./kernel-impl.js";
import { chain, toDType, type HostArray, type KernelThis } from "./runtime.js";

/**
 * gpu.js body of `Gather`: out[i, c] = table[ids[i], c]. Constants: `rowSize`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "gather", source: gatherKernel, size: numIds * rowSize, constants: { rowSize }, args: [table, ids] });
 * ```
 */
function gatherKernel(this: KernelThis, table: Float32Array, ids: Float32Array): number {
  const rowSize = this.constants.rowSize;
  const i = Math.floor(this.thread.x / rowSize);
  const c = this.thread.x - i * rowSize;
  return table[ids[i] * rowSize + c];
}

/**
 * gpu.js body of `ScatterAdd` as a segmented sum: `order` lists update indices grouped by target row and
 * `start[r]..start[r+1]` is row r's segment, so each output cell sums only its own updates (no atomics, no
 * scan over all ids per cell). Constants: `rowSize`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "scatterAdd", source: scatterAddKernel, size: numRows * rowSize, constants: { rowSize },
 *   args: [updates, order, start] });
 * ```
 */
function scatterAddKernel(this: KernelThis, updates: Float32Array, order: Float32Array, start: Float32Array): number {
  const rowSize = this.constants.rowSize;
  const r = Math.floor(this.thread.x / rowSize);
  const c = this.thread.x - r * rowSize;
  let s = 0;
  const begin = start[r];
  const count = start[r + 1] - begin;
  // An integer counter from a literal 0: WGSL has no increment on floats, and gpu.js types `start[r]` as float.
  for (let q = 0; q < count; q++) {
    s += updates[order[begin + q] * rowSize + c];
  }
  return s;
}

/**
 * gpu.js `Gather` kernel (dtype of the table; int32 tables are exact below 2^24).
 *
 * @example
 * ```ts
 * gatherGpu(runtime, { table, ids }, { numRows: 2, rowSize: 2, numIds: 1 });
 * ```
 */
export const gatherGpu: GpuKernelImpl<"Gather"> = (rt, { table, ids }, { rowSize, numIds }) =>
  toDType(
    rt,
    rt.launch({ name: "gather", source: gatherKernel, size: numIds * rowSize, constants: { rowSize }, args: [table.data, ids.data] }),
    table.dtype,
  );

/**
 * gpu.js `ScatterAdd` kernel. The segment index (a counting sort of the int32 ids) is built on the host:
 * ids are small integer arrays that the op layer already reads to validate them. Within a segment updates
 * are summed in their own order (update 0 first), as the CPU kernel does.
 *
 * @example
 * ```ts
 * scatterAddGpu(runtime, { updates, ids }, { numRows: 2, rowSize: 1, numIds: 2 });
 * ```
 */
export const scatterAddGpu: GpuKernelImpl<"ScatterAdd"> = (rt, { updates, ids }, { numRows, rowSize, numIds }) =>
  chain(rt.host(ids.data), (idv: HostArray) => {
    const start = new Float32Array(numRows + 1);
    for (let i = 0; i < numIds; i++) start[idv[i] + 1]++;
    for (let r = 0; r < numRows; r++) start[r + 1] += start[r];
    const fill = start.slice(0, numRows);
    const order = new Float32Array(numIds);
    for (let i = 0; i < numIds; i++) order[fill[idv[i]]++] = i;
    return rt.launch({
      name: "scatterAdd",
      source: scatterAddKernel,
      size: numRows * rowSize,
      constants: { rowSize },
      args: [updates.data, order, start],
    });
  });
