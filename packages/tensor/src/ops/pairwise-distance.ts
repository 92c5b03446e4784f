// SPDX-License-Identifier: MIT

import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { divNoNan, mul, sub } from "./binary.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { floatArg, fmt } from "./validate.js";

/**
 * Euclidean distances between the rows of two batched point sets: a [B, N, D], b [B, M, D] → [B, N, M]
 * with out[t,i,j] = ‖a[t,i] − b[t,j]‖₂ (2-D inputs [N, D], [M, D] → [N, M]). Computed from differences,
 * so equal rows give exactly 0. This is the norm of the energy loss (CALM reference 4.2, α = 1).
 *
 * Gradient (c = dy/d, and c = 0 where d = 0 — PyTorch's norm subgradient, so coincident samples at
 * initialisation give 0 instead of NaN): da_i = Σ_j c_ij (a_i − b_j) = (Σ_j c_ij)·a_i − (c·b)_i,
 * db_j = (Σ_i c_ij)·b_j − (cᵀ·a)_j — written with matmul, so the [B, N, M, D] differences are never formed.
 *
 * @throws RangeError if shapes are not [B,N,D]/[B,M,D] (or [N,D]/[M,D]); TypeError for non-float32.
 * @example
 * ```ts
 * pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4], [0, 0]])); // [[5, 0]]
 * ```
 */
export function pairwiseDistance(a: Tensor, b: Tensor): Tensor {
  const op = "pairwiseDistance";
  const x = floatArg(a, op, "a");
  const y = floatArg(b, op, "b");
  const batched = x.rank === 3;
  if (!((x.rank === 3 && y.rank === 3 && x.shape[0] === y.shape[0]) || (x.rank === 2 && y.rank === 2)) || x.shape[x.rank - 1] !== y.shape[y.rank - 1]) {
    throw new RangeError(`${op}: expected a [B,N,D] and b [B,M,D] (or [N,D] and [M,D]) (a: ${fmt(x.shape)}, b: ${fmt(y.shape)})`);
  }
  const batch = batched ? x.shape[0] : 1;
  const n = x.shape[x.rank - 2];
  const m = y.shape[y.rank - 2];
  const dim = x.shape[x.rank - 1];
  const shape = batched ? [batch, n, m] : [n, m];
  const d = runKernel(op, "PairwiseDistance", { a: x, b: y }, { batch, n, m, dim }, shape, "float32");
  if (needsGrad(x, y)) {
    record(op, d, [x, y], (dy) => {
      const c = divNoNan(dy, d);
      const ga = sub(mul(sum(c, -1, true), x), matmul(c, y));
      const colSums = reshape(sum(c, -2, false), batched ? [batch, m, 1] : [m, 1]);
      const gb = sub(mul(colSums, y), matmul(c, x, { transA: true }));
      return [ga, gb];
    });
  }
  return d;
}
