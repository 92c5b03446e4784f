// SPDX-License-Identifier: MIT
import { forEachProduct, matmulF32Js } from "./matmul-js.js";
import { matmulF32BatchedWasm, matmulF32Wasm } from "./matmul-wasm.js";

/**
 * C = op(A)·op(B), row-major contiguous float32. A is [m,k] ([k,m] when transA), B is [k,n] ([n,k] when transB), C is [m,n].
 *
 * C[i,j] = Σ_p op(A)[i,p] · op(B)[p,j]; C is overwritten. This is the CPU backend's matmul entry point and it is
 * synchronous. It runs the WebAssembly SIMD kernel (packed operands, 4×8 register tile, k-blocked; split across
 * worker threads for large products, see `setMatmulThreads`) and falls back to the plain-JS blocked kernel where
 * WebAssembly SIMD is unavailable. Accumulation is float32, so results differ from a float64 sum by about
 * k·2⁻²⁴ relative to Σ|A||B|.
 *
 * @param a - A, row-major: [m, k], or [k, m] when `transA`.
 * @param b - B, row-major: [k, n], or [n, k] when `transB`.
 * @param c - output, row-major [m, n]; overwritten.
 * @param m - rows of C.
 * @param k - inner dimension.
 * @param n - columns of C.
 * @param transA - use Aᵀ.
 * @param transB - use Bᵀ.
 * @throws RangeError naming the argument when a size is not a non-negative integer or a buffer is too short.
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2, false, false);
 * // c = [19, 22, 43, 50]
 * ```
 */
export function matmulF32(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (!matmulF32Wasm(a, b, c, m, k, n, transA, transB)) matmulF32Js(a, b, c, m, k, n, transA, transB);
}

/**
 * Batched C[t] = op(A[aIndex[t]])·op(B[bIndex[t]]) for t in [0, batch), row-major contiguous float32: A is a stack of
 * [m,k] matrices ([k,m] when transA), B a stack of [k,n] ([n,k] when transB), C is [batch,m,n].
 *
 * Same result as one {@link matmulF32} call per product (bit for bit), but many small products (attention over
 * heads) are shared out whole across the worker threads instead of running one by one on the calling thread.
 * Broadcasting is expressed by repeating an index.
 *
 * @param a - stacked A matrices.
 * @param b - stacked B matrices.
 * @param c - output [batch, m, n]; overwritten.
 * @param m - rows of each C.
 * @param k - inner dimension.
 * @param n - columns of each C.
 * @param transA - use each Aᵀ.
 * @param transB - use each Bᵀ.
 * @param batch - number of products.
 * @param aIndex - index of the A matrix of each product (length ≥ batch).
 * @param bIndex - index of the B matrix of each product (length ≥ batch).
 * @throws RangeError naming the argument when a size or index is not a non-negative integer or a buffer is too short.
 * @example
 * ```ts
 * // two heads sharing one K: C[h] = Q[h]·Kᵀ
 * const c = new Float32Array(2);
 * matmulF32Batched(new Float32Array([1, 2]), new Float32Array([3]), c, 1, 1, 1, false, true, 2, [0, 1], [0, 0]);
 * // c = [3, 6]
 * ```
 */
export function matmulF32Batched(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  batch: number,
  aIndex: ArrayLike<number>,
  bIndex: ArrayLike<number>,
): void {
  // matmulF32BatchedWasm validates the arguments before it can return false (no wasm).
  if (matmulF32BatchedWasm(a, b, c, m, k, n, transA, transB, batch, aIndex, bIndex)) return;
  forEachProduct(a, b, c, m, k, n, batch, aIndex, bIndex, (ai, bi, ci) => matmulF32Js(ai, bi, ci, m, k, n, transA, transB));
}
