// SPDX-License-Identifier: MIT

import type { Tensor } from "./tensor.js";

/**
 * Element types a {@link Tensor} can hold: `float32` for values, `int32` for token ids and positions.
 */
export type DType = "float32" | "int32";

/** A tensor shape: one non-negative integer per axis, outermost first (row-major). `[]` is a scalar. */
export type Shape = readonly number[];

/** Either storage array. */
export type TypedArray = Float32Array | Int32Array;

/** Nested plain arrays of numbers (any depth), as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/** Options of {@link rope}. */
export interface RopeOptions {
  /** Base θ of the frequencies θ^(−2i/d); default 10000 (Llama, CALM reference 3.1). */
  readonly theta?: number;
  /** Rotate by −angle (the inverse rotation, which is also the transpose used by the gradient). */
  readonly inverse?: boolean;
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of each matrix of `a` (its last two axes). */
  readonly transA?: boolean;
  /** Use the transpose of each matrix of `b` (its last two axes). */
  readonly transB?: boolean;
}

/** Options of {@link causalAttention}. */
export interface CausalAttentionOptions {
  /**
   * Position of query 0 relative to key 0 (KV cache: the query block is the last `seqQ` of `seqK` positions).
   * Query i attends keys 0..offset+i. Default seqK − seqQ (0 for self-attention).
   */
  readonly offset?: number;
  /** Score scale; default 1/sqrt(headDim) (Vaswani et al. 2017; CALM reference 9.4). */
  readonly scale?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** `"mean"` (default) over counted targets, `"sum"`, or `"none"` (per-target losses, targets' shape). */
  readonly reduction?: "mean" | "sum" | "none";
  /** Targets equal to this id contribute 0 and are not counted (PyTorch's `ignore_index`, e.g. padding). */
  readonly ignoreIndex?: number;
}

/** Axes to reduce: one axis, a list, or undefined for all. */
export type Axes = number | readonly number[] | undefined;

/** A tensor or a plain number (promoted to a float32 scalar). */
export type TensorOrNumber = Tensor | number;

/** Gradients mirroring an argument: a Tensor for each float32 tensor leaf, null for every other leaf. */
export type GradTree<T> = T extends Tensor
  ? Tensor | null
  : T extends readonly unknown[]
    ? { -readonly [K in keyof T]: GradTree<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: GradTree<T[K]> }
      : null;

/** The result of a {@link valueAndGrad} call. */
export interface ValueAndGrad<A extends readonly unknown[]> {
  /** f(...args), a one-element tensor. */
  readonly value: Tensor;
  /** One gradient tree per argument, same structure as the argument. */
  readonly grads: GradTree<A>;
}

/**
 * Complete, JSON-serialisable state of an {@link Rng}: restoring it continues the exact same stream.
 */
export interface RngState {
  /** Generator words (xoroshiro128+, four signed 32-bit integers). */
  readonly generator: readonly number[];
  /** Second normal of the last Box–Muller pair, not yet returned (null if none). */
  readonly spare: number | null;
}

/** Options of `checkGradients` / `assertGradients`. */
export interface GradCheckOptions {
  /** Central-difference step ε (default 1e-2). */
  readonly eps?: number;
  /** Relative tolerance against the numeric derivative (default 2e-2). */
  readonly rtol?: number;
  /** Absolute tolerance (default 5e-3). */
  readonly atol?: number;
  /** Seed of the random cotangent r (default 12345). */
  readonly seed?: number;
}

/** Result of `checkGradients`. */
export interface GradCheckResult {
  /** Every element within atol + rtol·|numeric|. */
  readonly ok: boolean;
  /** The element furthest outside (or closest to) tolerance: input index, flat element index, both values. */
  readonly worst: { readonly input: number; readonly index: number; readonly analytic: number; readonly numeric: number } | null;
}
