// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `Gather` kernel: out[i, :] = table[ids[i], :] (ids already validated by the op).
 *
 * @example
 * ```ts
 * gatherCpu({ table: { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: "float32" },
 *   ids: { data: new Int32Array([1]), shape: [1], dtype: "int32" } },
 *   { numRows: 2, rowSize: 2, numIds: 1 }); // [3, 4]
 * ```
 */
export const gatherCpu: KernelFunc<"Gather", Data> = ({ table, ids }, { rowSize, numIds }) => {
  const src = table.data;
  const idx = ids.data;
  const out = table.dtype === "int32" ? new Int32Array(numIds * rowSize) : new Float32Array(numIds * rowSize);
  if (rowSize < 16) {
    // Short rows: a hand loop beats allocating a subarray view per row.
    for (let i = 0; i < numIds; i++) for (let j = 0, p = idx[i] * rowSize, q = i * rowSize; j < rowSize; j++) out[q + j] = src[p + j];
    return out;
  }
  for (let i = 0; i < numIds; i++) {
    const from = idx[i] * rowSize;
    out.set(src.subarray(from, from + rowSize), i * rowSize);
  }
  return out;
};

/**
 * CPU `ScatterAdd` kernel: out = zeros([numRows, rowSize]); out[ids[i], :] += updates[i, :].
 *
 * @example
 * ```ts
 * scatterAddCpu({ updates: { data: new Float32Array([1, 2]), shape: [2, 1], dtype: "float32" },
 *   ids: { data: new Int32Array([0, 0]), shape: [2], dtype: "int32" } },
 *   { numRows: 2, rowSize: 1, numIds: 2 }); // [3, 0]
 * ```
 */
export const scatterAddCpu: KernelFunc<"ScatterAdd", Data> = ({ updates, ids }, { numRows, rowSize, numIds }) => {
  const src = updates.data;
  const idx = ids.data;
  const out = new Float32Array(numRows * rowSize);
  for (let i = 0; i < numIds; i++) {
    const to = idx[i] * rowSize;
    const from = i * rowSize;
    for (let j = 0; j < rowSize; j++) out[to + j] += src[from + j];
  }
  return out;
};
