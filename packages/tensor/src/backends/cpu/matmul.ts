// SPDX-License-Identifier: MIT
import { matmulF32Js } from "./matmul-js.js";
import { matmulF32Wasm } from "./matmul-wasm.js";

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
