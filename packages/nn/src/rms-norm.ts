// SPDX-License-Identifier: MIT

import { ones, rmsNorm, type Tensor } from "@calm/tensor";
import type { RMSNormConfig, RMSNormParams } from "./api.js";
import { positiveInt } from "./validate.js";

/**
 * RMSNorm ε of the reference backbone and autoencoder (CALM reference 9.4).
 *
 * @example
 * ```ts
 * rmsNormForward(norm, x, DEFAULT_NORM_EPS); // the default
 * ```
 */
export const DEFAULT_NORM_EPS = 1e-6;

/**
 * Creates an RMSNorm layer (Zhang & Sennrich 2019; HF `LlamaRMSNorm`) with weight [dim] = 1.
 *
 * @throws RangeError if dim is not a positive integer.
 * @example
 * ```ts
 * const norm = createRMSNorm({ dim: 64 });
 * ```
 */
export function createRMSNorm(config: RMSNormConfig): RMSNormParams {
  return { weight: ones([positiveInt(config.dim, "createRMSNorm", "config.dim")]) };
}

/**
 * y = x / sqrt(mean_j x_j² + ε) ⊙ weight over the last axis (ε default 1e-6, CALM reference 9.4).
 *
 * @param eps - ε, a finite number ≥ 0; default 1e-6 (CALM reference 9.4). It is an argument here, not part of the
 *   parameter tree, which holds tensors only.
 * @throws RangeError (from @calm/tensor's `rmsNorm`) if x's last axis differs from weight's length or eps < 0.
 * @example
 * ```ts
 * const y = rmsNormForward(norm, x);
 * ```
 */
export function rmsNormForward(params: RMSNormParams, x: Tensor, eps = DEFAULT_NORM_EPS): Tensor {
  return rmsNorm(x, params.weight, eps);
}
