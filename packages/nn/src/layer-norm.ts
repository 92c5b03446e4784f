// SPDX-License-Identifier: MIT

import { layerNorm, ones, type Tensor, zeros } from "@calm/tensor";
import type { LayerNormConfig, LayerNormParams } from "./api.js";
import { DEFAULT_NORM_EPS } from "./rms-norm.js";
import { positiveInt } from "./validate.js";

/**
 * Creates a LayerNorm layer (Ba et al. 2016; PyTorch `nn.LayerNorm`) with weight [dim] = 1 and, unless
 * `bias: false`, bias [dim] = 0 (CALM's `embed_proj.3` and the energy head's norms; reference 3.2, 4.1).
 *
 * @throws RangeError if dim is not a positive integer.
 * @example
 * ```ts
 * const ln = createLayerNorm({ dim: 64 });
 * ```
 */
export function createLayerNorm(config: LayerNormConfig): LayerNormParams {
  const dim = positiveInt(config.dim, "createLayerNorm", "config.dim");
  return config.bias === false ? { weight: ones([dim]) } : { weight: ones([dim]), bias: zeros([dim]) };
}

/**
 * y = (x − mean)/sqrt(var + ε) ⊙ weight + bias over the last axis (biased variance, ε default 1e-6).
 *
 * @param eps - ε, a finite number ≥ 0; default 1e-6 (CALM reference 9.4). It is an argument here, not part of the
 *   parameter tree, which holds tensors only.
 * @throws RangeError (from @calm/tensor's `layerNorm`) if x's last axis differs from weight's length or eps < 0.
 * @example
 * ```ts
 * const y = layerNormForward(ln, x);
 * ```
 */
export function layerNormForward(params: LayerNormParams, x: Tensor, eps = DEFAULT_NORM_EPS): Tensor {
  return layerNorm(x, params.weight, params.bias ?? null, eps);
}
