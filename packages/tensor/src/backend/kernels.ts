// SPDX-License-Identifier: MIT
//
// Kernel names, their flat inputs and attributes: the whole contract between the op layer and a backend.
// Ops validate arguments, compute every derived size (broadcast strides, [outer, reduce, inner] views) and
// then call a kernel; kernels do no validation and no shape inference beyond what their attributes say.
// Every input is a `KernelTensor` (opaque backend data plus shape and dtype); every kernel returns the
// backend data of ONE new output whose shape and dtype are documented next to the kernel.

import type { DType } from "../api.js";

/**
 * One kernel input: the backend's opaque data handle plus the logical shape and dtype.
 * Data is always dense, row-major and contiguous (no views with strides).
 */
export interface KernelTensor<D = unknown> {
  readonly data: D;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

// ---------------------------------------------------------------------------------------------------------
// Elementwise

/**
 * Unary elementwise functions (float32 → float32, same shape).
 * - `neg` −x, `abs` |x|, `sign` ∈ {−1, 0, 1}, `square` x², `reciprocal` 1/x
 * - `exp`, `log` (natural), `sqrt`, `rsqrt` 1/√x
 * - `sigmoid` 1/(1+e^−x) (computed stably for both signs), `tanh`
 * - `relu` max(x, 0), `step` (x > 0 ? 1 : 0)
 * - `silu` x·sigmoid(x)
 * - `erf` error function (|error| ≤ 1.5e-7 absolute; e.g. Abramowitz & Stegun 7.1.26 or a rational fit)
 * - `gelu` exact GELU x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016; PyTorch's default, not the tanh form)
 * - `geluGrad` d gelu/dx = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π) (one kernel instead of seven in backward)
 * - `siluGrad` d silu/dx = σ(x)·(1 + x·(1 − σ(x)))
 */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "square"
  | "reciprocal"
  | "exp"
  | "log"
  | "sqrt"
  | "rsqrt"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "step"
  | "silu"
  | "erf"
  | "gelu"
  | "geluGrad"
  | "siluGrad";

/**
 * All unary ops, for iteration in tests and conformance suites.
 *
 * @example
 * ```ts
 * UNARY_OPS.includes("gelu"); // true
 * ```
 */
export const UNARY_OPS: readonly UnaryOp[] = [
  "neg",
  "abs",
  "sign",
  "square",
  "reciprocal",
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "sigmoid",
  "tanh",
  "relu",
  "step",
  "silu",
  "erf",
  "gelu",
  "geluGrad",
  "siluGrad",
];

/**
 * Binary elementwise functions (float32 × float32 → float32).
 * - `add`, `sub`, `mul`, `div`, `pow` (a^b as Math.pow), `maximum`, `minimum`
 * - `divNoNan`: a/b, and exactly 0 where b == 0 (used by gradients that must vanish at 0, e.g. pairwise distance)
 * - comparisons return 1 or 0: `equal`, `greater`, `greaterEqual`, `less`, `lessEqual`
 */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "maximum"
  | "minimum"
  | "divNoNan"
  | "equal"
  | "greater"
  | "greaterEqual"
  | "less"
  | "lessEqual";

/**
 * All binary ops, for iteration in tests and conformance suites.
 *
 * @example
 * ```ts
 * BINARY_OPS.includes("add"); // true
 * ```
 */
export const BINARY_OPS: readonly BinaryOp[] = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "divNoNan",
  "equal",
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
];

/** Reductions over the middle axis of an [outer, reduce, inner] view. */
export type ReduceOp = "sum" | "max" | "min";

// ---------------------------------------------------------------------------------------------------------
// Signatures

/** Causal mask for Softmax/LogSoftmax: rows are (…, query) with `queryLen` queries per block. */
export interface CausalMask {
  /**
   * Queries per block: row r is query q = r mod queryLen. Column c is kept iff c ≤ q + offset; masked
   * entries are exactly 0 in Softmax output and −Infinity in LogSoftmax output.
   */
  readonly queryLen: number;
  /** Absolute position of query 0 minus the position of key 0 (KV-cache offset, ≥ 0). */
  readonly offset: number;
}

