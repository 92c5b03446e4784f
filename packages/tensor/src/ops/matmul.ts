// SPDX-License-Identifier: MIT

import type { MatmulOptions } from "../api.js";
import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { sumTo } from "./reduce.js";
import { broadcastShapes, broadcastStrides, floatArg, fmt, sizeOf } from "./validate.js";

/**
 * Batched matrix product C = op(A)·op(B) over the last two axes, with NumPy broadcasting of the leading
 * (batch) axes: a [..., m, k] (or [..., k, m] with transA), b [..., k, n] (or [..., n, k] with transB) →
 * [...batch, m, n]. Gradients dA = dC·op(B)ᵀ and dB = op(A)ᵀ·dC (transposed back as the flags require,
 * summed over broadcast batch axes). The CPU backend runs all batch items in one `matmulF32Batched` call.
 *
 * @throws RangeError if either input has rank < 2, the inner dimensions differ or batch axes do not
 *   broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])); // [[17], [39]]
 * matmul(q, k, { transB: true }); // q·kᵀ per batch item
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const x = floatArg(a, "matmul", "a");
  const y = floatArg(b, "matmul", "b");
  const transA = options.transA === true;
  const transB = options.transB === true;
  if (x.rank < 2 || y.rank < 2) {
    throw new RangeError(`matmul: a and b need rank ≥ 2 (a: ${fmt(x.shape)}, b: ${fmt(y.shape)})`);
  }
  const [ar, ac] = x.shape.slice(-2);
  const [br, bc] = y.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    const flags = transA || transB ? ` with transA=${transA}, transB=${transB}` : "";
    throw new RangeError(`matmul: inner dimensions differ (a: ${fmt(x.shape)}, b: ${fmt(y.shape)}${flags})`);
  }
  const aBatchShape = x.shape.slice(0, -2);
  const bBatchShape = y.shape.slice(0, -2);
  let batchShape: number[];
  try {
    batchShape = broadcastShapes(aBatchShape, bBatchShape, "matmul");
  } catch {
    throw new RangeError(`matmul: batch dimensions cannot be broadcast (a: ${fmt(x.shape)}, b: ${fmt(y.shape)})`);
  }
  const batch = sizeOf(batchShape);
  const aBatch = batchIndices(aBatchShape, batchShape);
  const bBatch = batchIndices(bBatchShape, batchShape);
  const outShape = [...batchShape, m, n];
  const out = runKernel("matmul", "MatMul", { a: x, b: y }, { m, k, n, transA, transB, batch, aBatch, bBatch }, outShape, "float32");
  if (needsGrad(x, y)) {
    record("matmul", out, [x, y], (dy) => {
      const ga = transA ? matmul(y, dy, { transA: transB, transB: true }) : matmul(dy, y, { transB: !transB });
      const gb = transB ? matmul(dy, x, { transA: true, transB: transA }) : matmul(x, dy, { transA: !transA });
      return [sumTo(ga, x.shape), sumTo(gb, y.shape)];
    });
  }
  return out;
}

/** For each output batch item, the index of the input matrix it reads (broadcast axes repeat). */
function batchIndices(shape: readonly number[], outShape: readonly number[]): number[] {
  const total = sizeOf(outShape);
  const r = outShape.length;
  const strides = broadcastStrides(shape, outShape);
  const out = new Array<number>(total);
  const idx = new Array<number>(r).fill(0);
  let at = 0;
  for (let t = 0; t < total; t++) {
    out[t] = at;
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      at += strides[d];
      if (idx[d] < outShape[d]) break;
      at -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}
