// SPDX-License-Identifier: MIT

/**
 * Rows of C per pass: each loaded element of B is reused this many times
 * (compute-backends.md section 2: 1.6 → 3.4 GFLOP/s going from 1 to 4 rows).
 */
const ROWS = 4;
/** k-block so the active B rows (KB × n floats) stay in cache. */
const KB = 128;
/** n-block so one row strip of C and B stays in L1. */
const NB = 256;

/**
 * Transposed copy of a row-major [rows, cols] matrix into a new [cols, rows] matrix.
 * The JS kernel normalises transposed operands this way so that its inner loop always walks rows.
 */
function transposeCopy(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  // Tiles of 32 keep both the read and the write side within a few cache lines.
  for (let i0 = 0; i0 < rows; i0 += 32) {
    const i1 = Math.min(rows, i0 + 32);
    for (let j0 = 0; j0 < cols; j0 += 32) {
      const j1 = Math.min(cols, j0 + 32);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j];
      }
    }
  }
  return out;
}

/** Throws a RangeError naming `fn`, the size and its value unless every size is a non-negative integer. */
function checkSizes(fn: string, sizes: Record<string, number>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: ${name} is ${v}, must be a non-negative integer`);
  }
}

/**
 * Validates the sizes and buffer lengths shared by every matmul entry point.
 *
 * @throws RangeError naming `fn`, the argument and its value when a size is not a non-negative integer
 *   or a buffer is shorter than the shape requires.
 * @example
 * ```ts
 * checkMatmulArgs("myMatmul", a, b, c, 2, 3, 4); // throws unless a ≥ 6, b ≥ 12, c ≥ 8 elements
 * ```
 */
export function checkMatmulArgs(
  fn: string,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  checkSizes(fn, { m, k, n });
  if (a.length < m * k) throw new RangeError(`${fn}: a has length ${a.length}, needs m*k = ${m}*${k} = ${m * k}`);
  if (b.length < k * n) throw new RangeError(`${fn}: b has length ${b.length}, needs k*n = ${k}*${n} = ${k * n}`);
  if (c.length < m * n) throw new RangeError(`${fn}: c has length ${c.length}, needs m*n = ${m}*${n} = ${m * n}`);
}

/**
 * Plain-JS float32 matrix product C = op(A)·op(B), the zero-build fallback and test reference of the CPU backend.
 *
 * C[i,j] = Σ_p op(A)[i,p] · op(B)[p,j], accumulated in float32 order p = 0..k-1 within each k-block.
 * Blocked i-k-j loop with 4 rows of C per pass (compute-backends.md section 2, about 3.4 GFLOP/s on one core).
 * Transposed operands are first copied into row-major form. C is overwritten (not accumulated into).
 *
 * @param a - op(A) source, row-major: [m, k], or [k, m] when `transA`.
 * @param b - op(B) source, row-major: [k, n], or [n, k] when `transB`.
 * @param c - output, row-major [m, n]; overwritten.
 * @param m - rows of C.
 * @param k - inner dimension.
 * @param n - columns of C.
 * @param transA - read A as its transpose.
 * @param transB - read B as its transpose.
 * @throws RangeError when a size is not a non-negative integer or a buffer is too short.
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * matmulF32Js(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2, false, false);
 * // c = [19, 22, 43, 50]
 * ```
 */
export function matmulF32Js(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  checkMatmulArgs("matmulF32Js", a, b, c, m, k, n);
  const A = transA ? transposeCopy(a, k, m) : a;
  const B = transB ? transposeCopy(b, n, k) : b;
  c.fill(0, 0, m * n);
  const m4 = m - (m % ROWS);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(k, p0 + KB);
    for (let j0 = 0; j0 < n; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      let i = 0;
      for (; i < m4; i += ROWS) {
        const r0 = i * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        for (let p = p0; p < p1; p++) {
          const a0 = A[i * k + p];
          const a1 = A[(i + 1) * k + p];
          const a2 = A[(i + 2) * k + p];
          const a3 = A[(i + 3) * k + p];
          const bRow = p * n;
          for (let j = j0; j < j1; j++) {
            const bv = B[bRow + j];
            c[r0 + j] += a0 * bv;
            c[r1 + j] += a1 * bv;
            c[r2 + j] += a2 * bv;
            c[r3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const r0 = i * n;
        for (let p = p0; p < p1; p++) {
          const a0 = A[i * k + p];
          const bRow = p * n;
          for (let j = j0; j < j1; j++) c[r0 + j] += a0 * B[bRow + j];
        }
      }
    }
  }
}

/**
 * Validates a batched product: `batch` matrix indices into A (matrices of m·k floats) and into B (k·n floats),
 * and an output of batch·m·n floats.
 *
 * @returns the number of A and B matrices referenced (largest index + 1).
 * @throws RangeError naming `fn`, the argument and the value when a size or an index is not a non-negative
 *   integer, an index list is shorter than `batch`, or a buffer is shorter than its largest index requires.
 * @example
 * ```ts
 * checkBatchedMatmulArgs("myBatchedMatmul", a, b, c, 2, 3, 4, 2, [0, 1], [0, 0]); // { numA: 2, numB: 1 }
 * ```
 */
export function checkBatchedMatmulArgs(
  fn: string,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  batch: number,
  aIndex: ArrayLike<number>,
  bIndex: ArrayLike<number>,
): { numA: number; numB: number } {
  checkSizes(fn, { m, k, n, batch });
  let numA = 0;
  let numB = 0;
  for (const [name, idx] of [
    ["aIndex", aIndex],
    ["bIndex", bIndex],
  ] as const) {
    if (idx.length < batch) throw new RangeError(`${fn}: ${name} has length ${idx.length}, needs batch = ${batch}`);
    for (let t = 0; t < batch; t++) {
      const v = idx[t];
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: ${name}[${t}] is ${v}, must be a non-negative integer`);
      if (name === "aIndex") numA = Math.max(numA, v + 1);
      else numB = Math.max(numB, v + 1);
    }
  }
  if (a.length < numA * m * k) throw new RangeError(`${fn}: a has length ${a.length}, needs ${numA} matrices of m*k = ${m}*${k}`);
  if (b.length < numB * k * n) throw new RangeError(`${fn}: b has length ${b.length}, needs ${numB} matrices of k*n = ${k}*${n}`);
  if (c.length < batch * m * n) throw new RangeError(`${fn}: c has length ${c.length}, needs batch*m*n = ${batch}*${m}*${n}`);
  return { numA, numB };
}

/**
 * Runs a batched product one item at a time: `mm` computes C[t] = op(A[aIndex[t]])·op(B[bIndex[t]]) on `subarray`
 * views (no copies) for t in [0, batch). The arguments must already be validated (`checkBatchedMatmulArgs`).
 *
 * @example
 * ```ts
 * forEachProduct(a, b, c, m, k, n, batch, aIndex, bIndex, (ai, bi, ci) => matmulF32Js(ai, bi, ci, m, k, n, false, false));
 * ```
 */
export function forEachProduct(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  batch: number,
  aIndex: ArrayLike<number>,
  bIndex: ArrayLike<number>,
  mm: (ai: Float32Array, bi: Float32Array, ci: Float32Array) => void,
): void {
  const as = m * k;
  const bs = k * n;
  const cs = m * n;
  for (let t = 0; t < batch; t++) {
    mm(a.subarray(aIndex[t] * as, (aIndex[t] + 1) * as), b.subarray(bIndex[t] * bs, (bIndex[t] + 1) * bs), c.subarray(t * cs, (t + 1) * cs));
  }
}
