// SPDX-License-Identifier: MIT

import { liveRef, needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { reshape } from "./shape.js";
import { checkTensor, floatArg, fmt, intArg, sizeOf } from "./validate.js";

/** Checks that every id is an integer in [0, numRows); names the first offender. */
function checkIds(ids: Tensor, numRows: number, op: string, arg: string): void {
  const ref = liveRef(ids, op, arg);
  const values = ref.backend.readSync(ref.data, ids.dtype, ids.size);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= numRows) {
      throw new RangeError(`${op}: ${arg}[${i}] = ${v} is out of range [0, ${numRows})`);
    }
  }
}

/**
 * Rows of `table` (along axis 0) picked by int32 `ids` of any shape: out shape = [...ids.shape,
 * ...table.shape.slice(1)]. Gradient w.r.t. table: rows of dy summed into a zero table (scatter-add).
 *
 * @throws TypeError if ids are not int32; RangeError naming the first id outside [0, rows); Error if disposed.
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), tensor([2, 0], [2], "int32")); // [[5, 6], [1, 2]]
 * ```
 */
export function gather(table: Tensor, ids: Tensor): Tensor {
  const t = checkTensor(table, "gather", "table");
  const i = intArg(ids, "gather", "ids");
  if (t.rank < 1) throw new RangeError(`gather: table must have rank ≥ 1, got shape ${fmt(t.shape)}`);
  const numRows = t.shape[0];
  checkIds(i, numRows, "gather", "ids");
  const rowShape = t.shape.slice(1);
  const rowSize = sizeOf(rowShape);
  const y = runKernel("gather", "Gather", { table: t, ids: i }, { numRows, rowSize, numIds: i.size }, [...i.shape, ...rowShape], t.dtype);
  if (t.dtype === "float32" && needsGrad(t)) {
    record("gather", y, [t, i], (dy) => [scatterAddRows(reshape(dy, [i.size, rowSize]), i, numRows, rowShape), null]);
  }
  return y;
}

/**
 * Token embedding lookup: rows of the [vocab, dim] `table` for int32 `ids` → [...ids.shape, dim]
 * (= {@link gather}).
 *
 * @throws TypeError if ids are not int32; RangeError naming the first id outside [0, vocab).
 * @example
 * ```ts
 * embedding(randn([100, 16], rng), tensor([[1, 2, 3]], [1, 3], "int32")); // shape [1, 3, 16]
 * ```
 */
export function embedding(table: Tensor, ids: Tensor): Tensor {
  return gather(table, ids);
}

function scatterAddRows(updates: Tensor, ids: Tensor, numRows: number, rowShape: readonly number[]): Tensor {
  const rowSize = sizeOf(rowShape);
  const y = runKernel("scatterAdd", "ScatterAdd", { updates, ids }, { numRows, rowSize, numIds: ids.size }, [numRows, ...rowShape], "float32");
  if (needsGrad(updates)) record("scatterAdd", y, [updates, ids], (dy) => [reshape(gather(dy, ids), updates.shape), null]);
  return y;
}

/**
 * Adds rows of `updates` ([...ids.shape, ...rowShape]) into a zero tensor of `numRows` rows at int32 `ids`
 * (repeated ids accumulate): the adjoint of {@link gather}. Gradient w.r.t. updates: gather(dy, ids).
 *
 * @throws TypeError for wrong dtypes; RangeError for a shape mismatch or an id outside [0, numRows).
 * @example
 * ```ts
 * scatterAdd(ones([3, 2]), tensor([0, 0, 2], [3], "int32"), 3); // [[2, 2], [0, 0], [1, 1]]
 * ```
 */
export function scatterAdd(updates: Tensor, ids: Tensor, numRows: number): Tensor {
  const u = floatArg(updates, "scatterAdd", "updates");
  const i = intArg(ids, "scatterAdd", "ids");
  if (!Number.isInteger(numRows) || numRows < 0) throw new RangeError(`scatterAdd: numRows must be a non-negative integer, got ${numRows}`);
  if (u.rank < i.rank || i.shape.some((d, j) => u.shape[j] !== d)) {
    throw new RangeError(`scatterAdd: updates ${fmt(u.shape)} must start with ids' shape ${fmt(i.shape)}`);
  }
  checkIds(i, numRows, "scatterAdd", "ids");
  const rowShape = u.shape.slice(i.rank);
  return scatterAddRows(reshape(u, [i.size, sizeOf(rowShape)]), i, numRows, rowShape);
}