/**
 * Inputs, attributes and output of every kernel. Output shape/dtype is what the op layer allocates for:
 * the kernel just returns backend data of that size.
 */
export interface KernelSignatures<D = unknown> {
  /** out: x.shape, float32. */
  Unary: { inputs: { x: KernelTensor<D> }; attrs: { op: UnaryOp } };
  /**
   * out: `outShape`, float32. For out index with multi-index (i_0..i_{r-1}):
   * a offset = Σ i_j·aStrides[j], b offset = Σ i_j·bStrides[j] (stride 0 on broadcast axes; both stride
   * arrays have length r = outShape.length, the inputs' shapes are right-aligned to outShape).
   */
  Binary: {
    inputs: { a: KernelTensor<D>; b: KernelTensor<D> };
    attrs: { op: BinaryOp; outShape: readonly number[]; aStrides: readonly number[]; bStrides: readonly number[] };
  };
  /** out: [outer·inner] (op layer reshapes), float32. `reduce` ≥ 1. */
  Reduce: {
    inputs: { x: KernelTensor<D> };
    attrs: { op: ReduceOp; outer: number; reduce: number; inner: number };
  };
  /** out: [outer·inner], int32. */
  ArgMax: { inputs: { x: KernelTensor<D> }; attrs: { outer: number; reduce: number; inner: number } };
  /** out: x.shape, float32; each row of length `cols` sums to 1 over its unmasked entries. */
  Softmax: { inputs: { x: KernelTensor<D> }; attrs: { rows: number; cols: number; causal: CausalMask | null } };
  /** out: x.shape, float32; log of Softmax computed as x − max − log Σ exp(x − max). */
  LogSoftmax: { inputs: { x: KernelTensor<D> }; attrs: { rows: number; cols: number; causal: CausalMask | null } };
  /**
   * out: [batch, m, n] (op layer reshapes to the broadcast batch shape), float32.
   * Matrix t of the output uses matrix aBatch[t] of a and bBatch[t] of b (indices in units of whole
   * matrices; repeated indices express broadcasting). A matrix is [m,k] ([k,m] when transA); B is [k,n]
   * ([n,k] when transB).
   */
  MatMul: {
    inputs: { a: KernelTensor<D>; b: KernelTensor<D> };
    attrs: {
      m: number;
      k: number;
      n: number;
      transA: boolean;
      transB: boolean;
      batch: number;
      aBatch: readonly number[];
      bBatch: readonly number[];
    };
  };
  /**
   * out: [numIds, rowSize], dtype of `table`. out[i, :] = table[ids[i], :]. Ids are validated by the op
   * (integers in [0, numRows)).
   */
  Gather: {
    inputs: { table: KernelTensor<D>; ids: KernelTensor<D> };
    attrs: { numRows: number; rowSize: number; numIds: number };
  };
  /** out: [numRows, rowSize], float32, zero-initialised; out[ids[i], :] += updates[i, :]. */
  ScatterAdd: {
    inputs: { updates: KernelTensor<D>; ids: KernelTensor<D> };
    attrs: { numRows: number; rowSize: number; numIds: number };
  };
  /** out: shape[j] = x.shape[perm[j]], dtype of x. out[i_0..] = x[index with axis perm[j] = i_j]. */
  Permute: { inputs: { x: KernelTensor<D> }; attrs: { perm: readonly number[] } };
  /** out: `size`, dtype of x; out[i] = x[begin + i]. */
  Slice: { inputs: { x: KernelTensor<D> }; attrs: { begin: readonly number[]; size: readonly number[] } };
  /** out: `outShape`, dtype of x, zeros except out[begin + i] = x[i]. */
  Pad: { inputs: { x: KernelTensor<D> }; attrs: { begin: readonly number[]; outShape: readonly number[] } };
  /**
   * out: [outer, Σ inners], dtype of the inputs (all equal). Input i is viewed as [outer, inners[i]] and
   * occupies columns [Σ_{j<i} inners[j], Σ_{j≤i} inners[j]) of each output row.
   */
  Concat: { inputs: { xs: readonly KernelTensor<D>[] }; attrs: { outer: number; inners: readonly number[] } };
  /** out: x.shape, `dtype` (float32 → int32 truncates toward zero). */
  Cast: { inputs: { x: KernelTensor<D> }; attrs: { dtype: DType } };
  /**
   * out: [rows, cols], float32. y = x / sqrt(mean_j x_j² + eps) · weight (Zhang & Sennrich 2019; HF Llama).
   * `weight` is [cols].
   */
  RmsNorm: {
    inputs: { x: KernelTensor<D>; weight: KernelTensor<D> };
    attrs: { rows: number; cols: number; eps: number };
  };
  /**
   * out: [rows, cols], float32. y = (x − μ) / sqrt(σ² + eps) · weight + bias, biased variance σ²
   * (Ba et al. 2016). `weight`, `bias` are [cols].
   */
  LayerNorm: {
    inputs: { x: KernelTensor<D>; weight: KernelTensor<D>; bias: KernelTensor<D> };
    attrs: { rows: number; cols: number; eps: number };
  };
  /**
   * out: x.shape = [batchHeads, seq, headDim], float32. HF rotate-half RoPE: with h = headDim/2,
   * inv_freq_i = theta^(−2i/headDim), angle = positions[s]·inv_freq_{j mod h},
   * out[…, j] = x[j]·cos(angle) + rot(x)[j]·sin(angle), rot(x) = [−x[h..], x[..h]].
   * `inverse` uses −angle (the transpose, i.e. the gradient). `positions` is int32 [seq].
   */
  Rope: {
    inputs: { x: KernelTensor<D>; positions: KernelTensor<D> };
    attrs: { batchHeads: number; seq: number; headDim: number; theta: number; inverse: boolean };
  };
  /**
   * out: [batch, n, m], float32: out[b,i,j] = sqrt(Σ_d (a[b,i,d] − c[b,j,d])²), computed from differences
   * (never via ‖a‖² + ‖c‖² − 2a·c, which is not exactly 0 for equal rows). a is [batch,n,dim], b is [batch,m,dim].
   */
  PairwiseDistance: {
    inputs: { a: KernelTensor<D>; b: KernelTensor<D> };
    attrs: { batch: number; n: number; m: number; dim: number };
  };
}

/** Name of a kernel: a key of {@link KernelSignatures}. */
export type KernelName = keyof KernelSignatures;

/**
 * Every kernel name, for iteration (registries, conformance suites).
 *
 * @example
 * ```ts
 * const missing = KERNEL_NAMES.filter((name) => !(name in myBackend.kernels)); // [] for a complete backend
 * ```
 */
export const KERNEL_NAMES: readonly KernelName[] = [
  "Unary",
  "Binary",
  "Reduce",
  "ArgMax",
  "Softmax",
  "LogSoftmax",
  "MatMul",
  "Gather",
  "ScatterAdd",
  "Permute",
  "Slice",
  "Pad",
  "Concat",
  "Cast",
  "RmsNorm",
  "LayerNorm",
  "Rope",
  "PairwiseDistance",
];

/** Implementation of kernel `K` on a backend whose data handles have type `D`. Returns the output's data. */
export type KernelFunc<K extends KernelName, D = unknown> = (
  inputs: KernelSignatures<D>[K]["inputs"],
  attrs: KernelSignatures<D>[K]["attrs"],
) => D;

/** A full kernel table: one implementation per kernel name. */
export type KernelTable<D = unknown> = { [K in KernelName]: KernelFunc<K, D> };
